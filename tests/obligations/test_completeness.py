"""Art. 10: submitting an application opens the bureau's completeness check (SLA-COMPLETENESS-CHECK,
5 working days) for the bureau that runs the project; the bureau's first action closes it."""

from __future__ import annotations

import json
from datetime import date

import pytest
import time_machine

from tests.projects.builders import make_project as build_project
from tongchou.audit.models import AuditEvent
from tongchou.notifications.models import Notification
from tongchou.obligations.models import Obligation, ObligationStatus, ServiceLevel
from tongchou.obligations.sweep import obligations_sweep
from tongchou.projects.models import Status

pytestmark = pytest.mark.django_db
CODE = "SLA-COMPLETENESS-CHECK"


@pytest.fixture
def clock():
    """Friday 13 February 2026, the last working day before the Spring Festival break."""
    with time_machine.travel("2026-02-13 09:00 +0800", tick=False) as traveller:
        yield traveller


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _submit(client, login, username="applicant", **data):
    project = build_project(login(username), year=2026, **data)
    response = post(client, f"/api/v1/projects/{project.pk}/submit")
    assert response.status_code == 200, response.content.decode()[:300]
    project.refresh_from_db()
    return project


def _checks(project):
    return list(Obligation.objects.filter(project=project, code=CODE).order_by("id"))


def test_submission_opens_the_check_for_the_bureau_and_starting_the_review_closes_it(
        client, login, calendar_seeded, clock):
    project = _submit(client, login)
    [check] = _checks(project)
    assert check.status == ObligationStatus.OPEN and check.article == "第十条"
    assert check.responsible_org.code == "cj-digital"
    # Fri 13 Feb + 5 working days: the 调休 Saturday 14 Feb, then 24–27 Feb after the festival.
    assert (check.start_date, check.due_date, check.remind_on) == (date(2026, 2, 13), date(2026, 2, 27),
                                                                   date(2026, 2, 25))
    assert AuditEvent.objects.filter(event="obligation.opened", target_id=str(check.pk)).exists()

    client.logout()
    login("reviewer")
    page = client.get("/deadlines/").content.decode()
    assert "申报材料完整性审查" in page and project.code in page
    listed = client.get(f"/api/v1/obligations?project={project.code}").json()
    assert [(o["code"], o["due_date"]) for o in listed] == [(CODE, "2026-02-27")]

    report = obligations_sweep(as_of=date(2026, 2, 25))
    assert report.reminded == [check.pk]
    for username in ("reviewer", "bureau"):
        assert Notification.objects.filter(recipient__username=username, kind="reminder",
                                           subject__contains="申报材料完整性审查").count() == 1
    assert not Notification.objects.filter(recipient__username="applicant", kind="reminder").exists()

    clock.move_to("2026-02-26 10:00 +0800")
    login("reviewer")  # a new day, a new session
    routed = post(client, f"/api/v1/reviews/projects/{project.pk}/route")
    assert routed.status_code == 200, routed.content.decode()[:300]
    check.refresh_from_db()
    assert check.status == ObligationStatus.DONE and check.closed_by.username == "reviewer"
    assert "受理并启动审查" in check.close_note and "第十四条" in check.close_note
    assert obligations_sweep(as_of=date(2026, 3, 2)).escalated == []


def test_a_return_for_completion_closes_it_a_resubmission_opens_a_new_one_and_a_withdrawal_waives_it(
        client, login, calendar_seeded, clock):
    project = _submit(client, login)
    client.logout()
    login("reviewer")
    returned = post(client, f"/api/v1/projects/{project.pk}/actions/return",
                    {"note": "可行性研究报告缺少投资估算", "version": project.version})
    assert returned.status_code == 200, returned.content.decode()[:300]
    [first] = _checks(project)
    assert first.status == ObligationStatus.DONE and "退回补正" in first.close_note

    client.logout()
    login("applicant")
    assert post(client, f"/api/v1/projects/{project.pk}/submit").status_code == 200
    first_again, second = _checks(project)
    assert first_again.status == ObligationStatus.DONE and second.status == ObligationStatus.OPEN

    project.refresh_from_db()
    withdrawn = post(client, f"/api/v1/projects/{project.pk}/actions/withdraw", {"version": project.version})
    assert withdrawn.status_code == 200, withdrawn.content.decode()[:300]
    second.refresh_from_db()
    assert second.status == ObligationStatus.WAIVED and "撤回" in second.close_note
    assert AuditEvent.objects.filter(event="obligation.waived", target_id=str(second.pk)).exists()


def test_a_county_project_is_checked_by_its_county_bureau_and_escalated_there(
        client, login, calendar_seeded, clock):
    project = _submit(client, login, "countyapp")
    [check] = _checks(project)
    assert check.responsible_org.code == "changji-digital"
    client.logout()
    login("county")
    assert [o["code"] for o in client.get("/api/v1/obligations").json()] == [CODE]
    assert "申报材料完整性审查" in client.get("/deadlines/").content.decode()
    obligations_sweep(as_of=date(2026, 3, 2))
    check.refresh_from_db()
    assert check.status == ObligationStatus.OVERDUE
    assert Notification.objects.filter(recipient__username="county", kind="escalation").count() == 1


def test_a_deactivated_completeness_level_opens_nothing_and_the_submission_still_goes_through(
        client, login, calendar_seeded, clock):
    ServiceLevel.objects.filter(code=CODE).update(active=False)
    project = _submit(client, login)
    assert project.status == Status.SUBMITTED and _checks(project) == []
