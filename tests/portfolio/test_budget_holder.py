"""Art. 28: the construction funds of a 州级 unified (统一建设), infrastructure/support-platform or 共建共享
project are in the prefecture digital development bureau's budget; other projects' in the unit's. Finance
sees the budget holder with the budget and may override it with a reason, audited (ADR 0212)."""

from __future__ import annotations

import re

import pytest

from tests.portfolio.helpers import application
from tongchou.audit.models import AuditEvent
from tongchou.portfolio.models import BudgetHolder


def filed(api, *, mode: str | None = None, **facts) -> int:
    """A 30万 project (self-procurement, Art. 16) with its management mode proposed, approved and filed."""
    status, body = api("applicant", "post", "/projects", application("州教育局数据共享平台", "300000", **facts))
    assert status == 201, body
    pk = body["id"]
    if mode:
        assert api("applicant", "post", f"/portfolio/projects/{pk}/mode", {"mode": mode})[0] == 200
    assert api("applicant", "post", f"/projects/{pk}/submit", {})[0] == 200
    status, body = api("reviewer", "post", f"/reviews/projects/{pk}/route", {})
    assert (status, body["status"]) == (200, "approved"), body
    assert api("applicant", "post", f"/reviews/projects/{pk}/file", {})[0] == 200
    return int(pk)


def holder(api, pk: int, username: str = "finance") -> dict:
    status, body = api(username, "get", f"/portfolio/projects/{pk}")
    assert status == 200, body
    return body["budget_holder"]


@pytest.mark.django_db
def test_a_departments_own_project_is_in_the_units_budget(api, clock):
    pk = filed(api, mode="specialised")
    h = holder(api, pk)
    assert (h["holder"], h["is_bureau"], h["overridden"]) == ("昌吉州教育局", False, False)
    assert "本单位预算" in h["default_basis"]


@pytest.mark.django_db
def test_a_unified_project_defaults_to_the_bureaus_budget_and_finance_overrides_it_with_a_reason(api, clock, page):
    pk = filed(api, mode="unified")
    h = holder(api, pk)
    assert (h["holder"], h["is_bureau"], h["overridden"]) == ("昌吉州数字化发展局", True, False)
    assert "第二十八条" in h["default_basis"] and "统一建设" in h["default_basis"]

    status, body = api("finance", "post", f"/reviews/projects/{pk}/budget",
                       {"year": 2025, "amount": "300000", "source": "prefecture_fiscal"})
    assert status == 200 and body["budget_holder"]["holder"] == "昌吉州数字化发展局", body
    recorded = AuditEvent.objects.get(event="reviews.budget_record")
    assert recorded.data["budget_holder"] == "昌吉州数字化发展局"
    shown = re.sub(r"\s+", " ", page("finance", "get", f"/reviews/projects/{pk}/").content.decode())
    assert "预算单位：<strong>昌吉州数字化发展局</strong>" in shown and "第二十八条" in shown

    # only finance overrides, and only with a reason
    for username in ("applicant", "ndrc", "bureau"):
        status, body = api(username, "post", f"/portfolio/projects/{pk}/budget-holder",
                           {"holder": "unit", "reason": "x"})
        assert status in (403, 404), (username, body)
    status, body = api("finance", "post", f"/portfolio/projects/{pk}/budget-holder", {"holder": "unit", "reason": " "})
    assert status == 400 and body["field"] == "reason"
    assert not BudgetHolder.objects.exists() and not AuditEvent.objects.filter(event="portfolio.budget_holder").exists()

    status, body = api("finance", "post", f"/portfolio/projects/{pk}/budget-holder",
                       {"holder": "unit", "reason": "州教育局自有资金安排，经州财政局研究列入部门预算"})
    assert status == 200, body
    h = body["budget_holder"]
    assert (h["holder"], h["overridden"], h["default"]) == ("昌吉州教育局", True, "昌吉州数字化发展局")
    event = AuditEvent.objects.get(event="portfolio.budget_holder")
    assert event.data["holder"] == ["昌吉州数字化发展局", "昌吉州教育局"] and "部门预算" in event.data["reason"]
    assert event.data["article"] == "第二十八条"
    shown = re.sub(r"\s+", " ", page("applicant", "get", f"/reviews/projects/{pk}/").content.decode())
    assert "预算单位：<strong>昌吉州教育局</strong>" in shown and "部门预算" in shown


@pytest.mark.django_db
def test_finance_overrides_on_the_budget_page(api, clock, page):
    pk = filed(api, mode="specialised")
    response = page("finance", "post", f"/reviews/projects/{pk}/", {"action": "budget_holder", "holder": "bureau",
                                                                   "reason": "跨部门共建的支撑平台"})
    text = re.sub(r"\s+", " ", response.content.decode())
    assert "预算单位已调整为昌吉州数字化发展局（第二十八条）" in text
    assert BudgetHolder.objects.get().holder.name == "昌吉州数字化发展局"
    response = page("applicant", "post", f"/reviews/projects/{pk}/", {"action": "budget_holder", "holder": "unit",
                                                                     "reason": "不想"})
    assert BudgetHolder.objects.get().holder.name == "昌吉州数字化发展局"


@pytest.mark.django_db
def test_a_county_project_cannot_be_put_in_the_prefecture_bureaus_budget(api):
    """Art. 28 covers 州级 projects: the county bureau lead, who decides a county project's budget, may not
    move it into the prefecture bureau's budget."""
    status, body = api("countyapp", "post", "/projects", application("昌吉市校园安全平台", "300000"))
    assert status == 201, body
    status, body = api("countylead", "post", f"/portfolio/projects/{body['id']}/budget-holder",
                       {"holder": "bureau", "reason": "试图列入州局预算"})
    assert status in (400, 422) and body["field"] == "holder" and "第二十八条" in str(body), body
    assert not BudgetHolder.objects.exists()
