"""Opinion tasks are due under the member-opinion service level (SLA-MEMBER-OPINION) in force the day
they open, and record it; editing the level moves no open task (ADR 0175)."""

from __future__ import annotations

import datetime as dt
import logging

import pytest

from tests.reviews.helpers import SHANGHAI, assessment
from tongchou.audit.models import AuditEvent
from tongchou.notifications.models import Notification
from tongchou.obligations.models import OpinionTimeLimit, ServiceLevel
from tongchou.obligations.service_levels import service_level_update
from tongchou.reviews.opinions import supplement_answer, supplement_request
from tongchou.reviews.reminders import review_reminders_sweep
from tongchou.reviews.routing import review_route

pytestmark = pytest.mark.django_db
LEVEL = "SLA-MEMBER-OPINION"


def _route(make_project, users, name="智慧校园平台"):
    return review_route(project=make_project(name=name), assessment=assessment(), actor=users["reviewer"])


def test_a_task_opened_after_the_level_is_cut_to_five_days_is_due_five_working_days_later_and_old_ones_keep_theirs(
        client, login, make_project, demo_users, clock):
    before = _route(make_project, demo_users, "较早的项目")  # Mon 3 March 2025, 7 working days as seeded
    old = before.tasks.get(member="finance")
    assert old.due_date == dt.date(2025, 3, 12)

    login("bureau")  # the bureau's lead edits the level on its page
    assert client.post("/deadlines/service-levels/SLA-MEMBER-OPINION/",
                       {"period": "5", "unit": "working_days", "remind_before": "1", "active": "on"}).status_code == 302

    after = _route(make_project, demo_users, "较晚的项目")
    new = after.tasks.get(member="finance")
    assert new.due_date == dt.date(2025, 3, 10)  # Mon 3 March + 5 working days (over the weekend of 8–9 March)
    old.refresh_from_db()
    assert old.due_date == dt.date(2025, 3, 12)  # not retroactive
    assert (old.time_limit.period, old.time_limit.remind_before) == (7, 2)
    assert (new.time_limit.period, new.time_limit.unit, new.time_limit.remind_before, new.time_limit.origin) == (
        5, "working_days", 1, "level")
    assert new.time_limit.level == ServiceLevel.objects.get(code=LEVEL)
    route_event = AuditEvent.objects.filter(event="reviews.route").latest("id")
    assert route_event.data["time_limit"] == {"level": LEVEL, "period": 5, "unit": "working_days",
                                              "remind_before": 1, "origin": "level"}

    # Each task is reminded by the lead it recorded: the new one 1 working day ahead, the old one 2.
    assert review_reminders_sweep(as_of=dt.date(2025, 3, 6)).reminded == []
    report = review_reminders_sweep(as_of=dt.date(2025, 3, 7))  # Fri: 1 working day before Mon 10 March
    assert set(report.reminded) == set(after.tasks.values_list("pk", flat=True))
    report = review_reminders_sweep(as_of=dt.date(2025, 3, 10))  # 2 working days before Wed 12 March
    assert set(report.reminded) == set(before.tasks.values_list("pk", flat=True))
    assert Notification.objects.filter(recipient=demo_users["finance"], kind="reminder").count() == 2

    # The round page and the API say which limit the task was given.
    login("finance")
    page = client.get(f"/reviews/rounds/{after.pk}/").content.decode()
    assert "2025-03-10（5 个工作日）" in page
    tasks = client.get(f"/api/v1/reviews/rounds/{after.pk}").json()["tasks"]
    assert {t["time_limit"]["period"] for t in tasks} == {5}


def test_the_holiday_calendar_counts_and_a_calendar_day_level_does_not(make_project, demo_users, clock):
    """Labour Day 2025: 1–5 May off, Sunday 27 April worked (State Council schedule)."""
    level = ServiceLevel.objects.get(code=LEVEL)
    service_level_update(code=LEVEL, period=5, unit="working_days", remind_before=1, actor=demo_users["bureau"])
    clock.move_to(dt.datetime(2025, 4, 29, 9, 0, tzinfo=SHANGHAI))  # Tuesday
    first = _route(make_project, demo_users, "节前项目").tasks.first()
    assert first.due_date == dt.date(2025, 5, 9)  # 30 April, then 6–9 May
    service_level_update(code=LEVEL, period=12, unit="calendar_days", remind_before=level.remind_before,
                         actor=demo_users["bureau"])
    second = _route(make_project, demo_users, "按自然日").tasks.first()
    assert second.due_date == dt.date(2025, 5, 11)  # 29 April + 12 calendar days, a Sunday all the same
    assert second.time_limit.unit == "calendar_days"
    first.refresh_from_db()
    assert first.due_date == dt.date(2025, 5, 9) and first.time_limit.unit == "working_days"


def test_a_supplement_shifts_the_due_date_the_task_was_given_not_the_current_level(
        make_project, demo_users, clock):
    service_level_update(code=LEVEL, period=5, unit="working_days", remind_before=1, actor=demo_users["bureau"])
    task = _route(make_project, demo_users).tasks.get(member="public_security")
    assert task.due_date == dt.date(2025, 3, 10)
    request = supplement_request(task=task, actor=demo_users["police"], question="请补充等保定级备案证明")
    service_level_update(code=LEVEL, period=20, unit="working_days", remind_before=2, actor=demo_users["bureau"])
    clock.move_to(dt.datetime(2025, 3, 5, 16, 0, tzinfo=SHANGHAI))  # two working days paused
    supplement_answer(request=request, actor=demo_users["applicant"], answer="已上传")
    task.refresh_from_db()
    assert task.paused_working_days == 2 and task.due_date == dt.date(2025, 3, 12)


def test_without_a_level_row_the_labelled_fallback_applies_and_is_recorded(
        make_project, demo_users, clock, caplog):
    ServiceLevel.objects.filter(code=LEVEL).delete()
    with caplog.at_level(logging.WARNING, logger="tongchou.reviews"):
        task = _route(make_project, demo_users).tasks.first()
    assert task.due_date == dt.date(2025, 3, 12)  # the fallback: 7 working days, as seeded
    limit = OpinionTimeLimit.objects.get(task=task)
    assert (limit.origin, limit.level, limit.period, limit.remind_before) == ("fallback", None, 7, 2)
    assert any("未配置办理时限" in r.getMessage() for r in caplog.records)


def test_the_member_opinion_level_cannot_be_switched_off(demo_users):
    from tongchou.core_errors import DomainError

    with pytest.raises(DomainError) as refused:
        service_level_update(code=LEVEL, period=7, unit="working_days", remind_before=2, active=False,
                             actor=demo_users["bureau"])
    assert refused.value.field == "active" and "不能停用" in refused.value.message
