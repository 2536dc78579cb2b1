"""The system admin edits the time limits as data (no code change); each change is audited."""

from __future__ import annotations

from django.db import transaction

from tongchou.accounts.models import Role, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError, NotFound
from tongchou.obligations.models import PeriodUnit, ServiceLevel


def _snapshot(level: ServiceLevel) -> dict[str, object]:
    return {"period": level.period, "unit": level.unit, "remind_before": level.remind_before, "active": level.active}


def service_level_update(
    *, code: str, period: int, unit: str, remind_before: int, active: bool = True, actor: User
) -> ServiceLevel:
    """Applies to obligations opened from now on; open ones keep the due date they were given."""
    if actor.role != Role.SYSTEM_ADMIN:
        raise DomainError("只有系统管理员可以修改办理时限。", code="forbidden", status=403)
    if unit not in PeriodUnit.values:
        raise DomainError("期限单位无效：只能是工作日、自然日或月。", code="invalid", field="unit")
    if not 1 <= period <= 366:
        raise DomainError("期限应在 1 到 366 之间。", code="invalid", field="period")
    if not 0 <= remind_before <= 60:
        raise DomainError("提前提醒的工作日数应在 0 到 60 之间。", code="invalid", field="remind_before")
    with transaction.atomic():
        level = ServiceLevel.objects.select_for_update().filter(code=code).first()
        if level is None:
            raise NotFound(f"办理时限“{code}”不存在。")
        before = _snapshot(level)
        level.period, level.unit, level.remind_before, level.active = period, unit, remind_before, active
        level.save()
        audit_record(event="service_level.updated", actor=actor, target=level,
                     data={"code": code, "before": before, "after": _snapshot(level)})
    return level
