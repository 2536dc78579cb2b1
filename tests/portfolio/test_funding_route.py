"""Art. 15: procurement of a project funded by the prefecture stays blocked until its funding route is
recorded: in the prefecture budget, or decided at the major fiscal expenditure meeting and the Party
committee's finance and economics commission."""

from __future__ import annotations

import pytest

from tests.portfolio.helpers import create_and_submit
from tongchou.audit.models import AuditEvent
from tongchou.portfolio.models import FundingRoute

PROCUREMENT = {
    "method": "open_tender", "start_date": "2025-03-03", "tender_free_om_months": 12,
    "tender_annual_om_fee": "30000", "tender_ip_to_government": True, "implementing_body": "州教育局信息中心",
    "responsible_person": "李主任", "responsible_phone": "13899990000",
}


def filed_with_budget(api, **facts) -> int:
    """A 30万 project registered for self-procurement (Art. 16), filed, budgeted and its tender ready:
    everything procurement needs except the Art. 15 record."""
    pk = create_and_submit(api, "applicant", "州教育局资产管理系统", "300000", **facts)
    status, body = api("reviewer", "post", f"/reviews/projects/{pk}/route", {})
    assert (status, body["status"]) == (200, "approved"), body
    status, body = api("applicant", "post", f"/reviews/projects/{pk}/file", {})
    assert status == 200, body
    status, body = api("finance", "post", f"/reviews/projects/{pk}/budget",
                       {"year": 2025, "amount": "300000", "source": facts.get("funding_source", "prefecture_fiscal")})
    assert status == 200, body
    status, body = api("applicant", "put", f"/delivery/projects/{pk}/procurement", PROCUREMENT)
    assert status == 200 and body["procurement_missing"] == [], body
    return pk


@pytest.mark.django_db
def test_procurement_is_blocked_until_the_funding_route_is_recorded(api, clock):
    pk = filed_with_budget(api)
    status, body = api("applicant", "post", f"/delivery/projects/{pk}/procurement/start", {})
    assert status == 400, body
    assert body["article"] == "第十五条" and body["code"] == "no_funding_route"
    assert "纳入州财政预算" in body["detail"] and "州党委财经委员会" in body["detail"]
    assert api("applicant", "get", f"/portfolio/projects/{pk}")[1]["funding_route_required"] is True

    # Only finance or the project's bureau records it; the meeting route needs both dates.
    meeting = {"route": "major_expenditure_meeting", "meeting_name": "州人民政府2025年第3次重大财政支出专题会",
               "meeting_date": "2025-02-20", "commission_date": "2025-02-27", "reference": "纪要〔2025〕3号"}
    for username in ("applicant", "ndrc", "county"):
        assert api(username, "post", f"/portfolio/projects/{pk}/funding-route", meeting)[0] in (403, 404), username
    status, body = api("finance", "post", f"/portfolio/projects/{pk}/funding-route",
                       {**meeting, "commission_date": None})
    assert status == 400 and body["field"] == "commission_date"
    status, body = api("finance", "post", f"/portfolio/projects/{pk}/funding-route", {**meeting, "route": "loan"})
    assert status == 422
    assert not FundingRoute.objects.exists()

    status, body = api("finance", "post", f"/portfolio/projects/{pk}/funding-route", meeting)
    assert status == 200, body
    assert body["funding_route"] == {
        "route": "major_expenditure_meeting", "label": "州人民政府重大财政支出专题会和州党委财经委员会研究审议",
        "budget_year": None, "reference": "纪要〔2025〕3号", "meeting_name": "州人民政府2025年第3次重大财政支出专题会",
        "meeting_date": "2025-02-20", "commission_date": "2025-02-27", "recorded_at": body["funding_route"]["recorded_at"],
    }
    assert api("reviewer", "post", f"/portfolio/projects/{pk}/funding-route",
               {"route": "prefecture_budget", "budget_year": 2025})[0] == 409
    audit = AuditEvent.objects.get(event="portfolio.funding_route_record")
    assert audit.data["meeting_date"] == "2025-02-20"

    status, body = api("applicant", "post", f"/delivery/projects/{pk}/procurement/start", {})
    assert (status, body["status"]) == (200, "procurement"), body


@pytest.mark.django_db
def test_the_budget_route_is_recorded_by_the_bureau_with_its_year(api, clock):
    pk = filed_with_budget(api)
    status, body = api("reviewer", "post", f"/portfolio/projects/{pk}/funding-route", {"route": "prefecture_budget"})
    assert status == 400 and body["field"] == "budget_year"
    status, body = api("reviewer", "post", f"/portfolio/projects/{pk}/funding-route",
                       {"route": "prefecture_budget", "budget_year": 2025, "reference": "昌州财预〔2025〕1号"})
    assert status == 200 and body["funding_route"]["label"] == "纳入州财政预算"
    assert api("applicant", "post", f"/delivery/projects/{pk}/procurement/start", {})[0] == 200


@pytest.mark.django_db
def test_a_project_not_funded_by_the_prefecture_needs_no_route(api, clock):
    pk = filed_with_budget(api, funding_source="superior_special")
    assert api("applicant", "get", f"/portfolio/projects/{pk}")[1]["funding_route_required"] is False
    status, body = api("applicant", "post", f"/delivery/projects/{pk}/procurement/start", {})
    assert (status, body["status"]) == (200, "procurement"), body
