"""Every figure of the dashboards: pure reads, each one database aggregation over the projects the
user may see (`projects_visible_to`), never a Python loop over the register.

A figure is a small table (headers + rows) with, per row, the link to the list behind it, so the
chart, its drill-down and its .xlsx export all come from the same numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import ExtractYear, TruncDate
from django.urls import reverse
from django.utils import timezone

from tongchou.accounts.models import Level, MemberRole, User
from tongchou.projects.models import Project, ReviewPath, Status
from tongchou.projects.selectors import projects_visible_to

ZERO = Decimal("0")


@dataclass
class Figure:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    links: list[str] = field(default_factory=list)
    chart: str = "bar"  # bar | pie
    series: tuple[int, ...] = (1,)  # the numeric columns drawn
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key, "title": self.title, "headers": self.headers, "chart": self.chart,
            "series": list(self.series), "note": self.note, "links": self.links,
            "rows": [[_json(v) for v in row] for row in self.rows],
        }


def _json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


@dataclass(frozen=True)
class Scope:
    """Who asks and which year (None: every year)."""

    user: User
    year: int | None = None
    today: date | None = None

    @property
    def as_of(self) -> date:
        return self.today or timezone.localdate()

    def projects(self) -> QuerySet[Project]:
        qs = projects_visible_to(self.user)
        return qs.filter(year=self.year) if self.year else qs

    def submitted(self) -> QuerySet[Project]:
        """Projects that have left the unit's drafts: the ones with a request for money on record."""
        return self.projects().exclude(status=Status.DRAFT)


def register_link(scope: Scope, **filters: Any) -> str:
    params = {k: v for k, v in filters.items() if v not in (None, "")}
    if scope.year and "year" not in params:
        params["year"] = scope.year
    return reverse("projects:register") + ("?" + urlencode(params) if params else "")


def drill_link(key: str, value: Any, scope: Scope) -> str:
    params = {"value": value}
    if scope.year:
        params["year"] = scope.year
    return reverse("reports:drill", args=[key]) + "?" + urlencode(params)


def _money(value: Any) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _grouped(scope: Scope, column: str, labels: Mapping[str, object], key: str, title: str, chart: str = "pie") -> Figure:
    labels = {k: str(v) for k, v in labels.items()}
    order = {value: index for index, value in enumerate(labels)}
    rows_q = sorted(scope.projects().values(column).annotate(n=Count("id"), amount=Sum("construction_cost"))
                    .order_by(), key=lambda r: order.get(r[column], len(order)))
    rows, links = [], []
    for r in rows_q:
        value = r[column]
        rows.append([labels.get(value, value or "（未评估）"), r["n"], _money(r["amount"])])
        links.append(register_link(scope, **{column: value}) if value else "")
    return Figure(key, title, ["分组", "项目数", "项目资金（元）"], rows, links, chart=chart)


def by_status(scope: Scope) -> Figure:
    return _grouped(scope, "status", dict(Status.choices), "by_status", "项目状态分布", chart="bar")


def by_review_path(scope: Scope) -> Figure:
    return _grouped(scope, "review_path", dict(ReviewPath.choices), "by_review_path", "审查路径分布")


def by_level(scope: Scope) -> Figure:
    return _grouped(scope, "level", dict(Level.choices), "by_level", "层级分布")


def by_mode(scope: Scope) -> Figure:
    """Art. 3's management modes by level (the portfolio app counts; county and park projects included)."""
    from tongchou.portfolio.selectors import UNCLASSIFIED, totals_by_mode_and_level

    totals = totals_by_mode_and_level(scope.user, year=scope.year)
    levels = dict(Level.choices)
    cells = {(c["mode"], c["level"]): c["count"] for c in totals["by_mode_and_level"]}
    rows = [[m["label"], *[cells[(m["mode"], lv)] for lv in levels], m["count"]] for m in totals["by_mode"]]
    links = [register_link(scope, mode=m["mode"]) if m["mode"] != UNCLASSIFIED else "" for m in totals["by_mode"]]
    return Figure("by_mode", "管理模式分布（第三条）", ["管理模式", *[str(v) for v in levels.values()], "合计"], rows,
                  links, series=(1, 2, 3), note="州级统计含县市和园区项目（第十九条、第三十六条）。")


def by_year(scope: Scope) -> Figure:
    rows_q = (projects_visible_to(scope.user).values("year")
              .annotate(n=Count("id"), amount=Sum("construction_cost")).order_by("year"))
    rows = [[r["year"], r["n"], _money(r["amount"])] for r in rows_q]
    links = [register_link(Scope(scope.user), year=r[0]) for r in rows]
    return Figure("by_year", "年度分布", ["预算年度", "项目数", "项目资金（元）"], rows, links)


def by_unit(scope: Scope) -> Figure:
    from tongchou.accounts.models import Organisation

    rows_q = list(scope.projects().values("unit_id").annotate(n=Count("id"), amount=Sum("construction_cost"))
                  .order_by())
    names = dict(Organisation.objects.filter(pk__in=[r["unit_id"] for r in rows_q]).values_list("pk", "name"))
    rows_q.sort(key=lambda r: (-r["n"], names.get(r["unit_id"], "")))
    rows, links = [], []
    for r in rows_q:
        rows.append([names.get(r["unit_id"], ""), r["n"], _money(r["amount"])])
        links.append(register_link(scope, unit=r["unit_id"]))
    return Figure("by_unit", "建设单位分布", ["建设单位", "项目数", "项目资金（元）"], rows, links)


def amounts(scope: Scope) -> Figure:
    """Requested (项目资金 of submitted projects), approved (立项批复金额), cut (核减: requested − approved,
    over approved projects) and the reductions members proposed in their opinions, per year."""
    visible = scope.submitted()
    # One pass over the projects: the approval is one-to-one, so the join cannot double a sum.
    per_year = {r["year"]: r for r in visible.values("year").annotate(
        n=Count("id"), requested=Sum("construction_cost"), approved_n=Count("approval"),
        approved=Sum("approval__approved_amount"),
        base=Sum("construction_cost", filter=Q(approval__isnull=False))).order_by()}
    # From the projects through their rounds to the opinions: one scan of the projects, not two.
    proposed = {r["year"]: r["s"] for r in visible.filter(review_rounds__opinions__cost_reduction__isnull=False)
                .values("year").annotate(s=Sum("review_rounds__opinions__cost_reduction")).order_by()}
    rows, links = [], []
    for year in sorted(set(per_year) | set(proposed)):
        r: Mapping[str, Any] = per_year.get(year, {})
        approved_amount = _money(r.get("approved"))
        cut = _money(r.get("base")) - approved_amount if r.get("approved_n") else ZERO
        rows.append([year, r.get("n", 0), _money(r.get("requested")), r.get("approved_n", 0), approved_amount,
                     _money(cut), _money(proposed.get(year))])
        links.append(register_link(Scope(scope.user), year=year))
    return Figure("amounts", "申报、批复与核减金额",
                  ["预算年度", "申报项目数", "申报金额（元）", "批复项目数", "批复金额（元）", "核减金额（元）",
                   "成员单位建议核减（元）"], rows, links, series=(2, 4, 5),
                  note="核减金额 = 已批复项目的申报金额 − 批复金额；建议核减为成员单位意见中提出的核减合计。")


def cycle_times(scope: Scope) -> Figure:
    """Working days from a member's task opening to its opinion, less the 补正 pauses, per member unit.
    Grouped by (member, opened, submitted) in the database; the calendar counts each distinct pair once."""
    from tongchou.calendar.rules import working_days_between
    from tongchou.calendar.selectors import calendar_load
    from tongchou.reviews.models import Opinion

    groups = (Opinion.objects.filter(round__project__in=scope.projects())
              .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
              .values("member", "task__opened_on", "day")
              .annotate(n=Count("id"), paused=Sum("task__paused_working_days")).order_by())
    cal = None
    spans: dict[tuple[date, date], int] = {}
    per_member: dict[str, list[int]] = {}
    for g in groups:
        if cal is None:
            cal = calendar_load()
        pair = (g["task__opened_on"], g["day"])
        if pair not in spans:
            spans[pair] = max(working_days_between(cal, pair[0], pair[1]).days, 0)
        total = max(spans[pair] * g["n"] - (g["paused"] or 0), 0)
        stats = per_member.setdefault(g["member"], [0, 0, 0])  # count, total days, longest
        stats[0] += g["n"]
        stats[1] += total
        stats[2] = max(stats[2], spans[pair])
    labels = {k: str(v) for k, v in MemberRole.choices}
    rows, links = [], []
    for member in [m for m in MemberRole.values if m in per_member]:
        count, total, longest = per_member[member]
        rows.append([labels[member], count, round(total / count, 1) if count else 0, longest])
        links.append(drill_link("cycle_times", member, scope))
    return Figure("cycle_times", "成员单位审查用时（工作日）", ["成员单位", "已出具意见数", "平均用时（工作日）",
                  "最长用时（工作日）"], rows, links, series=(2, 3),
                  note="自审查任务开始至出具意见，按工作日历计算，扣除补正暂停的工作日。")


def overdue_obligations(scope: Scope) -> Figure:
    from tongchou.obligations.models import OPEN_STATUSES
    from tongchou.obligations.selectors import obligations_visible_to

    rows_q = (obligations_visible_to(scope.user)
              .filter(project__in=scope.projects(), status__in=OPEN_STATUSES, due_date__lt=scope.as_of)
              .values("responsible_org_id", "responsible_org__name")
              .annotate(n=Count("id"), projects=Count("project", distinct=True)).order_by("-n", "responsible_org__name"))
    rows, links = [], []
    for r in rows_q:
        rows.append([r["responsible_org__name"], r["n"], r["projects"]])
        links.append(drill_link("overdue", r["responsible_org_id"], scope))
    return Figure("overdue", "逾期未办事项", ["责任单位", "逾期事项数", "涉及项目数"], rows, links)


def om_against_cap(scope: Scope) -> Figure:
    """O&M funding requests per year against the cap (Art. 29: yearly O&M within 10 % of the
    construction cost, the ratio read from the rule set in force)."""
    from tongchou.delivery.models import OMFundingRequest
    from tongchou.delivery.models.operations import OMRequestStatus
    from tongchou.policy import default_registry

    ratio = default_registry().select(scope.as_of)[0].parameters.om_cost_cap_ratio
    rows_q = (OMFundingRequest.objects.filter(project__in=scope.projects())
              .values("year").annotate(
                  n=Count("id"), over=Count("id", filter=Q(cap_exceeded=True)),
                  amount=Sum("amount"), base=Sum("project__construction_cost"),
                  granted=Sum("granted_amount", filter=Q(status=OMRequestStatus.APPROVED)))
              .order_by("year"))
    rows, links = [], []
    for r in rows_q:
        cap = _money(_money(r["base"]) * ratio)
        rows.append([r["year"], r["n"], r["over"], _money(r["amount"]), cap, _money(r["granted"])])
        links.append(drill_link("om", r["year"], scope))
    percent = f"{(ratio * 100).normalize():f}%"
    return Figure("om", f"运维经费与{percent}上限", ["运维年度", "申请数", f"超过建设成本{percent}的申请数",
                  "申请金额（元）", f"上限合计（建设成本×{percent}）", "已安排金额（元）"], rows, links,
                  series=(3, 4, 5), note=f"第二十九条：年度运维经费原则上不超过项目建设成本的{percent}。")


def expert_usage(scope: Scope) -> Figure:
    from tongchou.experts.models import Draw, FeeEntry
    from tongchou.experts.permissions import is_pool_manager

    headers = ["年度", "抽取次数", "专家服务人次", "服务时长（小时）", "专家费（元）"]
    if not is_pool_manager(scope.user):
        return Figure("experts", "专家使用与专家费", headers, [], note="专家费台账仅数字化发展局可见。")
    draws = {r["y"]: r["n"] for r in Draw.objects.filter(parent__isnull=True)
             .annotate(y=ExtractYear("review_date")).values("y").annotate(n=Count("id")).order_by()}
    fees = {r["year"]: r for r in FeeEntry.objects.values("year").annotate(
        n=Count("id"), minutes=Sum("minutes"), amount=Sum("amount")).order_by()}
    years = sorted(set(draws) | set(fees))
    if scope.year:
        years = [y for y in years if y == scope.year]
    rows, links = [], []
    for year in years:
        fee: Mapping[str, Any] = fees.get(year, {})
        rows.append([year, draws.get(year, 0), fee.get("n", 0), round((fee.get("minutes") or 0) / 60, 1),
                     _money(fee.get("amount"))])
        links.append(reverse("experts:fees") + "?" + urlencode({"year": year}))
    return Figure("experts", "专家使用与专家费", headers, rows, links, series=(1, 4))


FIGURES: dict[str, Callable[[Scope], Figure]] = {
    "by_status": by_status,
    "by_review_path": by_review_path,
    "by_year": by_year,
    "by_unit": by_unit,
    "by_level": by_level,
    "by_mode": by_mode,
    "amounts": amounts,
    "cycle_times": cycle_times,
    "overdue": overdue_obligations,
    "om": om_against_cap,
    "experts": expert_usage,
}

CACHE_SECONDS = 60


def figure_cached(key: str, scope: Scope) -> dict[str, Any]:
    """A figure's JSON, kept a minute per user (never shared: each user's numbers are their own view).
    A dashboard a minute old is fine; the exports and drill-down lists always read fresh."""
    from django.core.cache import cache

    cache_key = f"reports:figure:{scope.user.pk}:{key}:{scope.year or ''}:{scope.as_of.isoformat()}"
    hit = cache.get(cache_key)
    if hit is None:
        hit = FIGURES[key](scope).as_dict()
        cache.set(cache_key, hit, CACHE_SECONDS)
    return hit
