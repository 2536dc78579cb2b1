"""Art. 3 in the yearly plan: the unit proposes a need's management mode (web, API, template), the bureau
confirms it while building the plan, the plan and its export filter and count by it, a merged group
takes one mode, and the drafts carry it into the register."""

from __future__ import annotations

import io
import re

import pytest
import time_machine
from openpyxl import load_workbook

from tests.demand.call_helpers import PHASE1, PHASE2, UNRELATED, open_call, submit, upload
from tongchou.audit.models import AuditEvent
from tongchou.demand.models import Need
from tongchou.demand.modes import merged_mode
from tongchou.portfolio.models import ProjectMode
from tongchou.projects.models import Project

pytestmark = pytest.mark.django_db
UNIFIED, SPECIALISED = "统一建设·统筹管理", "专业建设·分类管理"
PORTAL = {"name": "医保移动服务平台", "goals": "让参保群众掌上办理医保业务。",
          "content": "建设参保登记、异地就医备案、门诊慢特病申请、医疗费用零星报销、医保关系转移接续等功能。",
          "technical_route": "", "estimated_cost": "600000", "category": "development",
          "priority_basis": "other_necessary", "contact": "王申报 0994-7654321"}


@pytest.fixture(autouse=True)
def _before_deadline():
    with time_machine.travel("2025-10-01 10:00:00+08:00", tick=False):
        yield


def _json(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def _need(name):
    return Need.objects.get(name=name)


def _fill(wb, rows):
    ws = wb["填写数据"]
    headers = [c.value.lstrip("*") for c in ws[1]]
    for r, values in enumerate(rows, start=2):
        for key, value in values.items():
            ws.cell(row=r, column=headers.index(key) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


ROW = {"需求名称": "教师队伍管理信息系统", "建设目标": "加强教师队伍建设", "主要建设内容": "建设教师信息库、职称评审申报",
       "预计金额": 350000, "项目类别": "建设开发类", "联系人及电话": "张 123"}


@pytest.fixture
def call(client, login):
    """PHASE1, PHASE2 specialised; UNRELATED unclassified (州教育局); PORTAL unified (州医保局)."""
    data = open_call(client, login)
    login("applicant")
    for need, mode in ((PHASE1, "specialised"), (PHASE2, "specialised"), (UNRELATED, "")):
        assert submit(client, data["id"], {**need, "proposed_mode": mode}).status_code == 201
    login("applicant2")
    assert submit(client, data["id"], {**PORTAL, "proposed_mode": "unified"}).status_code == 201
    login("bureau")
    return data


def _decide(client, call, name, decision, reason="经研究"):
    response = _json(client, f"/api/v1/demand/calls/{call['id']}/needs/{_need(name).pk}/decision",
                     {"decision": decision, "reason": reason})
    assert response.status_code == 200, response.content.decode()


# ---------------------------------------------------------------- the rule


def test_merged_mode_is_unified_if_any_part_is_else_specialised_if_any_is():
    assert merged_mode(["specialised", "unified"]) == "unified"
    assert merged_mode(["", "unified"]) == "unified"
    assert merged_mode(["specialised", "specialised"]) == "specialised"
    assert merged_mode(["", "specialised"]) == "specialised"
    assert merged_mode(["", ""]) == ""


# ---------------------------------------------------------------- the unit proposes


def test_template_has_a_mode_drop_down_and_round_trips(client, login):
    call = open_call(client, login)
    login("applicant")
    wb = load_workbook(io.BytesIO(client.get(f"/api/v1/demand/calls/{call['id']}/template.xlsx").content))
    ws = wb["填写数据"]
    headers = [c.value for c in ws[1]]
    assert "管理模式" in headers  # optional: no *
    letter = "ABCDEFGHIJ"[headers.index("管理模式")]
    validation = next(v for v in ws.data_validations.dataValidation if str(v.sqref).startswith(f"{letter}2:"))
    assert validation.type == "list" and validation.allow_blank
    sheet, cells = validation.formula1.split("!")
    choices = wb[sheet.strip("'")]
    first, last = (int(x) for x in re.findall(r"\d+", cells))
    column = re.match(r"\$([A-Z])", cells).group(1)
    assert [choices[f"{column}{r}"].value for r in range(first, last + 1)] == [UNIFIED, SPECIALISED]

    data = _fill(wb, [{**ROW, "管理模式": UNIFIED}, {**ROW, "需求名称": "教师培训管理系统", "管理模式": SPECIALISED},
                      {**ROW, "需求名称": "教师荣誉管理系统"}])
    response = upload(client, call["id"], data)
    assert response.status_code == 200, response.content.decode()
    assert response.json()["imported"] == 3
    modes = {n.name: (n.proposed_mode, n.mode, n.confirmed_mode) for n in Need.objects.all()}
    assert modes == {"教师队伍管理信息系统": ("unified", "unified", ""),
                     "教师培训管理系统": ("specialised", "specialised", ""), "教师荣誉管理系统": ("", "", "")}
    needs = client.get(f"/api/v1/demand/calls/{call['id']}/needs").json()
    assert {n["name"]: n["mode_label"] for n in needs}["教师荣誉管理系统"] == "未分类"


def test_a_template_from_before_the_mode_column_still_imports(client, login):
    call = open_call(client, login)
    login("applicant")
    wb = load_workbook(io.BytesIO(client.get(f"/api/v1/demand/calls/{call['id']}/template.xlsx").content))
    ws = wb["填写数据"]
    ws.delete_cols([c.value for c in ws[1]].index("管理模式") + 1)
    response = upload(client, call["id"], _fill(wb, [ROW]))
    assert response.status_code == 200, response.content.decode()
    assert Need.objects.get().mode == ""


def test_a_bad_mode_in_the_template_is_a_row_error_naming_the_column(client, login):
    call = open_call(client, login)
    login("applicant")
    wb = load_workbook(io.BytesIO(client.get(f"/api/v1/demand/calls/{call['id']}/template.xlsx").content))
    response = upload(client, call["id"], _fill(wb, [{**ROW, "管理模式": UNIFIED},
                                                     {**ROW, "需求名称": "第二个", "管理模式": "统一建设"}]))
    assert response.status_code == 422
    body = response.json()
    assert body["imported"] == 0 and body["bad_rows"] == [3]
    assert [e["text"] for e in body["errors"]] == [f"第 3 行「管理模式」：须为下列之一：{UNIFIED}、{SPECIALISED}"]
    assert not Need.objects.exists()


def test_a_bad_mode_in_the_api_and_the_web_form_names_the_field(client, login):
    call = open_call(client, login)
    login("applicant")
    response = submit(client, call["id"], {**PHASE1, "proposed_mode": "central"})
    assert response.status_code == 400
    assert response.json()["field"] == "proposed_mode" and "「管理模式」" in response.json()["detail"]
    page = client.post(f"/demand/{call['id']}/", {**PHASE1, "proposed_mode": "central"}, follow=True).content.decode()
    assert "「管理模式」应为统一建设·统筹管理" in page
    assert not Need.objects.exists()
    page = client.get(f"/demand/{call['id']}/").content.decode()
    assert 'name="proposed_mode"' in page and UNIFIED in page
    assert client.post(f"/demand/{call['id']}/", {**PHASE1, "proposed_mode": "unified"}).status_code == 302
    need = Need.objects.get()
    assert (need.proposed_mode, need.mode) == ("unified", "unified")
    event = AuditEvent.objects.filter(event="demand.need_submitted").latest("pk")
    assert event.data["mode"] == "unified"


# ---------------------------------------------------------------- the bureau confirms


def test_bureau_confirms_or_corrects_a_need_mode_audited(client, login, call):
    url = f"/api/v1/demand/calls/{call['id']}/needs/{_need(PHASE1['name']).pk}/mode"
    login("applicant")  # the unit sees its need but does not confirm its own proposal
    assert _json(client, url, {"mode": "unified"}).status_code == 403
    login("bureau")
    bad = _json(client, url, {"mode": "central"})
    assert bad.status_code == 400 and bad.json()["field"] == "mode" and bad.json()["article"] == "第三条"
    body = _json(client, url, {"mode": "unified"}).json()
    assert (body["proposed_mode"], body["confirmed_mode"], body["mode"]) == ("specialised", "unified", "unified")
    event = AuditEvent.objects.filter(event="demand.need_mode_confirmed").get()
    assert event.target_id == str(_need(PHASE1["name"]).pk)
    assert event.data == {"mode": "unified", "proposed": "specialised", "previous": "", "article": "第三条"}
    assert event.actor_id == AuditEvent.objects.filter(event="demand.call_opened").get().actor_id

    # A need of before the field (no proposal) is classified by the bureau too.
    unclassified = _need(UNRELATED["name"])
    page = client.post(f"/demand/{call['id']}/plan/mode/", {"need": unclassified.pk, "mode": "specialised"},
                       follow=True).content.decode()
    assert "已确认「学生资助管理系统」的管理模式" in page
    response = client.post(f"/demand/{call['id']}/plan/mode/", {"need": unclassified.pk, "mode": "unified",
                                                                "back_mode": "unclassified"})
    assert response.status_code == 302 and response["Location"].endswith("/plan/?mode=unclassified")
    unclassified.refresh_from_db()
    assert unclassified.mode == "unified"
    client.post(f"/demand/{call['id']}/plan/mode/", {"need": unclassified.pk, "mode": "specialised"})
    unclassified.refresh_from_db()
    assert (unclassified.proposed_mode, unclassified.mode) == ("", "specialised")
    assert AuditEvent.objects.filter(event="demand.need_mode_confirmed").count() == 4
    assert AuditEvent.objects.filter(event="demand.need_mode_confirmed").latest("pk").data["previous"] == "unified"


# ---------------------------------------------------------------- the plan by mode


def _plan_table(page):
    table = page[page.index('id="plan-rows"'):]
    return table[:table.index("</table>")]


def _totals_row(page, label):
    table = page[page.index('id="mode-totals"'):]
    table = table[:table.index("</table>")]
    row = re.search(rf"<th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", table, re.S).group(1)
    return re.findall(r"(\d+) 项 · ([\d.]+) 元", row)


def test_plan_page_filters_and_counts_by_mode(client, login, call):
    _decide(client, call, PORTAL["name"], "included")
    _decide(client, call, UNRELATED["name"], "refused")
    _decide(client, call, PHASE1["name"], "deferred")
    page = client.get(f"/demand/{call['id']}/plan/").content.decode()
    for need in (PHASE1, PHASE2, UNRELATED, PORTAL):
        assert need["name"] in page
    # included, deferred, refused, pending, total
    assert _totals_row(page, UNIFIED) == [("1", "600000.00"), ("0", "0.00"), ("0", "0.00"), ("0", "0.00"), ("1", "600000.00")]
    assert _totals_row(page, SPECIALISED) == [("0", "0.00"), ("1", "450000.00"), ("0", "0.00"), ("1", "430000.00"),
                                              ("2", "880000.00")]
    assert _totals_row(page, "未分类") == [("0", "0.00"), ("0", "0.00"), ("1", "300000.00"), ("0", "0.00"), ("1", "300000.00")]
    assert _totals_row(page, "合计") == [("1", "600000.00"), ("1", "450000.00"), ("1", "300000.00"),
                                       ("1", "430000.00"), ("4", "1780000.00")]

    page = client.get(f"/demand/{call['id']}/plan/?mode=unified").content.decode()
    rows = _plan_table(page)
    assert PORTAL["name"] in rows and PHASE1["name"] not in rows and UNRELATED["name"] not in rows
    assert f'href="/demand/{call["id"]}/plan.xlsx?mode=unified"' in page
    assert _totals_row(page, SPECIALISED)[4] == ("2", "880000.00")  # the counts stay the whole plan's
    rows = _plan_table(client.get(f"/demand/{call['id']}/plan/?mode=unclassified").content.decode())
    assert UNRELATED["name"] in rows and PORTAL["name"] not in rows
    page = client.get(f"/demand/{call['id']}/plan/?mode=central").content.decode()
    rows = _plan_table(page)
    assert "「管理模式」筛选应为" in page and PORTAL["name"] in rows and UNRELATED["name"] in rows

    api = client.get(f"/api/v1/demand/calls/{call['id']}/plan", {"mode": "specialised"}).json()
    assert sorted(r["need"]["name"] for r in api["rows"]) == sorted([PHASE1["name"], PHASE2["name"]])
    spec = next(t for t in api["totals"] if t["mode"] == "specialised")
    assert spec["deferred"] == {"count": 1, "amount": "450000.00"} and spec["total"]["count"] == 2
    bad = client.get(f"/api/v1/demand/calls/{call['id']}/plan", {"mode": "central"})
    assert bad.status_code == 400 and bad.json()["field"] == "mode"
    login("applicant")
    assert client.get(f"/api/v1/demand/calls/{call['id']}/plan").status_code == 403


def _sheet(ws):
    rows = [list(r) for r in ws.iter_rows(values_only=True)]
    header = next(i for i, r in enumerate(rows) if r[0] in ("排序", "管理模式"))
    return [dict(zip(rows[header], r, strict=True)) for r in rows[header + 1:]]


def test_plan_export_filtered_by_mode_with_counts(client, login, call):
    _decide(client, call, PORTAL["name"], "included")
    _decide(client, call, UNRELATED["name"], "refused")
    _json(client, f"/api/v1/demand/calls/{call['id']}/needs/{_need(PHASE2['name']).pk}/mode", {"mode": "specialised"})
    response = client.get(f"/demand/{call['id']}/plan.xlsx?mode=specialised")
    assert response.status_code == 200 and "plan-2026-specialised.xlsx" in response["Content-Disposition"]
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames == ["年度计划", "按管理模式汇总"]
    rows = _sheet(wb["年度计划"])
    assert {r["需求名称"]: (r["管理模式（第三条）"], r["管理模式来源"]) for r in rows} == {
        PHASE1["name"]: (SPECIALISED, "单位申报"), PHASE2["name"]: (SPECIALISED, "数字化发展局确认")}
    assert SPECIALISED in wb["年度计划"]["A1"].value  # the title says the file is filtered
    totals = {r["管理模式"]: r for r in _sheet(wb["按管理模式汇总"])}
    assert set(totals) == {UNIFIED, SPECIALISED, "未分类", "合计"}  # the whole plan's frame
    assert (totals[UNIFIED]["纳入（项）"], totals[UNIFIED]["纳入金额（元）"]) == (1, 600000)
    assert (totals[SPECIALISED]["待定（项）"], totals[SPECIALISED]["合计金额（元）"]) == (2, 880000)
    assert (totals["未分类"]["不予纳入（项）"], totals["合计"]["合计（项）"]) == (1, 4)
    event = AuditEvent.objects.filter(event="export", data__what="yearly_plan").latest("pk")
    assert event.data["filters"]["mode"] == "specialised"

    api = client.get(f"/api/v1/demand/calls/{call['id']}/plan.xlsx", {"mode": "unclassified"})
    names = [r["需求名称"] for r in _sheet(load_workbook(io.BytesIO(api.content))["年度计划"])]
    assert names == [UNRELATED["name"]]


# ---------------------------------------------------------------- merge and drafts


def test_merging_two_specialised_phases_keeps_specialised_unconfirmed(client, login, call):
    lead, other = _need(PHASE1["name"]), _need(PHASE2["name"])
    assert _json(client, f"/api/v1/demand/calls/{call['id']}/plan/merge",
                 {"lead": lead.pk, "others": [other.pk], "reason": "同一平台分期建设"}).status_code == 200
    lead.refresh_from_db()
    assert (lead.mode, lead.confirmed_mode) == ("specialised", "")
    assert AuditEvent.objects.filter(event="demand.needs_merged").get().data["mode"] is None
    # The merged need follows its lead: it is not confirmed on its own.
    response = _json(client, f"/api/v1/demand/calls/{call['id']}/needs/{other.pk}/mode", {"mode": "unified"})
    assert response.status_code == 409 and "牵头需求" in response.json()["detail"]
    api = client.get(f"/api/v1/demand/calls/{call['id']}/plan").json()
    spec = next(t for t in api["totals"] if t["mode"] == "specialised")
    assert spec["total"] == {"count": 1, "amount": "880000.00"}  # one shared project, both phases' cost


def test_merging_with_a_unified_need_makes_the_shared_project_unified(client, login, call):
    lead, other = _need(UNRELATED["name"]), _need(PORTAL["name"])
    assert _json(client, f"/api/v1/demand/calls/{call['id']}/plan/merge",
                 {"lead": lead.pk, "others": [other.pk], "reason": "共建共享（第三条）"}).status_code == 200
    lead.refresh_from_db()
    assert (lead.proposed_mode, lead.confirmed_mode, lead.mode) == ("", "unified", "unified")
    assert lead.mode_confirmed_by.username == "bureau"
    event = AuditEvent.objects.filter(event="demand.needs_merged").get()
    assert event.data["mode"] == {"from": "", "to": "unified"}
    page = client.get(f"/demand/{call['id']}/plan/?mode=unified").content.decode()
    rows = _plan_table(page)
    assert UNRELATED["name"] in rows and PORTAL["name"] in rows and PHASE1["name"] not in rows  # the group
    assert _totals_row(page, UNIFIED)[4] == ("1", "900000.00")


def test_drafts_carry_the_plan_mode_into_the_register(client, login, call):
    url = f"/api/v1/demand/calls/{call['id']}"
    _json(client, f"{url}/needs/{_need(PHASE1['name']).pk}/mode", {"mode": "unified"})  # the bureau corrects
    for name in (PHASE1["name"], PORTAL["name"], UNRELATED["name"]):
        _decide(client, call, name, "included")
    created = _json(client, f"{url}/plan/drafts").json()["created"]
    assert len(created) == 3
    corrected, portal = Project.objects.get(name=PHASE1["name"]), Project.objects.get(name=PORTAL["name"])
    record = ProjectMode.objects.get(project=corrected)
    # The plan's mode in force is the draft's proposal; the review confirms it (Art. 3).
    assert (record.proposed_mode, record.mode, record.confirmed_mode) == ("unified", "unified", "")
    assert record.proposed_by.username == "applicant"
    assert ProjectMode.objects.get(project=portal).proposed_mode == "unified"
    assert not ProjectMode.objects.filter(project__name=UNRELATED["name"]).exists()  # 未分类 stays unclassified
    assert AuditEvent.objects.filter(event="portfolio.mode_propose", target_id=str(corrected.pk)).exists()
    step = AuditEvent.objects.filter(event="demand.drafts_created").get()
    assert step.data["modes"] == {corrected.code: "unified", portal.code: "unified"}
    response = _json(client, f"{url}/needs/{_need(PHASE1['name']).pk}/mode", {"mode": "specialised"})
    assert response.status_code == 409 and "项目审查" in response.json()["detail"]
    login("applicant")
    detail = client.get(f"/api/v1/portfolio/projects/{corrected.pk}").json()
    assert detail["mode"]["mode"] == "unified" and detail["mode"]["confirmed"] is False


@pytest.mark.django_db
def test_a_plan_action_with_a_need_id_that_is_not_a_number_says_so_without_a_server_error(client, login, call):
    login("bureau")
    for action, data in (("mode", {"need": "abc", "mode": "unified"}),
                         ("decide", {"need": "1.5", "decision": "include", "reason": "x"}),
                         ("merge", {"lead": "²", "others": ["²"], "reason": "x"})):
        response = client.post(f"/demand/{call['id']}/plan/{action}/", data, follow=True)
        assert response.status_code == 200, action
        assert "未找到该需求" in response.content.decode(), action
    assert not AuditEvent.objects.filter(event="demand.need_mode_confirmed").exists()
