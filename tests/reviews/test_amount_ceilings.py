"""立项批复 within the review's 核定 amount, the budget within the approval (Art. 14, 17, 21): the pure rule,
the API, the page, and the county lead's approval of a county project."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.reviews.helpers import COMMENTS, assessment, expert, submit
from tongchou.projects.models import Status
from tongchou.reviews.ceilings import ceiling_refusal, reviewed_amount
from tongchou.reviews.consolidation import consolidation_draft, consolidation_issue
from tongchou.reviews.models import ProjectApproval, ProjectBudget
from tongchou.reviews.opinions import opinion_submit
from tongchou.reviews.routing import review_route

API = "/api/v1/reviews"
COST = Decimal("1200000")


def test_the_reviewed_amount_is_the_cost_less_the_adopted_reduction():
    assert reviewed_amount(construction_cost=COST) == COST
    assert reviewed_amount(construction_cost=COST, adopted_reduction=Decimal("200000")) == Decimal("1000000")
    assert reviewed_amount(construction_cost=COST, adopted_reduction=Decimal("2000000")) == 0


@pytest.mark.parametrize(("amount", "already", "refused"), [
    ("1200000", "0", False), ("1", "0", False), ("1200000.01", "0", True), ("999999999", "0", True),
    ("0", "0", True), ("-5", "0", True), ("200000", "1000000", False), ("200000.01", "1000000", True),
])
def test_the_ceiling_rule(amount, already, refused):
    text = ceiling_refusal(amount=Decimal(amount), ceiling=COST, already=Decimal(already), what="批复金额",
                           ceiling_label="审查核定金额", basis="依据")
    assert (text is not None) == refused
    if refused:
        assert text.startswith("批复金额")
    if refused and Decimal(amount) > 0:
        assert "1,200,000.00 元" in text


def _opinion_issued(make_project, users, **fields):
    project = make_project(construction_cost=COST, **fields)
    review_round = review_route(project=project, assessment=assessment(), actor=users["reviewer"])
    expert(review_round, users)
    for task in review_round.tasks.all():
        submit(task, users)
    consolidation_issue(consolidated=consolidation_draft(review_round=review_round, actor=users["reviewer"]),
                        actor=users["bureau"])
    project.refresh_from_db()
    assert project.status == Status.OPINION_ISSUED
    return project


def _post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_the_api_refuses_an_approval_above_the_reviewed_amount_and_a_budget_above_the_approval(
        client, demo_users, make_project, clock):
    project = _opinion_issued(make_project, demo_users)
    client.force_login(demo_users["ndrc"])
    body = {"doc_number": "昌州发改投资〔2025〕45号", "approval_date": "2025-03-03", "approved_amount": "999999999"}
    refused = _post(client, f"{API}/projects/{project.pk}/approval", body)
    assert refused.status_code == 422
    data = refused.json()
    assert data["field"] == "approved_amount" and data["code"] == "over_ceiling"
    assert data["detail"].startswith("批复金额 999,999,999.00 元超过审查核定金额 1,200,000.00 元")
    assert "第十四条、第十七条" in data["detail"] and data["article"] == "第十四条、第十七条"
    assert not ProjectApproval.objects.exists()
    # Nothing reached the public register either.
    assert "999999999" not in client.get("/api/v1/public/projects").content.decode()

    assert _post(client, f"{API}/projects/{project.pk}/approval",
                 {**body, "approved_amount": "1100000"}).status_code == 200

    client.force_login(demo_users["finance"])
    budget = {"year": 2025, "amount": "1100000.01", "source": "prefecture_fiscal"}
    over = _post(client, f"{API}/projects/{project.pk}/budget", budget)
    assert over.status_code == 422 and over.json()["field"] == "amount"
    assert "超过立项批复金额 1,100,000.00 元" in over.json()["detail"]
    assert _post(client, f"{API}/projects/{project.pk}/budget", {**budget, "amount": "600000"}).status_code == 200
    # A second year counts with the first: 600,000 + 500,000.01 > 1,100,000.
    second = _post(client, f"{API}/projects/{project.pk}/budget", {**budget, "year": 2026, "amount": "500000.01"})
    assert second.status_code == 422 and "合计 1,100,000.01 元" in second.json()["detail"]
    assert _post(client, f"{API}/projects/{project.pk}/budget",
                 {**budget, "year": 2026, "amount": "500000"}).status_code == 200
    assert ProjectBudget.objects.filter(project=project).count() == 2


@pytest.mark.django_db
def test_the_approval_page_shows_the_refusal_naming_the_field(client, demo_users, make_project, clock):
    project = _opinion_issued(make_project, demo_users)
    client.force_login(demo_users["ndrc"])
    page = client.post(f"/reviews/projects/{project.pk}/", {
        "action": "approval", "doc_number": "昌州发改投资〔2025〕45号", "approval_date": "2025-03-03",
        "approved_amount": "999999999"}, follow=True).content.decode()
    assert "批复金额 999,999,999.00 元超过审查核定金额 1,200,000.00 元" in page
    assert "已登记立项批复" not in page and not ProjectApproval.objects.exists()
    assert "第十四条、第十七条" in page and "（依据：第十四条、第十七条）" not in page


@pytest.mark.django_db
def test_a_refused_approval_or_budget_comes_back_with_what_was_typed(client, demo_users, make_project, clock):
    project = _opinion_issued(make_project, demo_users)
    client.force_login(demo_users["ndrc"])
    res = client.post(f"/reviews/projects/{project.pk}/", {
        "action": "approval", "doc_number": "昌州发改投资〔2025〕45号", "approval_date": "2025-03-03",
        "approved_amount": "1300000"})
    page = res.content.decode()
    assert res.status_code == 200 and "超过审查核定金额" in page
    assert 'value="昌州发改投资〔2025〕45号"' in page and 'value="2025-03-03"' in page and 'value="1300000"' in page
    client.post(f"/reviews/projects/{project.pk}/", {
        "action": "approval", "doc_number": "昌州发改投资〔2025〕45号", "approval_date": "2025-03-03",
        "approved_amount": "1100000"})
    assert "批复金额 1,100,000.00 元" in client.get(f"/reviews/projects/{project.pk}/").content.decode()
    client.force_login(demo_users["finance"])
    res = client.post(f"/reviews/projects/{project.pk}/", {
        "action": "budget", "year": "2027", "amount": "1100000.01", "source": "prefecture_fiscal"})
    page = res.content.decode()
    assert res.status_code == 200 and "超过立项批复金额 1,100,000.00 元" in page
    assert 'value="2027"' in page and 'value="1100000.01"' in page
    assert '<option value="prefecture_fiscal" selected>' in page
    assert not ProjectBudget.objects.exists()
    # An invalid form (no amount) also keeps the other fields.
    page = client.post(f"/reviews/projects/{project.pk}/", {
        "action": "budget", "year": "2027", "amount": "", "source": "prefecture_fiscal"}).content.decode()
    assert "预算金额（元）" in page and 'value="2027"' in page
    client.post(f"/reviews/projects/{project.pk}/", {
        "action": "budget", "year": "2027", "amount": "600000", "source": "prefecture_fiscal"})
    assert "2027年度 · 600,000.00 元" in client.get(f"/reviews/projects/{project.pk}/").content.decode()


@pytest.mark.django_db
def test_the_county_lead_is_held_to_the_same_ceiling(demo_users, make_project, clock):
    from tongchou.core_errors import DomainError
    from tongchou.reviews.approvals import approval_record

    project = make_project(unit_code="changji-edu", level="county", submitter="countyapp",
                           construction_cost=Decimal("800000"))
    review_round = review_route(project=project, assessment=assessment(
        "security_review", ["crypto_bureau", "public_security"], expert_review=False), actor=demo_users["county"])
    for task in review_round.tasks.all():
        opinion_submit(task=task, actor=demo_users["county"], conclusion="agree", comments=COMMENTS[task.member])
    consolidation_issue(consolidated=consolidation_draft(review_round=review_round, actor=demo_users["county"]),
                        actor=demo_users["countylead"])
    import datetime as dt

    with pytest.raises(DomainError) as refused:
        approval_record(project=project, actor=demo_users["countylead"], doc_number="昌市发改〔2025〕3号",
                        approval_date=dt.date(2025, 3, 3), approved_amount="800000.01")
    assert refused.value.status == 422 and refused.value.field == "approved_amount"
    assert "800,000.00 元" in refused.value.message
    approval_record(project=project, actor=demo_users["countylead"], doc_number="昌市发改〔2025〕3号",
                    approval_date=dt.date(2025, 3, 3), approved_amount="800000")
