from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest

from tongchou.accounts.models import Organisation
from tongchou.projects.models import Project, Status


@pytest.fixture
def approved_project(demo_users):
    """A prefecture project of 州教育局 (1,200,000 元, development, joint review) in 已立项批复 since
    2025-03-01. The reviews branch (opinion, 立项批复, budget) is not on main yet, so the approved state and
    the register's facts are set directly here; everything after it goes through `project_transition` and
    the delivery API."""
    return _approved(Organisation.objects.get(code="cj-edu"), demo_users)


def _approved(unit, demo_users) -> Project:
    return Project.objects.create(
        code="CJ-2025-0901", name="州教育局智慧校园平台", unit=unit, year=2025, status=Status.APPROVED,
        created_by=demo_users["applicant"], application_date=dt.date(2025, 2, 10), project_type="new",
        category="development", construction_cost=Decimal("1200000"), deployment="gov_cloud",
        approval_date=dt.date(2025, 3, 1), review_path="joint_review",
        reviewer_codes=",digital_bureau,crypto_bureau,public_security,development_reform,finance,",
    )


@pytest.fixture
def drawn_expert(approved_project, expert_for):
    return expert_for(approved_project)


@pytest.fixture
def expert_for(demo_users):
    """expert_for(project): an active pool expert drawn for the project (purpose 合同验收) who accepted the
    invitation. Built with the ORM: the draw's commit-reveal ceremony is the experts branch's, tested there."""

    def make(approved_project: Project) -> Any:
        return _drawn(approved_project, demo_users)

    return make


def _drawn(approved_project: Project, demo_users: dict[str, Any]) -> Any:
    from tongchou.experts.models import Draw, DrawMember, Expert

    expert = Expert.objects.create(code="E901", name="褚专家", title="高级工程师", title_level="senior", years=15,
                                   employer="新疆大学", user=demo_users["expert"])
    draw = Draw.objects.create(
        purpose="contract_acceptance", project=approved_project, requesting_unit=approved_project.unit,
        subject="竣工验收专家", review_date=dt.date(2026, 4, 15), request={}, pool_snapshot=[], pool_hash="0" * 64,
        seed="s", commitment="c", status="drawn", created_by=demo_users["bureau"])
    return DrawMember.objects.create(draw=draw, source_draw=draw, expert=expert, category="software",
                                     role="selected", rank=1, status="accepted", review_date=dt.date(2026, 4, 15))


@pytest.fixture
def project_in(approved_project):
    """The project put straight into a later state, for tests about one step only."""

    def _in(status: str) -> Project:
        Project.objects.filter(pk=approved_project.pk).update(status=status)
        approved_project.refresh_from_db()
        return approved_project

    return _in


@pytest.fixture
def api(client, demo_users):
    """call(username, method, path, body) → (status, json). Logs the client in as that user each time."""

    def call(username: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        client.force_login(demo_users[username])
        url = f"/api/v1/delivery{path}"
        if method == "get":
            response = client.get(url, body or {})
        else:
            response = getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")
        try:
            data = response.json()
        except ValueError:
            data = response.content
        return response.status_code, data

    return call


@pytest.fixture
def opinion_issued_project(demo_users):
    """The same project one step earlier: 已出具审查意见, after a joint review whose consolidated opinion
    (同意) was issued on 2025-02-25. The review round and opinion are written with the ORM (the reviews
    branch tests their own ceremony); the 立项批复, the budget and the filing then go through the reviews
    services in the end-to-end test."""
    from django.utils import timezone

    from tongchou.reviews.models import ConsolidatedOpinion, ProjectRouting, ReviewRound

    bureau = Organisation.objects.get(code="cj-digital")
    project = _approved(Organisation.objects.get(code="cj-edu"), demo_users)
    Project.objects.filter(pk=project.pk).update(status=Status.OPINION_ISSUED, approval_date=None)
    project.refresh_from_db()
    now = timezone.now()
    reviewers = ["digital_bureau", "crypto_bureau", "public_security", "development_reform", "finance"]
    ProjectRouting.objects.create(project=project, review_path="joint_review", authority=bureau, reviewers=reviewers,
                                  expert_review=True, routed_at=now, routed_by=demo_users["reviewer"])
    rnd = ReviewRound.objects.create(project=project, number=1, review_path="joint_review", authority=bureau,
                                     expert_review=True, status="closed", opened_at=now, closed_at=now,
                                     opened_by=demo_users["reviewer"])
    ConsolidatedOpinion.objects.create(
        round=rnd, title="关于州教育局智慧校园平台项目的审查意见", addressee="州教育局", body="同意。", conclusion="agree",
        status="issued", edited_by=demo_users["bureau"], edited_at=now, issuer=bureau, doc_year=2025, doc_seq=9,
        doc_number="昌州数发〔2025〕9号", issued_on=dt.date(2025, 2, 25), issued_at=now, issued_by=demo_users["bureau"],
        docx_sm3="0" * 64)
    return project
