"""The bureau's side: findings over the call and register, ranking, cap, merge, reasons, drafts, export."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from tests.demand.call_helpers import PHASE1, PHASE2, UNRELATED, open_call, submit
from tongchou.accounts.models import Organisation
from tongchou.audit.models import AuditEvent
from tongchou.delivery.services.inventory import system_register
from tongchou.demand.models import Need
from tongchou.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _before_deadline():
    with time_machine.travel("2025-10-01 10:00:00+08:00", tick=False):
        yield

PORTAL = {"name": "医保移动服务平台", "goals": "让参保群众掌上办理医保业务。",
          "content": "建设参保登记、异地就医备案、门诊慢特病申请、医疗费用零星报销、医保关系转移接续等功能。",
          "technical_route": "", "estimated_cost": "600000", "category": "development",
          "priority_basis": "other_necessary", "contact": "王申报 0994-7654321"}


def _json(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


@pytest.fixture
def call(client, login):
    data = open_call(client, login)
    login("applicant")
    for need in (PHASE1, PHASE2, UNRELATED):
        assert submit(client, data["id"], need).status_code == 201
    login("applicant2")
    assert submit(client, data["id"], PORTAL).status_code == 201
    login("bureau")
    return data


def _need(name):
    return Need.objects.get(name=name)


def test_bureau_findings_show_planted_split_and_inventory_overlap(client, login, call, demo_users):
    system_register(actor=demo_users["bureau"], owner=Organisation.objects.get(name="昌吉州医疗保障局"),
                    name="医保经办服务平台", deployment="gov_cloud",
                    purpose="建设参保登记、异地就医备案、门诊慢特病申请、医疗费用零星报销、医保关系转移接续等功能，"
                            "让群众办理医保业务少跑腿。")
    login("applicant")  # a unit cannot run the bureau's check
    assert _json(client, f"/api/v1/demand/calls/{call['id']}/findings").status_code == 403
    login("bureau")
    body = _json(client, f"/api/v1/demand/calls/{call['id']}/findings").json()
    splits = [g for g in body["groups"] if g["code"] == "ART8-SPLIT"]
    assert len(splits) == 1
    names = sorted(m["name"] for m in splits[0]["members"])
    assert names == sorted([PHASE1["name"], PHASE2["name"]])
    assert splits[0]["combined_cost"] == 880000 and splits[0]["review_path"] == "joint_review"
    assert all(m["description"] for m in splits[0]["members"])  # the evidence side by side
    assert not any(UNRELATED["name"] in str(g["members"]) for g in body["groups"])
    overlaps = [i for i in body["inventory"] if i["need"]["name"] == PORTAL["name"]]
    assert len(overlaps) == 1 and overlaps[0]["systems"][0]["name"] == "医保经办服务平台"
    cached = client.get(f"/api/v1/demand/calls/{call['id']}/findings").json()
    assert cached["computed_at"] and len(cached["groups"]) == len(body["groups"])


def test_findings_reach_earlier_years_of_the_register(client, login, call, demo_users):
    login("applicant")
    old = client.post("/api/v1/projects", {"name": "智慧校园管理平台", "year": 2025,
                                           "construction_cost": "400000"}, content_type="application/json")
    assert old.status_code in (200, 201), old.content.decode()
    project = Project.objects.get(name="智慧校园管理平台")
    project.materials.create(kind="basic_info", text="提升中小学校园管理和教学服务水平，建设电子班牌信息发布、"
                                                     "校园一卡通消费与门禁、家校互动通知等功能。")
    login("bureau")
    body = _json(client, f"/api/v1/demand/calls/{call['id']}/findings").json()
    members = [m for g in body["groups"] for m in g["members"]]
    assert any(m["kind"] == "project" and m["name"] == "智慧校园管理平台" for m in members)


def test_ranking_by_priority_and_findings_with_budget_cap(client, login, call):
    url = f"/api/v1/demand/calls/{call['id']}"
    _json(client, f"{url}/findings")
    rows = _json(client, f"{url}/plan/rank", {"budget_cap": "800000"}).json()
    order = [r["need"]["name"] for r in rows]
    # key_work (三) before other_necessary (四) before none; flagged splits after the clean needs of their class
    assert order.index(PHASE1["name"]) < order.index(PORTAL["name"]) < order.index(UNRELATED["name"])
    assert order[:2] == [PHASE2["name"], PHASE1["name"]]  # both flagged, cheaper first
    within = {r["need"]["name"]: r["within_cap"] for r in rows}
    assert within[PHASE2["name"]] is True and within[PHASE1["name"]] is False
    assert _need(PHASE2["name"]).rank == 1

    assert _json(client, f"{url}/needs/{_need(PORTAL['name']).pk}/decision",
                 {"decision": "included", "reason": "群众急需"}).status_code == 200
    refused = _json(client, f"{url}/needs/{_need(UNRELATED['name']).pk}/decision",
                    {"decision": "included", "reason": "必要"})
    assert refused.status_code == 400 and "超过年度预算总额上限" in refused.json()["detail"]
    assert _need(UNRELATED["name"]).decision == "pending"


def test_reason_required_for_every_decision(client, login, call):
    url = f"/api/v1/demand/calls/{call['id']}/needs/{_need(UNRELATED['name']).pk}/decision"
    for decision in ("included", "deferred", "refused"):
        response = _json(client, url, {"decision": decision, "reason": "  "})
        assert response.status_code == 400 and response.json()["field"] == "reason"
    assert _need(UNRELATED["name"]).decision == "pending"
    assert _json(client, url, {"decision": "deferred", "reason": "与现有资助系统功能重叠，待评估"}).status_code == 200
    event = AuditEvent.objects.filter(event="demand.need_decided").latest("pk")
    assert event.data["reason"] == "与现有资助系统功能重叠，待评估"


def test_merge_then_drafts_for_units_and_plan_export(client, login, call):
    url = f"/api/v1/demand/calls/{call['id']}"
    lead, other = _need(PHASE1["name"]), _need(PHASE2["name"])
    assert _json(client, f"{url}/plan/merge", {"lead": lead.pk, "others": [other.pk], "reason": ""}).status_code == 400
    response = _json(client, f"{url}/plan/merge", {"lead": lead.pk, "others": [other.pk],
                                                   "reason": "同一平台分期建设，合并为一个项目（第三条、第八条）"})
    assert response.status_code == 200
    other.refresh_from_db()
    assert other.decision == "merged" and other.merged_into_id == lead.pk
    assert _json(client, f"{url}/needs/{other.pk}/decision", {"decision": "included", "reason": "x"}).status_code == 409
    for need, decision in ((lead, "included"), (_need(PORTAL["name"]), "included"), (_need(UNRELATED["name"]), "refused")):
        assert _json(client, f"{url}/needs/{need.pk}/decision", {"decision": decision, "reason": "经研究"}).status_code == 200

    login("applicant")  # only the bureau turns the plan into drafts
    assert _json(client, f"{url}/plan/drafts").status_code == 403
    login("bureau")
    created = _json(client, f"{url}/plan/drafts").json()["created"]
    assert sorted(c["unit"] for c in created) == ["昌吉州医疗保障局", "昌吉州教育局"]
    project = Project.objects.get(name=PHASE1["name"])
    assert project.status == "draft" and project.year == 2026 and project.unit.name == "昌吉州教育局"
    assert project.construction_cost == Decimal("880000.00")  # the shared project carries both phases
    assert project.priority_basis == ["key_work"]
    assert AuditEvent.objects.filter(event="project.created", target_id=str(project.pk)).exists()
    assert _json(client, f"{url}/plan/drafts").json()["created"] == []  # idempotent
    login("applicant")
    assert client.get(f"/api/v1/projects/{project.pk}").status_code == 200  # the unit's own draft

    login("bureau")
    response = client.get(f"{url}/plan.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    rows = [[c for c in r] for r in ws.iter_rows(values_only=True)]
    header = rows.index(next(r for r in rows if r[0] == "排序"))
    col = {h: i for i, h in enumerate(rows[header])}
    data = {r[2]: {h: r[i] for h, i in col.items()} for r in rows[header + 1:]}
    assert data[PHASE1["name"]]["计划决定"] == "纳入年度计划" and data[PHASE1["name"]]["申报草稿编号"] == project.code
    assert data[PHASE2["name"]]["计划决定"] == "合并至共建项目" and data[PHASE2["name"]]["合并至"] == PHASE1["name"]
    assert data[UNRELATED["name"]]["计划决定"] == "不予纳入" and data[UNRELATED["name"]]["决定理由"] == "经研究"
    assert AuditEvent.objects.filter(event="export", data__what="yearly_plan").exists()


def test_plan_export_is_formula_safe(client, login, demo_users):
    call = open_call(client, login)
    login("applicant")
    assert submit(client, call["id"], {**UNRELATED, "name": '=HYPERLINK("http://x","y")'}).status_code == 201
    login("bureau")
    ws = load_workbook(io.BytesIO(client.get(f"/api/v1/demand/calls/{call['id']}/plan.xlsx").content)).active
    cell = next(c for r in ws.iter_rows() for c in r if c.value and "HYPERLINK" in str(c.value))
    assert cell.data_type == "s"


def test_demo_call_is_idempotent_and_its_planted_split_is_found(client, login, demo_users):
    from tongchou.demand.demo import seed_demo_demand
    from tongchou.demand.models import Call

    assert seed_demo_demand() == 5
    assert seed_demo_demand() == 0
    call = Call.objects.get(year=2026)
    login("bureau")
    body = _json(client, f"/api/v1/demand/calls/{call.pk}/findings").json()
    split = [g for g in body["groups"] if g["code"] == "ART8-SPLIT"]
    assert len(split) == 1 and split[0]["evades_review"] is True
    assert sorted(m["name"] for m in split[0]["members"]) == ["智慧校园管理平台（一期）", "智慧校园管理平台（二期）"]


def test_units_are_told_of_the_call_and_of_their_decision(client, login, call, demo_users):
    from tongchou.notifications.models import Notification

    applicant = demo_users["applicant"]
    assert Notification.objects.filter(recipient=applicant, subject__contains="已发布").exists()
    assert not Notification.objects.filter(recipient=demo_users["countyapp"], subject__contains="已发布").exists()
    need = _need(UNRELATED["name"])
    _json(client, f"/api/v1/demand/calls/{call['id']}/needs/{need.pk}/decision",
          {"decision": "deferred", "reason": "待明年统筹"})
    notice = Notification.objects.filter(recipient=applicant, subject__contains="暂缓").get()
    assert notice.body == "待明年统筹"
