"""A project carried from approval to its third year of O&M through the API, then retired."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tongchou.accounts.models import Organisation
from tongchou.audit.models import AuditEvent
from tongchou.delivery.models import InventorySystem
from tongchou.obligations.models import Obligation
from tongchou.projects.models import Project
from tongchou.reviews.approvals import approval_record, budget_record, project_file

TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=TZ), tick=False)


def committee(drawn_expert, project):
    org = {o.code: o.pk for o in Organisation.objects.all()}
    return [
        {"seat": "development_reform", "name": "吴发改", "organisation_id": org["cj-ndrc"]},
        {"seat": "finance", "name": "郑财政", "organisation_id": org["cj-finance"]},
        {"seat": "digital_bureau", "name": "钱局长", "organisation_id": org["cj-digital"]},
        {"seat": "archives", "name": "档案员", "organisation_id": org["cj-archives"]},
        {"seat": "unit", "name": "李单位", "organisation_id": project.unit_id},
        {"seat": "expert", "draw_member_id": drawn_expert.pk},
    ]


@pytest.mark.django_db
def test_from_approval_to_the_third_year_of_om_and_retirement(opinion_issued_project, demo_users, api, expert_for):
    p = opinion_issued_project
    drawn_expert = expert_for(p)
    base = f"/projects/{p.pk}"
    with at("2025-03-03"):
        # 立项批复 (发改委), budget (财政局), filing (the unit): the reviews branch's services.
        approval_record(project=p, actor=demo_users["ndrc"], doc_number="昌州发改〔2025〕31号",
                        approval_date=dt.date(2025, 3, 1), approved_amount="1200000")
        budget_record(project=p, actor=demo_users["finance"], year=2025, amount="1200000", source="prefecture_fiscal")
        project_file(project=Project.objects.get(pk=p.pk), actor=demo_users["applicant"])
        # The checklist is incomplete: procurement may not start, and the refusal names what is missing.
        status, body = api("applicant", "put", f"{base}/procurement", {"method": "open_tender", "start_date": "2025-03-03"})
        assert status == 200
        status, body = api("applicant", "post", f"{base}/procurement/start", {})
        assert status == 400
        assert "免费运维期限" in body["detail"] and "知识产权" in body["detail"] and "项目责任人" in body["detail"]
        assert "第二十九条" in body["article"]
        status, body = api("applicant", "put", f"{base}/procurement", {
            "tender_free_om_months": 12, "tender_annual_om_fee": "80000", "tender_ip_to_government": True,
            "implementing_body": "州教育局信息中心", "responsible_person": "李主任", "responsible_phone": "13899990000"})
        assert status == 200
        assert body["procurement"]["responsible_phone"] == "138****0000"
        assert body["procurement_missing"] == []
        status, body = api("applicant", "post", f"{base}/procurement/start", {})
        assert (status, body["status"]) == (200, "procurement")
        # The start stops the Art. 26 clock: the approval's deadline is met, and the facts say when.
        assert Obligation.objects.get(project=p, code="ART26-PROCUREMENT-DEADLINE").status == "done"
        assert Project.objects.get(pk=p.pk).procurement_start_date == dt.date(2025, 3, 3)
    with at("2025-05-20"):
        # Art. 23: a development contract longer than three years is refused; a short free O&M period warns.
        contract = {"kind": "development", "vendor": "新疆某科技有限公司", "amount": "1200000.00",
                    "signed_on": "2025-05-20", "construction_period_months": 40, "free_om_months": 12,
                    "ip_to_government": True}
        status, body = api("applicant", "post", f"{base}/contracts", contract)
        assert (status, body["code"], body["field"]) == (400, "ART23-CONSTRUCTION-PERIOD", "construction_period_months")
        status, body = api("applicant", "post", f"{base}/contracts", {**contract, "construction_period_months": 8})
        assert status == 201 and body["findings"] == []
        status, body = api("applicant", "post", f"{base}/implementation/start", {})
        assert body["status"] == "implementation"
        assert api("applicant", "post", f"{base}/milestones", {"name": "需求确认", "planned_on": "2025-06-30"})[0] == 201
        assert api("applicant", "post", f"{base}/reports", {"kind": "supervision", "reported_on": "2025-05-20",
                                                          "author": "某监理公司", "summary": "开工准备就绪"})[0] == 201
        # Going live needs the cryptography plan first (Art. 22).
        status, body = api("applicant", "post", f"{base}/trial/start", {"started_on": "2025-05-20"})
        assert (status, body["code"]) == (400, "no_crypto_plan")
        assert api("applicant", "put", f"{base}/security", {"crypto_plan": "SM2/SM3/SM4 密码应用方案", "grade": 3})[0] == 200
    with at("2026-01-12"):
        status, body = api("applicant", "post", f"{base}/trial/start", {"started_on": "2026-01-12"})
        assert body["status"] == "trial_operation"
        assert api("applicant", "put", f"{base}/security", {"filed_on": "2026-01-12", "filing_number": "65230013"})[0] == 200
        assert api("applicant", "post", f"{base}/crypto-assessments", {
            "assessed_on": "2026-01-12", "assessor": "某密评机构", "result": "passed"})[1]["next_due"] == "2027-01-12"
    with at("2026-04-15"):
        api("applicant", "post", f"{base}/trial/finish", {"ended_on": "2026-04-10", "normal": True, "summary": "运行正常"})
        status, body = api("applicant", "post", f"{base}/acceptance/apply", {"report": "竣工验收报告全文……"})
        assert body["status"] == "acceptance_applied"
        status, body = api("ndrc", "post", f"{base}/acceptance/committee", {"members": committee(drawn_expert, p)})
        assert status == 200 and len(body["members"]) == 6
        status, body = api("ndrc", "post", f"{base}/acceptance/conclude", {"passed": True, "conclusion": "同意通过竣工验收"})
        assert body["status"] == "accepted"
        # Operations need the system in the inventory (Art. 35).
        status, body = api("applicant", "post", f"{base}/operations/start", {})
        assert (status, body["code"]) == (400, "not_in_inventory")
        status, body = api("applicant", "post", "/inventory", {
            "name": "智慧校园平台", "purpose": "全州中小学教学、排课与学籍管理", "deployment": "gov_cloud",
            "built_by_project_id": p.pk, "data_interfaces": ["学籍查询接口"], "shared_resources": ["学生学籍基础信息"]})
        assert status == 201 and body["migration_status"] == "not_required"
        status, body = api("applicant", "post", f"{base}/operations/start", {})
        assert body["status"] == "operating"
        # Performance: goals, finance schedules the self-evaluation.
        ids = {}
        for dim, name, op, target in (("output", "覆盖学校数", "ge", "120"), ("cost", "单校成本", "le", "10000"),
                                      ("benefit", "线上办理率", "ge", "90"), ("satisfaction", "满意度", "ge", "90")):
            ids[name] = api("applicant", "post", f"{base}/indicators",
                            {"dimension": dim, "name": name, "operator": op, "target": target, "unit": ""})[1]["id"]
        status, body = api("finance", "post", f"{base}/performance-reports",
                           {"kind": "self_evaluation", "year": 2026, "due_on": "2027-03-31"})
        assert status == 201
    with at("2027-03-10"):
        status, body = api("applicant", "post", f"{base}/performance/self-evaluation", {
            "year": 2026, "budget": "1200000", "spent": "1200000",
            "actuals": {str(ids["覆盖学校数"]): "120", str(ids["单校成本"]): "9000", str(ids["线上办理率"]): "81",
                        str(ids["满意度"]): "95"}})
        assert status == 200
        assert body["scores"]["total"] == "97.00" and body["grade"] == "优"
    granted = []
    for year, today in ((2027, "2027-04-20"), (2028, "2028-03-01"), (2029, "2029-03-01")):
        with at(today):
            status, body = api("applicant", "post", f"{base}/om-requests", {"year": year, "amount": "80000"})
            assert status == 201, body
            assert body["eligible"] is True and body["reasons"] == []
            status, body = api("finance", "post", f"{base}/om-requests/{body['id']}/decision", {"approve": True})
            assert body["status"] == "approved"
            granted.append((year, body["granted_amount"]))
    assert granted == [(2027, "80000.00"), (2028, "80000.00"), (2029, "80000.00")]
    with at("2029-06-01"):
        status, body = api("applicant", "post", f"{base}/retire", {})
        assert (status, body["code"]) == (400, "handover_incomplete")
        digital = Organisation.objects.get(code="cj-digital")
        status, body = api("applicant", "put", f"{base}/handover", {
            "data_handed_over": True, "documents_handed_over": True, "receiver_id": digital.pk,
            "handed_over_on": "2029-06-01"})
        assert body["missing"] == []
        status, body = api("applicant", "post", f"{base}/retire", {})
        assert body["status"] == "retired"
    system = InventorySystem.objects.get(built_by=p)
    assert (system.status, system.retired_on) == ("retired", dt.date(2029, 6, 1))
    assert Project.objects.get(pk=p.pk).status == "retired"
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {"project.accept", "delivery.om.decide", "delivery.inventory.retired", "delivery.contract.record"} <= events


@pytest.mark.django_db
def test_another_unit_cannot_see_or_touch_the_project(approved_project, api):
    for method, path in (("get", ""), ("put", "/procurement"), ("post", "/om-requests")):
        status, body = api("applicant2", method, f"/projects/{approved_project.pk}{path}",
                           {"year": 2027, "amount": "1"} if method == "post" else None)
        assert status == 404, (method, path, body)
    status, _ = api("applicant", "get", f"/projects/{approved_project.pk}")
    assert status == 200


@pytest.mark.django_db
def test_bad_input_names_the_field_in_chinese(approved_project, api):
    status, body = api("applicant", "post", f"/projects/{approved_project.pk}/contracts",
                       {"vendor": "某公司", "amount": "-5", "signed_on": "2025-13-01"})
    assert status == 422
    fields = {e["field"] for e in body["errors"]}
    assert {"amount", "signed_on"} <= fields


@pytest.mark.django_db
@pytest.mark.parametrize(("start", "outcome"), [("2026-03-01", 200), ("2026-03-02", 400)])
def test_procurement_started_after_the_art26_anniversary_is_refused(opinion_issued_project, demo_users, api,
                                                                    start, outcome):
    """The anniversary itself (2026-03-01 for an approval of 2025-03-01) is still in time."""
    p = opinion_issued_project
    with at("2025-03-03"):
        approval_record(project=p, actor=demo_users["ndrc"], doc_number="昌州发改〔2025〕31号",
                        approval_date=dt.date(2025, 3, 1), approved_amount="1200000")
        budget_record(project=p, actor=demo_users["finance"], year=2025, amount="1200000", source="prefecture_fiscal")
        project_file(project=Project.objects.get(pk=p.pk), actor=demo_users["applicant"])
    with at("2026-03-05"):
        api("applicant", "put", f"/projects/{p.pk}/procurement", {
            "method": "open_tender", "start_date": start, "tender_free_om_months": 12, "tender_annual_om_fee": "1",
            "tender_ip_to_government": True, "implementing_body": "信息中心", "responsible_person": "李主任"})
        status, body = api("applicant", "post", f"/projects/{p.pk}/procurement/start", {})
    assert status == outcome
    if outcome == 400:
        assert (body["code"], body["article"]) == ("ART26-LAPSED", "第二十六条")
