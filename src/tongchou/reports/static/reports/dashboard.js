/* Dashboard charts: each .figure section names its JSON source in data-figure-src; the chart and the
   table below it come from the same rows, and every bar, slice and row links to the list behind it. */
(function () {
  "use strict";

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (attrs) Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    return node;
  }

  function table(fig) {
    var t = el("table", null, { "class": "data small" });
    var head = el("tr");
    fig.headers.forEach(function (h) { head.appendChild(el("th", h)); });
    t.appendChild(el("thead")).appendChild(head);
    var body = t.appendChild(el("tbody"));
    fig.rows.forEach(function (row, i) {
      var tr = el("tr");
      row.forEach(function (v, j) {
        var td = el("td", null, typeof v === "number" ? { "class": "num" } : null);
        if (j === 0 && fig.links[i]) {
          td.appendChild(el("a", v, { href: fig.links[i] }));
        } else {
          td.textContent = v === null ? "—" : (typeof v === "number" ? v.toLocaleString("zh-CN") : v);
        }
        tr.appendChild(td);
      });
      body.appendChild(tr);
    });
    if (!fig.rows.length) body.appendChild(el("tr")).appendChild(el("td", "暂无数据", { colspan: fig.headers.length, "class": "muted" }));
    return t;
  }

  function option(fig) {
    var names = fig.rows.map(function (r) { return String(r[0]); });
    if (fig.chart === "pie") {
      return {
        tooltip: { trigger: "item", renderMode: "richText" },
        series: [{ type: "pie", radius: ["35%", "65%"], data: fig.rows.map(function (r) { return { name: String(r[0]), value: r[1] }; }) }]
      };
    }
    return {
      tooltip: { trigger: "axis", renderMode: "richText" },
      legend: { top: 0 },
      grid: { left: 60, right: 20, bottom: 60, top: 30, containLabel: true },
      xAxis: { type: "category", data: names, axisLabel: { interval: 0, rotate: names.length > 6 ? 30 : 0 } },
      yAxis: { type: "value" },
      series: fig.series.map(function (col) {
        return { type: "bar", name: fig.headers[col], data: fig.rows.map(function (r) { return r[col]; }) };
      })
    };
  }

  function render(section, fig) {
    section.querySelector(".figure-title").textContent = fig.title;
    section.querySelector(".figure-note").textContent = fig.note || "";
    section.querySelector(".figure-table").appendChild(table(fig));
    var box = section.querySelector(".chart");
    if (!window.echarts || !fig.rows.length) { box.hidden = true; return; }
    var chart = window.echarts.init(box);
    chart.setOption(option(fig));
    chart.on("click", function (params) {
      var link = fig.links[params.dataIndex];
      if (link) window.location.href = link;
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }

  function load(section) {
    return fetch(section.getAttribute("data-figure-src"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (fig) { render(section, fig); })
      .catch(function () { section.querySelector(".figure-title").textContent = "数据加载失败，请刷新重试"; });
  }

  // One figure after another: each request refreshes the session, and the embedded SQLite mode
  // serialises writers; the figures are cached for a minute, so the second visit is quick anyway.
  document.addEventListener("DOMContentLoaded", function () {
    var sections = Array.prototype.slice.call(document.querySelectorAll("[data-figure-src]"));
    sections.reduce(function (chain, section) {
      return chain.then(function () { return load(section); });
    }, Promise.resolve());
  });
})();
