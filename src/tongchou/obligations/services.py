"""Opening and closing obligations. Each write is one transaction with its audit event."""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongchou.accounts.models import BUREAU_ROLES, Organisation, User
from tongchou.audit.services import audit_record
from tongchou.calendar.selectors import calendar_load
from tongchou.core_errors import Conflict, DomainError, NotFound
from tongchou.obligations.models import (
    OPEN_STATUSES,
    Obligation,
    ObligationSource,
    ObligationStatus,
    Responsible,
    ServiceLevel,
)
from tongchou.obligations.periods import due_after, remind_date
from tongchou.obligations.recipients import bureau_for
from tongchou.projects.models import Project

logger = logging.getLogger("tongchou.obligations")
DEFAULT_REMIND_BEFORE = 2


def _snapshot(ob: Obligation) -> dict[str, Any]:
    return {"code": ob.code, "status": ob.status, "due_date": ob.due_date.isoformat(),
            "responsible_org": ob.responsible_org.code}


def obligation_create(
    *,
    project: Project,
    code: str,
    title: str,
    article: str = "",
    due_date: date,
    source: str = ObligationSource.MANUAL,
    responsible_org: Organisation | None = None,
    start_date: date | None = None,
    remind_before: int | None = None,
    calendar_warnings: tuple[str, ...] = (),
    actor: User | None = None,
) -> Obligation:
    """Opens one obligation. A second open one with the same code on the same project is refused."""
    level = ServiceLevel.objects.filter(code=code).first()
    before = remind_before if remind_before is not None else (level.remind_before if level else DEFAULT_REMIND_BEFORE)
    remind_on, remind_warnings = remind_date(calendar_load(), due_date, before)
    warnings = tuple(dict.fromkeys((*calendar_warnings, *remind_warnings)))
    for warning in warnings:
        logger.warning("期限计算回退 / calendar fallback (%s %s): %s", project.code, code, warning)
    try:
        with transaction.atomic():
            ob = Obligation.objects.create(
                project=project, code=code, title=title[:200], article=article, source=source,
                start_date=start_date, due_date=due_date, remind_on=min(remind_on, due_date),
                responsible_org=responsible_org or project.unit, calendar_warning="\n".join(warnings),
            )
            audit_record(event="obligation.opened", actor=actor, actor_name="" if actor else "system", target=ob,
                         data={"project": project.code, **_snapshot(ob), "warnings": list(warnings)})
    except IntegrityError as exc:
        raise Conflict(f"项目 {project.code} 已有未办结的“{title}”事项。", field="code") from exc
    return ob


def obligation_open_from_service_level(
    *,
    project: Project,
    level_code: str,
    start: date,
    responsible_org: Organisation | None = None,
    actor: User | None = None,
) -> Obligation:
    """Counts the due date from the configured service level (working days from the calendar)."""
    level = ServiceLevel.objects.filter(code=level_code, active=True).first()
    if level is None:
        raise DomainError(f"办理时限“{level_code}”不存在或已停用。", code="invalid", field="level_code")
    if responsible_org is None:
        if level.responsible == Responsible.BUREAU:
            responsible_org = bureau_for(project.unit)
        elif level.responsible == Responsible.UNIT:
            responsible_org = project.unit
        else:
            raise DomainError("该时限由成员单位办理，请指明成员单位。", code="invalid", field="responsible_org")
    due, warnings = due_after(calendar_load(), start, level.period, level.unit)
    return obligation_create(
        project=project, code=level.code, title=level.title, article=level.article, due_date=due,
        source=ObligationSource.SERVICE_LEVEL, responsible_org=responsible_org, start_date=start,
        remind_before=level.remind_before, calendar_warnings=warnings, actor=actor,
    )


def _lock(obligation_id: int) -> Obligation:
    ob = Obligation.objects.select_for_update().select_related("project", "responsible_org").filter(
        pk=obligation_id).first()
    if ob is None:
        raise NotFound()
    return ob


def _may_close(ob: Obligation, actor: User) -> bool:
    return actor.role in BUREAU_ROLES or actor.organisation_id == ob.responsible_org_id


def obligation_fulfil(*, obligation: Obligation, actor: User, note: str = "") -> Obligation:
    with transaction.atomic():
        ob = _lock(obligation.pk)
        if not _may_close(ob, actor):
            raise DomainError("只有责任单位或数字化发展局可以办结该事项。", code="forbidden", status=403)
        if ob.status not in OPEN_STATUSES:
            raise Conflict(f"该事项已{ob.get_status_display()}，不能重复办结。")
        before = _snapshot(ob)
        ob.status, ob.closed_at, ob.closed_by, ob.close_note = ObligationStatus.DONE, timezone.now(), actor, note[:255]
        ob.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
        audit_record(event="obligation.fulfilled", actor=actor, target=ob,
                     data={"before": before, "after": _snapshot(ob), "note": note[:255]})
    return ob


def obligation_settle(*, project: Project, code: str, actor: User | None, status: str = ObligationStatus.DONE,
                      note: str = "") -> Obligation | None:
    """Closes the project's open obligation of that code because a step the caller has already
    authorised discharged it (a lifecycle transition, inside its transaction); None when none is open.
    No permission check of its own: who may take the step was checked by the step."""
    if status not in (ObligationStatus.DONE, ObligationStatus.WAIVED):
        raise ValueError(status)
    with transaction.atomic():
        ob = Obligation.objects.select_for_update().select_related("project", "responsible_org").filter(
            project=project, code=code, status__in=OPEN_STATUSES).first()
        if ob is None:
            return None
        before = _snapshot(ob)
        ob.status, ob.closed_at, ob.closed_by, ob.close_note = status, timezone.now(), actor, note[:255]
        ob.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
        event = "obligation.fulfilled" if status == ObligationStatus.DONE else "obligation.waived"
        audit_record(event=event, actor=actor, actor_name="" if actor else "system", target=ob,
                     data={"before": before, "after": _snapshot(ob), "note": note[:255]})
    return ob


def obligation_waive(*, obligation: Obligation, actor: User, reason: str) -> Obligation:
    if actor.role not in BUREAU_ROLES:
        raise DomainError("只有数字化发展局可以免除期限事项。", code="forbidden", status=403)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写免除理由。", code="invalid", field="reason")
    with transaction.atomic():
        ob = _lock(obligation.pk)
        if ob.status not in OPEN_STATUSES:
            raise Conflict(f"该事项已{ob.get_status_display()}，不能免除。")
        before = _snapshot(ob)
        ob.status, ob.closed_at, ob.closed_by, ob.close_note = ObligationStatus.WAIVED, timezone.now(), actor, reason[:255]
        ob.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
        audit_record(event="obligation.waived", actor=actor, target=ob,
                     data={"before": before, "after": _snapshot(ob), "reason": reason[:255]})
    return ob
