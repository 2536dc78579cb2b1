"""Reading the audit log: only the audit admin (三权分立), with filters by time, user, event and target."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from tongchou.accounts.models import Role
from tongchou.audit.models import AuditEvent
from tongchou.core_errors import DomainError


@dataclass(frozen=True)
class AuditFilters:
    date_from: date | None = None
    date_to: date | None = None
    user: str = ""
    event: str = ""
    target: str = ""
    outcome: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in self.__dict__.items() if v}


def require_audit_admin(user: object) -> None:
    if getattr(user, "role", None) != Role.AUDIT_ADMIN or not getattr(user, "is_authenticated", False):
        raise DomainError("只有审计管理员可以查看审计日志。", code="forbidden",
                          hint="三权分立：审计日志仅供审计管理员查阅。", status=403)


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events_search(*, user: object, filters: AuditFilters) -> QuerySet[AuditEvent]:
    require_audit_admin(user)
    rows = AuditEvent.objects.all().order_by("-id")
    if filters.date_from:
        rows = rows.filter(at__gte=_start(filters.date_from))
    if filters.date_to:
        rows = rows.filter(at__lt=_start(filters.date_to + timedelta(days=1)))
    if filters.user:
        rows = rows.filter(Q(actor_name__icontains=filters.user) | Q(actor_org__icontains=filters.user))
    if filters.event:
        rows = rows.filter(event__startswith=filters.event)
    if filters.target:
        rows = rows.filter(Q(target_id=filters.target) | Q(target_label__icontains=filters.target)
                           | Q(target_type__icontains=filters.target))
    if filters.outcome:
        rows = rows.filter(outcome=filters.outcome)
    return rows


def audit_event_names() -> list[str]:
    return list(AuditEvent.objects.order_by("event").values_list("event", flat=True).distinct())
