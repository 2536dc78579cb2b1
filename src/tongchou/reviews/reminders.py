"""Reminders for opinion tasks: a task due within its reminder lead (the working days the
member-opinion service level gave it when it opened, ADR 0175) is reminded once to its reviewers; an
overdue one is escalated once to its reviewers and the authority bureau. Paused tasks (补正) are
skipped; an answer resets the reminder for the shifted due date."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify
from tongchou.obligations.models import OpinionTimeLimit
from tongchou.reviews.models import OpinionTask, RoundStatus, TaskStatus
from tongchou.reviews.notices import authority_users, round_link, task_writers
from tongchou.reviews.workdays import add_working_days

# Tasks opened before service levels drove reviews recorded no lead: they keep the old fixed one.
LEGACY_REMIND_BEFORE = 2


def _lead(task: OpinionTask) -> int:
    try:
        return task.time_limit.remind_before
    except OpinionTimeLimit.DoesNotExist:
        return LEGACY_REMIND_BEFORE


@dataclass
class ReminderReport:
    reminded: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"reminded": self.reminded, "escalated": self.escalated}


def _label(task: OpinionTask) -> str:
    project = task.round.project
    return f"{project.code}《{project.name}》{task.get_member_display()}意见"


def review_reminders_sweep(*, as_of: date | None = None) -> ReminderReport:
    as_of = as_of or timezone.localdate()
    live = OpinionTask.objects.filter(status=TaskStatus.OPEN, round__status=RoundStatus.OPEN)
    longest = live.aggregate(n=Max("time_limit__remind_before"))["n"] or 0
    horizons = {lead: add_working_days(as_of, lead) for lead in {longest, LEGACY_REMIND_BEFORE}}
    report = ReminderReport()
    candidates = live.filter(due_date__lte=max(horizons.values()))
    for task_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            task = (OpinionTask.objects.select_for_update().select_related("round", "round__project", "reviewer_org")
                    .get(pk=task_id))
            if task.status != TaskStatus.OPEN:
                continue
            lead = _lead(task)
            if lead not in horizons:
                horizons[lead] = add_working_days(as_of, lead)
            if task.due_date >= as_of and task.due_date > horizons[lead]:
                continue  # not yet within this task's own reminder lead
            if task.due_date < as_of and task.escalated_on is None:
                body = f"{_label(task)}已于 {task.due_date:%Y年%m月%d日} 到期，尚未出具（第十四条）。"
                notify(users=task_writers(task), subject=f"已逾期：{_label(task)}", body=body,
                       link=round_link(task.round), kind=Kind.ESCALATION)
                notify(users=authority_users(task.round), subject=f"逾期督办：{_label(task)}", body=body,
                       link=round_link(task.round), kind=Kind.ESCALATION)
                task.escalated_on = as_of
                task.save(update_fields=["escalated_on"])
                audit_record(event="reviews.task_escalated", actor_name="system", target=task.round,
                             data={"member": task.member, "due": task.due_date.isoformat()})
                report.escalated.append(task.pk)
            elif task.due_date >= as_of and task.reminded_on is None:
                notify(users=task_writers(task), subject=f"到期提醒：{_label(task)}", kind=Kind.REMINDER,
                       body=f"{_label(task)}将于 {task.due_date:%Y年%m月%d日} 到期，请按期出具。",
                       link=round_link(task.round))
                task.reminded_on = as_of
                task.save(update_fields=["reminded_on"])
                audit_record(event="reviews.task_reminded", actor_name="system", target=task.round,
                             data={"member": task.member, "due": task.due_date.isoformat()})
                report.reminded.append(task.pk)
    return report
