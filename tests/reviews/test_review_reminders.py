"""Opinion tasks are reminded before their due date and escalated once overdue; a paused task is not."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.reviews.helpers import SHANGHAI, assessment, submit
from tongchou.audit.models import AuditEvent
from tongchou.notifications.models import Notification
from tongchou.reviews.opinions import supplement_answer, supplement_request
from tongchou.reviews.reminders import review_reminders_sweep
from tongchou.reviews.routing import review_route


@pytest.mark.django_db
def test_opening_a_round_tells_each_members_reviewers(make_project, demo_users, clock):
    review_route(project=make_project(name="医保平台"), assessment=assessment(), actor=demo_users["reviewer"])
    for username in ["crypto", "police", "ndrc", "finance", "reviewer", "bureau"]:
        subjects = list(Notification.objects.filter(recipient=demo_users[username]).values_list("subject", flat=True))
        assert any("新的审查任务" in s and "医保平台" in s for s in subjects), username
    assert not Notification.objects.filter(recipient=demo_users["applicant2"]).exists()


@pytest.mark.django_db
def test_reminder_before_due_escalation_after_and_none_while_paused(make_project, demo_users, clock):
    review_round = review_route(project=make_project(), assessment=assessment(), actor=demo_users["reviewer"])
    tasks = {t.member: t for t in review_round.tasks.all()}
    submit(tasks["digital_bureau"], demo_users)
    request = supplement_request(task=tasks["crypto_bureau"], actor=demo_users["crypto"], question="请补充密评方案")

    assert review_reminders_sweep(as_of=dt.date(2025, 3, 7)).reminded == []  # due Wed 12 March, 3 working days
    report = review_reminders_sweep(as_of=dt.date(2025, 3, 10))  # two working days before (the level's lead)
    assert sorted(report.reminded) == sorted(tasks[m].pk for m in ["public_security", "development_reform", "finance"])
    assert review_reminders_sweep(as_of=dt.date(2025, 3, 11)).reminded == []  # once only
    assert Notification.objects.filter(recipient=demo_users["finance"], kind="reminder").count() == 1

    report = review_reminders_sweep(as_of=dt.date(2025, 3, 13))
    assert sorted(report.escalated) == sorted(tasks[m].pk for m in ["public_security", "development_reform", "finance"])
    assert Notification.objects.filter(recipient=demo_users["bureau"], kind="escalation").count() == 3
    assert AuditEvent.objects.filter(event="reviews.task_escalated").count() == 3

    # The crypto bureau's task was paused throughout; answered on 18 March its due date moves 11 working
    # days on (paused Mon 3 → Tue 18 March: 11 working days), and it gets its own reminder in time.
    clock.move_to(dt.datetime(2025, 3, 18, 10, 0, tzinfo=SHANGHAI))
    supplement_answer(request=request, actor=demo_users["applicant"], answer="已补充")
    tasks["crypto_bureau"].refresh_from_db()
    assert tasks["crypto_bureau"].due_date == dt.date(2025, 3, 27)
    assert review_reminders_sweep(as_of=dt.date(2025, 3, 24)).reminded == []
    assert review_reminders_sweep(as_of=dt.date(2025, 3, 25)).reminded == [tasks["crypto_bureau"].pk]
