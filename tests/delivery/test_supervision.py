"""Supervision after approval (Art. 14(二)(三), 22, 30; ADR 0180): public security and the crypto bureau see
approved projects, record inspections, issue rectification orders the unit answers, and their open findings
decide Art. 30(二) for O&M funding whatever the unit answers."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tongchou.audit.models import AuditEvent
from tongchou.delivery.models import (
    Acceptance,
    Contract,
    InventorySystem,
    OMFundingRequest,
    RectificationOrder,
    SupervisoryInspection,
)
from tongchou.notifications.models import Notification
from tongchou.obligations.models import Obligation
from tongchou.projects.models import Project, Status

TZ = dt.timezone(dt.timedelta(hours=8))


def on(day: str):
    y, m, d = map(int, day.split("-"))
    return time_machine.travel(dt.datetime(y, m, d, 10, tzinfo=TZ), tick=False)


@pytest.fixture
def operating(project_in):
    """An operating project, accepted and on the government cloud, routed in review to NDRC and finance only:
    the supervisors see it by their delivery remit, not by the review routing."""
    project = project_in(Status.OPERATING)
    Project.objects.filter(pk=project.pk).update(
        construction_cost=1_000_000, annual_om_cost=80_000,
        reviewer_codes=",digital_bureau,development_reform,finance,")
    project.refresh_from_db()
    Contract.objects.create(project=project, kind="development", vendor="某公司", amount=1_000_000,
                            signed_on="2025-05-20", construction_period_months=8, free_om_months=12,
                            ip_to_government=True)
    Acceptance.objects.create(project=project, report="报告", applied_on="2026-04-15", convened_on="2026-04-15",
                              passed=True, conclusion="通过", concluded_on="2026-04-15")
    InventorySystem.objects.create(name="智慧校园平台", purpose="教学管理", owner=project.unit, built_by=project,
                                   deployment="gov_cloud", migration_status="not_required")
    return project


def om_request(api, project, year: int, day: str, **declared):
    with on(day):
        status, body = api("applicant", "post", f"/projects/{project.pk}/om-requests",
                           {"year": year, "amount": "80000", **declared})
    assert status == 201, body
    return body


def supervised(body) -> list[dict]:
    """The request's basis for Art. 30(二) (the list also names the records behind (一) and (三), ADR 0210)."""
    return [x for x in body["supervision"] if x["article"] == "第三十条第（二）项"]


def art30_2(body) -> dict:
    return next(f for f in body["findings"] if f["code"] == "ART30-2")


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["police", "crypto"])
def test_the_supervisors_see_approved_projects_not_routed_to_them(operating, api, username):
    status, body = api(username, "get", f"/projects/{operating.pk}")
    assert status == 200 and body["project"]["code"] == operating.code
    assert api(username, "get", f"/projects/{operating.pk}/supervision")[0] == 200
    # but not a project still under review that was never routed to them
    Project.objects.filter(pk=operating.pk).update(status=Status.UNDER_REVIEW)
    assert api(username, "get", f"/projects/{operating.pk}")[0] == 404
    # nor a county's project: the county supervises its own (Art. 19), as for NDRC and finance
    Project.objects.filter(pk=operating.pk).update(status=Status.OPERATING, level="county")
    assert api(username, "get", f"/projects/{operating.pk}")[0] == 404


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["police", "crypto"])
def test_the_supervisors_read_but_cannot_write_the_units_records(operating, api, username):
    status, body = api(username, "post", f"/projects/{operating.pk}/milestones",
                       {"name": "上线", "planned_on": "2027-01-01"})
    assert status == 403, body
    status, body = api(username, "post", f"/projects/{operating.pk}/om-requests", {"year": 2027, "amount": "1"})
    assert status == 403 and not OMFundingRequest.objects.exists()


@pytest.mark.django_db
def test_a_major_risk_found_by_police_decides_the_next_om_request_whatever_the_unit_answers(operating, api):
    with on("2027-03-10"):
        status, body = api("police", "post", f"/projects/{operating.pk}/inspections", {
            "scope": "互联网暴露面与数据库访问控制", "findings": "数据库弱口令，公网可访问管理端口", "adverse": True})
    assert status == 201, body
    assert (body["kind"], body["adverse"], body["inspected_on"]) == ("risk_inspection", True, "2027-03-10")
    assert AuditEvent.objects.filter(event="delivery.supervision.inspect").exists()
    assert Notification.objects.filter(recipient__username="applicant", subject__contains="重大安全隐患").exists()

    body = om_request(api, operating, 2027, "2027-04-20", major_security_risk=False)
    assert (body["eligible"], body["reasons"]) == (False, ["ART30-2"])
    assert "第三十条" in art30_2(body)["article"]
    assert "存在重大安全隐患" in art30_2(body)["message"]
    request = OMFundingRequest.objects.get()
    assert request.facts["major_security_risk"] is True and request.major_security_risk is False  # the unit's word kept
    assert [x["fact"] for x in supervised(body)] == ["major_security_risk"]
    assert "州公安局" in supervised(body)[0]["source"] or "公安" in supervised(body)[0]["source"]

    # a clean re-inspection resolves the finding: the next year's request is eligible again
    with on("2028-02-01"):
        status, body = api("police", "post", f"/projects/{operating.pk}/inspections",
                           {"scope": "复查：弱口令与管理端口", "adverse": False})
    assert status == 201, body
    first = SupervisoryInspection.objects.order_by("pk").first()
    assert first is not None and first.resolved_on == dt.date(2028, 2, 1)
    body = om_request(api, operating, 2028, "2028-04-20")
    assert (body["eligible"], body["reasons"], supervised(body)) == (True, [], [])


@pytest.mark.django_db
def test_a_rectification_order_is_the_units_obligation_answered_and_closed_by_the_issuer(operating, api):
    with on("2027-03-10"):
        _, inspection = api("crypto", "post", f"/projects/{operating.pk}/inspections", {
            "scope": "密码应用", "findings": "身份鉴别未使用商用密码", "adverse": True})
        status, order = api("crypto", "post", f"/projects/{operating.pk}/rectifications", {
            "due_on": "2027-04-30", "requirements": "身份鉴别改用SM2数字证书", "inspection_id": inspection["id"]})
    assert status == 201, order
    code = f"DELIVERY-RECTIFY-{order['id']}"
    ob = Obligation.objects.get(project=operating, code=code, status="open")
    assert (ob.due_date, ob.responsible_org_id) == (dt.date(2027, 4, 30), operating.unit_id)
    assert "第二十二条" in ob.article
    assert Notification.objects.filter(recipient__username="applicant", subject__startswith="整改通知").exists()
    status, due = api("applicant", "get", "/due-items", {"as_of": "2027-04-20"})
    assert any(i["kind"] == "rectification" and i["due_on"] == "2027-04-30" for i in due)

    # while it is open, the O&M request is not compliant (Art. 30(二)), whatever the unit says
    body = om_request(api, operating, 2027, "2027-04-20")
    assert body["reasons"] == ["ART30-2"] and "第三十条" in art30_2(body)["article"]
    assert {x["record"] for x in supervised(body)} == {f"inspection:{inspection['id']}",
                                                          f"rectification:{order['id']}"}

    url = f"/projects/{operating.pk}/rectifications/{order['id']}"
    assert api("crypto", "post", f"{url}/verify", {"passed": True})[0] == 409  # nothing reported yet
    with on("2027-04-25"):
        status, body = api("applicant", "post", f"{url}/report", {"report": "已部署SM2证书登录"})
    assert (status, body["status"]) == (200, "reported"), body
    assert Obligation.objects.get(code=code).status == "done"
    assert Notification.objects.filter(recipient__username="crypto", subject__startswith="整改报告已报送").exists()
    assert api("applicant", "post", f"{url}/report", {"report": "再报"})[0] == 409

    # the issuer returns it: a note and a new due date are needed; the obligation opens again
    with on("2027-04-28"):
        status, body = api("crypto", "post", f"{url}/verify", {"passed": False})
        assert (status, body["field"]) == (400, "note")
        status, body = api("crypto", "post", f"{url}/verify", {"passed": False, "note": "仍有账号未改造"})
        assert (status, body["field"]) == (400, "new_due_on")
        assert api("police", "post", f"{url}/verify", {"passed": True})[0] == 403  # not the issuer
        assert api("applicant", "post", f"{url}/verify", {"passed": True})[0] == 403
        status, body = api("crypto", "post", f"{url}/verify",
                           {"passed": False, "note": "仍有账号未改造", "new_due_on": "2027-05-31"})
    assert (status, body["status"], body["due_on"], body["returned_count"]) == (200, "issued", "2027-05-31", 1)
    assert Obligation.objects.get(code=code, status="open").due_date == dt.date(2027, 5, 31)

    with on("2027-05-20"):
        assert api("applicant", "post", f"{url}/report", {"report": "全部账号已改造"})[0] == 200
        status, body = api("crypto", "post", f"{url}/verify", {"passed": True, "note": "合格"})
    assert (status, body["status"]) == (200, "closed")
    assert not Obligation.objects.filter(code=code, status="open").exists()
    assert SupervisoryInspection.objects.get(pk=inspection["id"]).resolved_on == dt.date(2027, 5, 20)
    assert api("applicant", "get", f"/projects/{operating.pk}/supervision")[1]["facts"] == []
    events = set(AuditEvent.objects.filter(event__startswith="delivery.supervision.").values_list("event", flat=True))
    assert events == {"delivery.supervision.inspect", "delivery.supervision.rectification_issue",
                      "delivery.supervision.rectification_report", "delivery.supervision.rectification_verify"}


@pytest.mark.django_db
def test_the_crypto_bureau_disputes_a_passed_miping_and_the_om_request_follows_it(operating, api):
    with on("2027-01-12"):
        status, miping = api("applicant", "post", f"/projects/{operating.pk}/crypto-assessments",
                             {"assessed_on": "2027-01-10", "assessor": "某密评机构", "result": "passed"})
    assert status == 201, miping
    url = f"/projects/{operating.pk}/crypto-assessments/{miping['id']}/review"
    assert api("police", "post", url, {"confirmed": True})[0] == 403
    assert api("applicant", "post", url, {"confirmed": True})[0] == 403
    status, body = api("crypto", "post", url, {"confirmed": False})
    assert (status, body["field"]) == (400, "note")
    with on("2027-02-01"):
        status, body = api("crypto", "post", url, {"confirmed": False, "note": "评估报告未覆盖移动端"})
    assert (status, body["review"], body["result"]) == (200, "disputed", "passed")
    assert AuditEvent.objects.filter(event="delivery.supervision.crypto_review").exists()

    body = om_request(api, operating, 2027, "2027-04-20")
    assert body["reasons"] == ["ART30-2"] and "第三十条" in art30_2(body)["article"]
    assert OMFundingRequest.objects.get().facts["crypto_compliant"] is False
    assert "异议" in supervised(body)[0]["source"]

    # a new 密评 is the latest: the dispute no longer decides (the bureau may confirm it)
    with on("2027-06-01"):
        api("applicant", "post", f"/projects/{operating.pk}/crypto-assessments",
            {"assessed_on": "2027-05-30", "assessor": "某密评机构", "result": "passed"})
    assert api("applicant", "get", f"/projects/{operating.pk}/supervision")[1]["facts"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["applicant", "leader", "ndrc", "finance", "bureau"])
def test_only_the_supervisors_write_supervisory_records(operating, api, username):
    status, body = api(username, "post", f"/projects/{operating.pk}/inspections",
                       {"scope": "自查", "adverse": False})
    assert status == 403, body
    assert "州公安局" in body["detail"] and "第三十条" in body["article"]
    status, body = api(username, "post", f"/projects/{operating.pk}/rectifications",
                       {"due_on": "2099-01-01", "requirements": "x"})
    assert status == 403, body
    assert not SupervisoryInspection.objects.exists() and not RectificationOrder.objects.exists()


@pytest.mark.django_db
def test_another_units_applicant_cannot_see_the_supervisory_records(operating, api, client):
    with on("2027-03-10"):
        api("police", "post", f"/projects/{operating.pk}/inspections",
            {"scope": "风险排查", "findings": "保密的隐患描述", "adverse": True})
        _, order = api("police", "post", f"/projects/{operating.pk}/rectifications",
                       {"due_on": "2027-04-30", "requirements": "保密的整改要求"})
    for method, path, body in [
        ("get", f"/projects/{operating.pk}/supervision", None),
        ("post", f"/projects/{operating.pk}/rectifications/{order['id']}/report", {"report": "冒名报送"}),
        ("post", f"/projects/{operating.pk}/inspections", {"scope": "x", "adverse": False}),
    ]:
        status, data = api("applicant2", method, path, body)
        assert status == 404, (path, data)
        assert "保密的" not in str(data)
    assert client.get(f"/projects/{operating.pk}/delivery/?tab=security").status_code == 404
    assert RectificationOrder.objects.get().status == "issued"


@pytest.mark.django_db
def test_bad_supervisory_input_names_the_field(operating, api, project_in):
    with on("2027-03-10"):
        status, body = api("police", "post", f"/projects/{operating.pk}/inspections",
                           {"scope": "x", "adverse": True})
        assert (status, body["field"]) == (400, "findings")
        status, body = api("police", "post", f"/projects/{operating.pk}/inspections",
                           {"scope": "x", "adverse": False, "inspected_on": "2027-03-11"})
        assert (status, body["field"]) == (400, "inspected_on")
        status, body = api("police", "post", f"/projects/{operating.pk}/rectifications",
                           {"due_on": "2027-03-10", "requirements": "x"})
        assert (status, body["field"]) == (400, "due_on")
        status, body = api("police", "post", f"/projects/{operating.pk}/rectifications",
                           {"due_on": "2027-04-10", "requirements": "x", "inspection_id": 999999})
        assert status == 404
    assert not SupervisoryInspection.objects.exists() and not RectificationOrder.objects.exists()


@pytest.mark.django_db
def test_a_project_routed_to_police_but_not_yet_approved_cannot_be_inspected(operating, api):
    Project.objects.filter(pk=operating.pk).update(status=Status.UNDER_REVIEW,
                                                   reviewer_codes=",digital_bureau,public_security,")
    status, body = api("police", "post", f"/projects/{operating.pk}/inspections", {"scope": "x", "adverse": False})
    assert (status, body["code"]) == (400, "not_approved")


# --- The 安全监管 section of the 安全与密码 tab ------------------------------------------------------------------

@pytest.fixture
def page(client, demo_users):
    """page(username, url, data) → the response of a POST to the delivery page, the redirect followed; or
    page(username, url) → the GET."""
    from django.utils import timezone

    from tongchou.accounts.models import User

    def go(username: str, url: str, data: dict | None = None):
        User.objects.filter(username=username).update(password_changed_at=timezone.now())
        client.force_login(demo_users[username])
        return client.get(url) if data is None else client.post(url, data, follow=True)

    return go


def _text(response) -> str:
    import re

    return re.sub(r"\s+", " ", response.content.decode())


@pytest.mark.django_db
def test_the_security_tab_lets_police_inspect_and_order_and_the_unit_report(operating, page):
    base = f"/projects/{operating.pk}/delivery"
    with on("2027-03-10"):
        shown = _text(page("police", f"{base}/?tab=security"))
        assert "安全监管" in shown and "登记检查" in shown and "下达整改通知" in shown
        assert "登记密评" not in shown  # the unit's own forms are not offered to a supervisor
        response = page("police", f"{base}/inspections/", {"scope": "门户网站渗透测试", "findings": "存在SQL注入",
                                                           "adverse": "on"})
        assert response.status_code == 200 and "风险排查已登记：存在重大安全隐患" in _text(response)
        inspection = SupervisoryInspection.objects.get()
        response = page("police", f"{base}/rectifications/", {"due_on": "2027-03-01", "requirements": "修复"})
        assert response.status_code == 400 and "整改期限应晚于今天" in _text(response)
        response = page("police", f"{base}/rectifications/", {"due_on": "2027-04-10", "requirements": "修复SQL注入",
                                                             "inspection_id": inspection.pk})
        assert "整改通知已下达" in _text(response)
        order = RectificationOrder.objects.get()
        assert order.inspection_id == inspection.pk

        unit_view = _text(page("applicant", f"{base}/?tab=security"))
        assert "存在SQL注入" in unit_view and "报送整改报告" in unit_view and "下达整改通知" not in unit_view
        assert page("applicant", f"{base}/inspections/", {"scope": "自查"}).status_code == 403
        response = page("applicant", f"{base}/rectification-report/{order.pk}/", {"report": "已修复并复测"})
        assert "整改报告已报送" in _text(response)
        response = page("police", f"{base}/rectification-verify/{order.pk}/", {"passed": "1", "note": "复测通过"})
        assert "整改已验收" in _text(response)
    order.refresh_from_db()
    inspection.refresh_from_db()
    assert order.status == "closed" and inspection.resolved_on == dt.date(2027, 3, 10)
    assert page("applicant2", f"{base}/?tab=security").status_code == 404


@pytest.mark.django_db
def test_the_crypto_bureau_disputes_a_miping_on_the_page(operating, page):
    from tongchou.delivery.models import CryptoAssessment

    miping = CryptoAssessment.objects.create(project=operating, assessed_on="2027-01-10", assessor="某密评机构",
                                             result="passed", next_due="2028-01-10")
    base = f"/projects/{operating.pk}/delivery"
    with on("2027-02-01"):
        assert "有异议" in _text(page("crypto", f"{base}/?tab=security"))
        response = page("crypto", f"{base}/crypto-review/{miping.pk}/", {"confirmed": "0"})
        assert response.status_code == 400 and "请写明理由" in _text(response)
        response = page("crypto", f"{base}/crypto-review/{miping.pk}/", {"confirmed": "0", "note": "报告不完整"})
        assert "已登记对密评结论的异议" in _text(response)
        assert "州党委机要保密局有异议" in _text(page("applicant", f"{base}/?tab=security"))
        assert page("police", f"{base}/crypto-review/{miping.pk}/", {"confirmed": "1"}).status_code == 403
        assert page("crypto", f"{base}/crypto-review/999999/", {"confirmed": "1"}).status_code == 404
    miping.refresh_from_db()
    assert miping.review == "disputed"
