from __future__ import annotations

import logging
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from tongchou.audit.models import AuditEvent
from tongchou.core_errors import Conflict
from tongchou.notifications.models import Notification
from tongchou.obligations.lapse import project_lapse
from tongchou.obligations.models import Obligation, ObligationStatus, ServiceLevel
from tongchou.obligations.services import (
    obligation_create,
    obligation_open_from_service_level,
)
from tongchou.obligations.sweep import obligations_sweep
from tongchou.projects.models import Project

pytestmark = pytest.mark.django_db


def _inbox(username: str, kind: str | None = None) -> list[Notification]:
    rows = Notification.objects.filter(recipient__username=username)
    return list(rows.filter(kind=kind) if kind else rows)


@time_machine.travel("2026-02-13 09:00 +0800", tick=False)
def test_a_completeness_check_received_before_the_spring_festival_is_due_on_27_february(
        make_project, calendar_seeded):
    """Received Fri 13 Feb 2026; 5 working days: the 调休 Saturday 14 Feb, then 24–27 Feb after the festival."""
    project = make_project(status="submitted")
    ob = obligation_open_from_service_level(project=project, level_code="SLA-COMPLETENESS-CHECK",
                                            start=date(2026, 2, 13))
    assert ob.due_date == date(2026, 2, 27)
    assert ob.responsible_org.code == "cj-digital"  # the bureau checks completeness
    assert ob.remind_on == date(2026, 2, 25)  # 2 working days before
    assert ob.calendar_warning == ""
    assert AuditEvent.objects.filter(event="obligation.opened", target_id=str(ob.pk)).exists()


def test_service_levels_are_data(make_project, calendar_seeded):
    ServiceLevel.objects.filter(code="SLA-MEMBER-OPINION").update(period=3)
    project = make_project(status="under_review")
    from tongchou.accounts.models import Organisation

    ob = obligation_open_from_service_level(project=project, level_code="SLA-MEMBER-OPINION",
                                            start=date(2026, 2, 13),
                                            responsible_org=Organisation.objects.get(code="cj-psb"))
    assert ob.due_date == date(2026, 2, 25)  # 14 Feb, 24 Feb, 25 Feb


def test_a_2027_deadline_falls_back_to_weekdays_with_a_warning(make_project, calendar_seeded, caplog):
    project = make_project(status="approved")
    with caplog.at_level(logging.WARNING):
        ob = obligation_open_from_service_level(project=project, level_code="ART18-FILING",
                                                start=date(2026, 12, 28))
    # 29–31 Dec (3), then 1 Jan 2027 counted as a plain Friday (4), 4–8 Jan (5–9), 11 Jan (10).
    assert ob.due_date == date(2027, 1, 11)
    assert "2027 年的节假日安排尚未录入" in ob.calendar_warning
    assert any("2027" in r.getMessage() for r in caplog.records)


def test_one_open_obligation_per_code_and_project(make_project, calendar_seeded):
    project = make_project()
    obligation_create(project=project, code="ART18-FILING", title="报备", due_date=date(2026, 3, 1))
    with pytest.raises(Conflict) as refused:
        obligation_create(project=project, code="ART18-FILING", title="报备", due_date=date(2026, 3, 5))
    assert "未办结" in refused.value.message
    assert Obligation.objects.filter(project=project).count() == 1


def test_reminder_before_the_due_date_then_escalation_to_the_bureau(make_project, calendar_seeded,
                                                                     django_capture_on_commit_callbacks, mailoutbox):
    project = make_project(status="approved")
    ob = obligation_create(project=project, code="ART18-FILING", title="批复立项后报备", article="第十八条",
                           due_date=date(2026, 3, 10), remind_before=2)
    assert ob.remind_on == date(2026, 3, 6)

    assert obligations_sweep(as_of=date(2026, 3, 5)).reminded == []
    assert _inbox("applicant") == []

    with django_capture_on_commit_callbacks(execute=True):
        report = obligations_sweep(as_of=date(2026, 3, 6))
    assert report.reminded == [ob.pk] and report.escalated == []
    reminder = _inbox("applicant", "reminder")
    assert len(reminder) == 1 and "2026-03-10" in reminder[0].subject
    assert len(_inbox("leader", "reminder")) == 1  # the unit's leader too
    assert _inbox("reviewer") == []  # the bureau is not bothered before the due date
    assert _inbox("applicant2") == []  # another unit hears nothing
    assert AuditEvent.objects.filter(event="obligation.reminded", target_id=str(ob.pk)).count() == 1

    # Sweeping again the same day, and on the due day itself, sends nothing new.
    obligations_sweep(as_of=date(2026, 3, 6))
    assert obligations_sweep(as_of=date(2026, 3, 10)).escalated == []
    assert len(_inbox("applicant")) == 1

    with django_capture_on_commit_callbacks(execute=True):
        report = obligations_sweep(as_of=date(2026, 3, 11))
    assert report.escalated == [ob.pk]
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.OVERDUE and ob.escalated_at is not None
    assert len(_inbox("reviewer", "escalation")) == 1 and len(_inbox("bureau", "escalation")) == 1
    assert len(_inbox("applicant", "escalation")) == 1
    assert _inbox("county") == []  # a county bureau does not watch a prefecture project
    assert AuditEvent.objects.filter(event="obligation.escalated", target_id=str(ob.pk)).count() == 1

    assert obligations_sweep(as_of=date(2026, 3, 12)).escalated == []
    assert len(_inbox("reviewer")) == 1


def test_a_county_project_is_escalated_to_the_county_bureau(make_project, calendar_seeded):
    project = make_project(unit="changji-edu", status="approved")
    obligation_create(project=project, code="ART18-FILING", title="报备", due_date=date(2026, 3, 10))
    obligations_sweep(as_of=date(2026, 3, 11))
    assert len(_inbox("county", "escalation")) == 1
    assert _inbox("reviewer") == []
    assert len(_inbox("countyapp", "escalation")) == 1


def test_the_sweep_lapses_an_approval_whose_procurement_has_not_started_after_a_year(
        make_project, calendar_seeded):
    """Art. 26: approved 2025-03-01, the anniversary day is still in time, the day after it lapses."""
    project = make_project(status="approved")
    obligation_create(project=project, code="ART26-PROCUREMENT-DEADLINE", title="立项批复后 1 年内启动政府采购",
                      article="第二十六条", due_date=date(2026, 3, 1), start_date=date(2025, 3, 1))
    obligation_open_from_service_level(project=project, level_code="ART18-FILING", start=date(2025, 3, 1))

    obligations_sweep(as_of=date(2026, 3, 1))
    project.refresh_from_db()
    assert project.status == "approved"

    report = obligations_sweep(as_of=date(2026, 3, 2))
    project.refresh_from_db()
    assert project.status == "lapsed" and project.version == 2
    art26 = Obligation.objects.get(project=project, code="ART26-PROCUREMENT-DEADLINE")
    assert (art26.pk, "项目批复已失效（第二十六条），须重新申报") in report.handled
    event = AuditEvent.objects.get(event="project.lapse", target_id=str(project.pk))
    assert event.data["from"] == "approved" and event.data["to"] == "lapsed"
    assert event.data["article"] == "第二十六条" and event.actor_name == "system"
    decision = _inbox("applicant", "decision")
    assert len(decision) == 1 and "第二十六条" in decision[0].body


def test_a_project_already_in_procurement_does_not_lapse(make_project, calendar_seeded):
    project = make_project(status="procurement")
    obligation_create(project=project, code="ART26-PROCUREMENT-DEADLINE", title="1 年内启动政府采购",
                      article="第二十六条", due_date=date(2026, 3, 1))
    report = obligations_sweep(as_of=date(2026, 3, 2))
    project.refresh_from_db()
    assert project.status == "procurement"
    assert report.handled and report.handled[0][1].startswith("未处理")
    assert not AuditEvent.objects.filter(event="project.lapse").exists()


def test_project_lapse_refuses_a_draft_and_names_article_26(make_project):
    project = make_project(status="draft")
    with pytest.raises(Conflict) as refused:
        project_lapse(project=project, reason="测试")
    assert refused.value.article == "第二十六条"
    assert "草稿" in refused.value.message
    assert Project.objects.get(pk=project.pk).status == "draft"


def test_the_deadlines_command_lists_due_and_overdue_in_chinese(make_project, calendar_seeded, capsys):
    late = make_project(status="approved", name="医保结算系统")
    soon = make_project(status="submitted", name="教育资源平台")
    obligation_create(project=late, code="ART18-FILING", title="批复立项后报备", article="第十八条",
                      due_date=date(2026, 2, 12))
    obligation_create(project=soon, code="SLA-COMPLETENESS-CHECK", title="申报材料完整性审查", article="第十条",
                      due_date=date(2026, 2, 27))
    obligation_create(project=soon, code="ART26-PROCUREMENT-DEADLINE", title="1 年内启动政府采购",
                      due_date=date(2026, 12, 1))
    call_command("deadlines", "--as-of", "2026-02-13")
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0] == "期限一览（截至 2026-02-13）：逾期 1 项，14 天内到期 1 项"
    assert lines[1].split() == ["状态", "到期日", "剩余工作日", "项目编号", "项目名称", "事项", "依据", "责任单位"]
    assert lines[2].split()[:4] == ["已逾期", "2026-02-12", "-1", late.code]
    # 13 Feb → 27 Feb: the 调休 Saturday and 24–27 Feb are the 5 working days left.
    assert lines[3].split()[:4] == ["即将到期", "2026-02-27", "5", soon.code]
    assert "2026-12-01" not in out


def test_the_deadlines_command_refuses_a_bad_date_in_chinese(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--as-of 日期无效"):
        call_command("deadlines", "--as-of", "2026-02-30")


def test_a_broken_item_does_not_stop_the_sweep(make_project, calendar_seeded, monkeypatch):
    from tongchou.obligations import registry

    def explode(obligation):
        raise RuntimeError("handler bug")

    monkeypatch.setitem(registry._HANDLERS, "TEST-BROKEN", explode)
    broken = obligation_create(project=make_project(), code="TEST-BROKEN", title="坏", due_date=date(2026, 3, 1))
    fine = obligation_create(project=make_project(), code="ART18-FILING", title="报备", due_date=date(2026, 3, 1))
    report = obligations_sweep(as_of=date(2026, 3, 2))
    assert report.failed == [broken.pk] and report.escalated == [fine.pk]
    broken.refresh_from_db()
    assert broken.status == ObligationStatus.OPEN  # rolled back whole; retried on the next sweep


def test_the_bureau_is_told_once_when_its_own_check_is_overdue(make_project, calendar_seeded):
    obligation_open_from_service_level(project=make_project(status="submitted"), level_code="SLA-COMPLETENESS-CHECK",
                                       start=date(2026, 3, 2))
    obligations_sweep(as_of=date(2026, 3, 20))
    assert len(_inbox("reviewer", "escalation")) == 1
