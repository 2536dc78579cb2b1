"""A delivery record is reached only through its own project: the id of a milestone, 整改 order, 密评 or O&M
request that belongs to another project is 404 on the API, even when the caller may see both projects, and
nothing is written. `delivery.selectors.project_record` is the one lookup behind the API and the page forms."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tongchou.audit.models import AuditEvent
from tongchou.delivery.models import CryptoAssessment, Milestone, OMFundingRequest, RectificationOrder
from tongchou.delivery.selectors import project_record
from tongchou.projects.models import Project, Status


@pytest.fixture
def two_projects(approved_project, demo_users):
    Project.objects.filter(pk=approved_project.pk).update(status=Status.OPERATING)
    approved_project.refresh_from_db()
    other = Project.objects.create(code="CJ-2025-0903", name="州教育局另一平台", unit=approved_project.unit, year=2025,
                                   status=Status.OPERATING, created_by=demo_users["applicant"],
                                   construction_cost=Decimal("800000"))
    return approved_project, other


@pytest.fixture
def records(two_projects, demo_users):
    project, _ = two_projects
    crypto_org = demo_users["crypto"].organisation
    return {
        "milestone": Milestone.objects.create(project=project, name="上线", planned_on=dt.date(2025, 9, 1)),
        "order": RectificationOrder.objects.create(project=project, issuer=crypto_org, issued_on=dt.date(2025, 6, 1),
                                                   due_on=dt.date(2025, 7, 1), requirements="整改密码应用"),
        "crypto": CryptoAssessment.objects.create(project=project, assessed_on=dt.date(2025, 5, 1), assessor="某测评机构",
                                                  result="pass", next_due=dt.date(2026, 5, 1)),
        "om": OMFundingRequest.objects.create(project=project, year=2026, amount=Decimal("50000"), eligible=True),
    }


def test_project_record_finds_only_the_projects_own_rows(db, two_projects, records):
    project, other = two_projects
    milestone = records["milestone"]
    assert project_record(Milestone, project, milestone.pk) == milestone
    assert project_record(Milestone, project, str(milestone.pk)) == milestone  # ids from a URL or a form
    assert project_record(Milestone, other, milestone.pk) is None
    assert project_record(Milestone, project, milestone.pk + 1000) is None


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "route", "record", "body"), [
    ("applicant", "milestones/{id}/done", "milestone", {"done_on": "2025-09-01"}),
    ("applicant", "rectifications/{id}/report", "order", {"report": "已整改", "reported_on": "2025-06-20"}),
    ("crypto", "rectifications/{id}/verify", "order", {"passed": True}),
    ("crypto", "crypto-assessments/{id}/review", "crypto", {"confirmed": True}),
    ("finance", "om-requests/{id}/decision", "om", {"approve": True}),
])
def test_another_projects_record_is_not_found_and_nothing_changes(api, two_projects, records, who, route, record, body):
    project, other = two_projects
    row = records[record]
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    status, _ = api(who, "post", f"/projects/{other.pk}/" + route.format(id=row.pk), body)
    assert status == 404
    assert list(AuditEvent.objects.filter(pk__gt=before).exclude(event="auth.login")
                .values_list("event", flat=True)) == []  # the log-in the helper does, and nothing else
    # the same call through the record's own project reaches the record (whatever the service then decides)
    status, _ = api(who, "post", f"/projects/{project.pk}/" + route.format(id=row.pk), body)
    assert status != 404
