"""A county runs the whole cycle for its own projects (Art. 19, 36; ADR 0190): the county bureau's lead
records the 立项批复 and the budget (reviews), and now also convenes the acceptance committee, records its
conclusion and decides the O&M funding — all through the API and the pages. Prefecture members never see it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import time_machine
from django.utils import timezone

from tongchou.accounts.models import Organisation, User
from tongchou.audit.models import AuditEvent
from tongchou.delivery.rules.committee import missing_seats, refusal_message, seat_roll
from tongchou.notifications.models import Notification
from tongchou.projects.models import Project, Status

TZ = dt.timezone(dt.timedelta(hours=8))


def at(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=TZ), tick=False)


@pytest.fixture
def county_lead(demo_users):
    return demo_users["countylead"]


@pytest.fixture
def county_opinion_project(demo_users):
    """A 昌吉市 project whose county bureau issued its opinion (同意) on 2025-02-25: the review ceremony is
    tested in tests/reviews; from here on everything goes through the API and the pages."""
    from tongchou.reviews.models import ConsolidatedOpinion, ProjectRouting, ReviewRound

    bureau = Organisation.objects.get(code="changji-digital")
    project = Project.objects.create(
        code="CJS-2025-0911", name="昌吉市教育云平台", unit=Organisation.objects.get(code="changji-edu"), year=2025,
        level="county", status=Status.OPINION_ISSUED, created_by=demo_users["countyapp"],
        application_date=dt.date(2025, 2, 10), project_type="new", category="development",
        construction_cost="600000", deployment="gov_cloud", review_path="security_review", funding_source="self_raised",
        reviewer_codes=",crypto_bureau,development_reform,digital_bureau,finance,public_security,")
    now = timezone.now()
    ProjectRouting.objects.create(project=project, review_path="security_review", authority=bureau,
                                  reviewers=["crypto_bureau", "public_security"], expert_review=False, routed_at=now,
                                  routed_by=demo_users["county"])
    rnd = ReviewRound.objects.create(project=project, number=1, review_path="security_review", authority=bureau,
                                     status="closed", opened_at=now, closed_at=now, opened_by=demo_users["county"])
    ConsolidatedOpinion.objects.create(
        round=rnd, title="关于昌吉市教育云平台项目的审查意见", addressee="昌吉市教育局", body="同意。", conclusion="agree",
        status="issued", edited_by=demo_users["county"], edited_at=now, issuer=bureau, doc_year=2025, doc_seq=3,
        doc_number="昌市数发〔2025〕3号", issued_on=dt.date(2025, 2, 25), issued_at=now, issued_by=demo_users["county"],
        docx_sm3="0" * 64)
    return project


@pytest.fixture
def call(client):
    """call(user, method, url, body) → (status, json) through the API as that user."""

    def _call(user, method: str, url: str, body=None):
        client.force_login(user)
        response = getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, response.content

    return _call


def _queue(client, user) -> list[tuple[str, int]]:
    client.force_login(user)
    response = client.get("/api/v1/reviews/queue")
    assert response.status_code == 200
    return [(i["queue"], i["project"]) for i in response.json()["items"]]


def county_committee(project, drawn) -> list[dict]:
    org = {o.code: o.pk for o in Organisation.objects.all()}
    return [
        # the county's own 发改 and 财政 offices are not Tongchou organisations: named people (Art. 19, 36)
        {"seat": "development_reform", "name": "昌吉市发改委 马主任"},
        {"seat": "finance", "name": "昌吉市财政局 李科长"},
        {"seat": "digital_bureau", "name": "冯县局", "organisation_id": org["changji-digital"]},
        {"seat": "archives", "name": "昌吉市档案馆 王馆员"},
        {"seat": "unit", "name": "陈县申报", "organisation_id": project.unit_id},
        {"seat": "expert", "draw_member_id": drawn.pk},
    ]


@pytest.mark.django_db
def test_the_county_bureau_lead_carries_a_county_project_from_approval_to_om(
        county_opinion_project, county_lead, demo_users, call, client, expert_for, monkeypatch):
    monkeypatch.setattr("tongchou.delivery.services.om.assess",
                        lambda facts: {"om_funding": {"eligible": True, "reasons": []}, "findings": []})
    p = county_opinion_project
    unit, ndrc, finance, county_reviewer = (demo_users[u] for u in ("countyapp", "ndrc", "finance", "county"))
    base = f"/api/v1/delivery/projects/{p.pk}"
    with at("2025-03-03"):
        # The prefecture commission does not even see it; the county's reviewer may not approve (the lead does).
        assert call(ndrc, "post", f"/api/v1/reviews/projects/{p.pk}/approval", {
            "doc_number": "x", "approval_date": "2025-03-01", "approved_amount": "600000"})[0] == 404
        assert call(county_reviewer, "post", f"/api/v1/reviews/projects/{p.pk}/approval", {
            "doc_number": "x", "approval_date": "2025-03-01", "approved_amount": "600000"})[0] == 403
        status, body = call(county_lead, "post", f"/api/v1/reviews/projects/{p.pk}/approval", {
            "doc_number": "昌市发改〔2025〕7号", "approval_date": "2025-03-01", "approved_amount": "600000"})
        assert (status, body["status"]) == (200, "approved"), body
        status, body = call(county_lead, "post", f"/api/v1/reviews/projects/{p.pk}/budget",
                            {"year": 2025, "amount": "600000", "source": "self_raised"})
        assert status == 200, body
        assert call(unit, "post", f"/api/v1/reviews/projects/{p.pk}/file")[1]["status"] == "filed"
        assert call(unit, "put", f"{base}/procurement", {
            "method": "open_tender", "start_date": "2025-03-03", "tender_free_om_months": 12,
            "tender_annual_om_fee": "40000", "tender_ip_to_government": True, "implementing_body": "昌吉市教育局信息中心",
            "responsible_person": "陈主任", "responsible_phone": "13899990001"})[0] == 200
        status, body = call(unit, "post", f"{base}/procurement/start", {})
        assert (status, body.get("status")) == (200, "procurement"), body
    with at("2025-05-20"):
        assert call(unit, "post", f"{base}/contracts", {
            "kind": "development", "vendor": "新疆某科技有限公司", "amount": "600000.00", "signed_on": "2025-05-20",
            "construction_period_months": 8, "free_om_months": 12, "ip_to_government": True})[0] == 201
        assert call(unit, "post", f"{base}/implementation/start", {})[1]["status"] == "implementation"
        assert call(unit, "put", f"{base}/security", {"crypto_plan": "SM2/SM3/SM4 密码应用方案", "grade": 2})[0] == 200
    with at("2026-01-12"):
        assert call(unit, "post", f"{base}/trial/start", {"started_on": "2026-01-12"})[1]["status"] == "trial_operation"
    drawn = expert_for(p)
    with at("2026-04-15"):
        call(unit, "post", f"{base}/trial/finish", {"ended_on": "2026-04-10", "normal": True, "summary": "运行正常"})
        status, body = call(unit, "post", f"{base}/acceptance/apply", {"report": "竣工验收报告全文……"})
        assert body["status"] == "acceptance_applied"
        # told and queued: the county lead, nobody at the prefecture
        assert set(Notification.objects.filter(subject__contains="竣工验收申请")
                   .values_list("recipient__username", flat=True)) == {"countylead"}
        assert _queue(client, county_lead) == [("acceptance", p.pk)]
        assert _queue(client, ndrc) == [] and _queue(client, county_reviewer) == []
        members = county_committee(p, drawn)
        # the prefecture commission: the project does not exist for it (404), by API and by page
        assert call(ndrc, "post", f"{base}/acceptance/committee", {"members": members})[0] == 404
        client.force_login(ndrc)
        assert client.get(f"/projects/{p.pk}/delivery/").status_code == 404
        assert client.post(f"/projects/{p.pk}/delivery/committee/", {}).status_code == 404
        # the county's reviewer sees it but does not decide
        status, body = call(county_reviewer, "post", f"{base}/acceptance/committee", {"members": members})
        assert status == 403 and "县市数字化发展局负责人" in body["detail"]
        # a prefecture bureau in the county's digital seat is refused, naming Art. 19/36
        wrong = [m if m["seat"] != "digital_bureau" else {**m, "organisation_id": Organisation.objects.get(
            code="cj-digital").pk} for m in members]
        status, body = call(county_lead, "post", f"{base}/acceptance/committee", {"members": wrong})
        assert status == 400 and "第十九条" in body["detail"], body
        status, body = call(county_lead, "post", f"{base}/acceptance/committee", {"members": members})
        assert status == 200 and len(body["members"]) == 6, body
        # the page's seat checklist names the county's departments, all filled
        client.force_login(county_lead)
        page = client.get(f"/projects/{p.pk}/delivery/?tab=acceptance").content.decode()
        assert "县市发改部门" in page and "昌吉市发改委 马主任" in page and 'class="seat-missing"' not in page
        assert "登记验收结论（县市数字化发展局负责人）" in page
        # the conclusion through the page, as the lead would
        response = client.post(f"/projects/{p.pk}/delivery/acceptance-conclude/",
                               {"passed": "1", "conclusion": "同意通过竣工验收"})
        assert response.status_code == 302, response.content.decode()[:400]
        assert Project.objects.get(pk=p.pk).status == "accepted"
        assert call(unit, "post", "/api/v1/delivery/inventory", {
            "name": "昌吉市教育云", "purpose": "全市中小学教学资源", "deployment": "gov_cloud",
            "built_by_project_id": p.pk})[0] == 201
        assert call(unit, "post", f"{base}/operations/start", {})[1]["status"] == "operating"
    with at("2027-04-20"):
        status, body = call(unit, "post", f"{base}/om-requests", {"year": 2027, "amount": "40000"})
        assert status == 201, body
        request_id = body["id"]
        assert _queue(client, county_lead) == [("om_request", p.pk)]
        assert _queue(client, finance) == []
        assert call(finance, "post", f"{base}/om-requests/{request_id}/decision", {"approve": True})[0] == 404
        assert call(county_reviewer, "post", f"{base}/om-requests/{request_id}/decision", {"approve": True})[0] == 403
        # the decision on the page, by the lead (a fresh password: the 90-day prompt would answer first)
        User.objects.filter(pk=county_lead.pk).update(password_changed_at=timezone.now())
        client.force_login(county_lead)
        page = client.get(f"/projects/{p.pk}/delivery/?tab=om").content.decode()
        assert f"/om-requests/{request_id}/decision/" in page
        response = client.post(f"/projects/{p.pk}/delivery/om-requests/{request_id}/decision/",
                               {"approve": "1", "granted_amount": "40000", "note": ""})
        assert response.status_code == 302
        assert _queue(client, county_lead) == []
    decided = AuditEvent.objects.filter(event="delivery.om.decide").get()
    assert decided.actor_id == county_lead.pk
    assert AuditEvent.objects.filter(event="project.accept", actor_id=county_lead.pk).exists()
    assert AuditEvent.objects.filter(event="delivery.acceptance.convene", actor_id=county_lead.pk).exists()


@pytest.mark.django_db
def test_the_prefecture_bureau_lead_does_not_approve_and_the_lifecycle_table_says_so(opinion_issued_project,
                                                                                     demo_users, call):
    """The table and `require_field_owner` agree: the prefecture bureau lead is not an `approve` actor."""
    from tongchou.lifecycle.actions import project_actions_for
    from tongchou.lifecycle.table import BY_ACTION, COUNTY_LEAD, member

    assert BY_ACTION["approve"].actors == (member("development_reform"), COUNTY_LEAD)
    assert BY_ACTION["accept"].actors == (member("development_reform"), COUNTY_LEAD)
    p = opinion_issued_project
    actions = {a["action"] for a in project_actions_for(project=p, user=demo_users["bureau"])}
    assert "approve" not in actions
    status, body = call(demo_users["bureau"], "post", f"/api/v1/reviews/projects/{p.pk}/approval", {
        "doc_number": "昌州发改〔2025〕31号", "approval_date": "2025-03-01", "approved_amount": "1200000"})
    assert status == 403 and "发改" in body["detail"]
    assert "approve" in {a["action"] for a in project_actions_for(project=p, user=demo_users["ndrc"])}


def test_the_committee_rule_names_the_countys_own_departments():
    seats = ["development_reform", "digital_bureau", "unit", "expert"]
    assert missing_seats(seats) == ["财政部门", "档案部门"]
    assert missing_seats(seats, county=True) == ["县市财政部门", "档案部门"]
    assert "第三十六条" in refusal_message(["县市财政部门"], county=True)
    assert "第三十六条" not in refusal_message(["财政部门"])
    roll = seat_roll([("finance", "李科长")], county=True)
    assert roll[1] == {"seat": "finance", "label": "县市财政部门", "names": ["李科长"], "missing": False}
    assert [r["missing"] for r in roll].count(True) == 5
