"""The deadline sweep: reminders before the due date, escalation to the bureau after it, and the
registered handler of an overdue code (Art. 26: the approval lapses). Idempotent: each obligation is
reminded once and escalated once, each step in its own transaction."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify
from tongchou.obligations.models import Obligation, ObligationStatus
from tongchou.obligations.recipients import bureau_users, responsible_users
from tongchou.obligations.registry import overdue_handler_for

logger = logging.getLogger("tongchou.obligations")
DEADLINES_LINK = "/deadlines/"


@dataclass
class SweepReport:
    as_of: date
    reminded: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    handled: list[tuple[int, str]] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {"as_of": self.as_of.isoformat(), "reminded": self.reminded, "escalated": self.escalated,
                "handled": [{"obligation": i, "result": r} for i, r in self.handled], "failed": self.failed}


def _label(ob: Obligation) -> str:
    return f"{ob.project.code}《{ob.project.name}》“{ob.title}”"


def _remind(obligation_id: int, as_of: date, report: SweepReport) -> None:
    with transaction.atomic():
        ob = Obligation.objects.select_for_update().select_related("project", "responsible_org").get(pk=obligation_id)
        if ob.status != ObligationStatus.OPEN or ob.reminded_at is not None or ob.due_date < as_of:
            return
        days_left = (ob.due_date - as_of).days
        notify(
            users=responsible_users(ob.responsible_org),
            subject=f"到期提醒：{_label(ob)} 将于 {ob.due_date:%Y-%m-%d} 到期",
            body=(f"{_label(ob)}（依据{ob.article or '办理时限'}）将于 {ob.due_date:%Y年%m月%d日} 到期，"
                  f"还有 {days_left} 天。请按期办理；逾期将报数字化发展局督办。"),
            link=DEADLINES_LINK, kind=Kind.REMINDER,
        )
        ob.reminded_at = timezone.now()
        ob.save(update_fields=["reminded_at"])
        audit_record(event="obligation.reminded", actor_name="system", target=ob,
                     data={"project": ob.project.code, "code": ob.code, "due_date": ob.due_date.isoformat(),
                           "as_of": as_of.isoformat()})
    report.reminded.append(obligation_id)


def _escalate(obligation_id: int, as_of: date, report: SweepReport) -> None:
    with transaction.atomic():
        ob = Obligation.objects.select_for_update().select_related("project", "responsible_org").get(pk=obligation_id)
        if ob.status != ObligationStatus.OPEN or ob.due_date >= as_of:
            return
        ob.status, ob.escalated_at = ObligationStatus.OVERDUE, timezone.now()
        ob.save(update_fields=["status", "escalated_at"])
        audit_record(event="obligation.escalated", actor_name="system", target=ob,
                     data={"project": ob.project.code, "code": ob.code, "due_date": ob.due_date.isoformat(),
                           "as_of": as_of.isoformat()})
        result = ""
        handler = overdue_handler_for(ob.code)
        if handler is not None:
            try:
                with transaction.atomic():
                    result = handler(ob)
            except DomainError as exc:
                result = f"未处理：{exc.message}"
                logger.warning("逾期处理未执行 %s %s: %s", ob.project.code, ob.code, exc.message)
            report.handled.append((obligation_id, result))
        body = (f"{_label(ob)}（依据{ob.article or '办理时限'}）已于 {ob.due_date:%Y年%m月%d日} 到期，"
                f"责任单位：{ob.responsible_org}。" + (f"\n系统处理：{result}" if result else ""))
        bureau = bureau_users(ob.project.unit)
        notify(users=bureau, subject=f"逾期督办：{_label(ob)}", body=body, link=DEADLINES_LINK,
               kind=Kind.ESCALATION)
        told = {u.pk for u in bureau}
        notify(users=[u for u in responsible_users(ob.responsible_org) if u.pk not in told],
               subject=f"已逾期：{_label(ob)}", body=body, link=DEADLINES_LINK, kind=Kind.ESCALATION)
    report.escalated.append(obligation_id)


def obligations_sweep(*, as_of: date | None = None) -> SweepReport:
    as_of = as_of or timezone.localdate()
    report = SweepReport(as_of=as_of)
    open_rows = Obligation.objects.filter(status=ObligationStatus.OPEN)
    overdue = list(open_rows.filter(due_date__lt=as_of).order_by("pk").values_list("pk", flat=True))
    due_soon = list(open_rows.filter(reminded_at__isnull=True, remind_on__lte=as_of, due_date__gte=as_of)
                    .order_by("pk").values_list("pk", flat=True))
    for step, pks in ((_escalate, overdue), (_remind, due_soon)):
        for pk in pks:
            try:
                step(pk, as_of, report)
            except Exception:  # one broken item must not stop the others; it is retried next sweep
                logger.exception("期限巡检处理事项 #%s 失败，下次巡检重试", pk)
                report.failed.append(pk)
    if report.reminded or report.escalated:
        logger.info("期限巡检 %s：提醒 %d 项，督办 %d 项", as_of, len(report.reminded), len(report.escalated))
    return report
