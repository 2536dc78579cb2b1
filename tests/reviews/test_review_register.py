"""Routing from the assessment the register stored at submission (the real policy engine)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tests.projects.builders import submitted_project
from tongchou.projects.models import Status
from tongchou.reviews.routing import review_route


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.mark.django_db
def test_the_stored_assessment_decides_the_path(demo_users, clock):
    project = submitted_project(demo_users["applicant"], construction_cost=Decimal("1200000"))
    assert project.status == Status.SUBMITTED
    review_round = review_route(project=project, actor=demo_users["reviewer"])
    assert review_round.review_path == "joint_review"
    assert review_round.tasks.count() == 5
    assert project.routing.assessment["review_path"] == "joint_review"
    assert project.routing.assessment["ruleset"]["id"] == "changji-2025-trial"


@pytest.mark.django_db
def test_a_small_special_project_gets_a_security_review_through_the_api(client, demo_users, clock):
    project = submitted_project(demo_users["applicant"], construction_cost=Decimal("300000"), category="equipment")
    client.force_login(demo_users["reviewer"])
    routed = client.post(f"/api/v1/reviews/projects/{project.pk}/route", data=json.dumps({}),
                         content_type="application/json")
    assert routed.status_code == 200, routed.content.decode()
    assert routed.json()["review_path"] == "security_review"
    assert sorted(t["member"] for t in routed.json()["round"]["tasks"]) == ["crypto_bureau", "public_security"]


@pytest.mark.django_db
def test_an_art13_exception_in_the_facts_reaches_the_reviewers(demo_users, clock):
    project = submitted_project(demo_users["applicant"], construction_cost=Decimal("1200000"),
                                buys_server_hardware=True, exception_legal_basis="《自治区教育专网管理规定》第五条",
                                consent=b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    assert project.support == "conditional"
    review_round = review_route(project=project, actor=demo_users["reviewer"])
    assert review_round.exception["legal_basis"] == "《自治区教育专网管理规定》第五条"
    assert review_round.exception["superior_consent"] is True


@pytest.mark.django_db
def test_the_bureau_routes_from_the_project_page(client, demo_users, clock):
    project = submitted_project(demo_users["applicant"], construction_cost=Decimal("1200000"))
    client.force_login(demo_users["applicant"])
    assert "受理并启动审查" not in client.get(f"/reviews/projects/{project.pk}/").content.decode()
    client.force_login(demo_users["reviewer"])
    page = client.get(f"/reviews/projects/{project.pk}/").content.decode()
    assert "受理并启动审查" in page and "联合会审" in page
    response = client.post(f"/reviews/projects/{project.pk}/", {"action": "route"}, follow=True)
    assert "已启动联合会审" in response.content.decode()
    project.refresh_from_db()
    assert project.status == Status.UNDER_REVIEW
