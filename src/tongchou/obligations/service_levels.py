"""The time limits as data (no code change). The prefecture bureau's lead sets them as the bureau's
operating rules, and the system admin may too (configuration, as before); each change is audited.
An edit applies to what opens from then on: open obligations and opinion tasks keep the due date
they were given (ADR 0175)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction

from tongchou.accounts.models import Level, OrgKind, Role, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError, NotFound
from tongchou.obligations.models import LimitOrigin, PeriodUnit, ServiceLevel

# Levels something cannot do without: an opinion task must have a due date (reviews reads this one).
NOT_DEACTIVATABLE = {"SLA-MEMBER-OPINION": "成员单位出具意见须有办理期限，该时限不能停用。"}


@dataclass(frozen=True)
class LimitValue:
    """A level's value as read at one moment; `origin` says whether it came from the row or a fallback."""

    code: str
    article: str
    period: int
    unit: str
    remind_before: int
    level_id: int | None
    origin: str

    def as_dict(self) -> dict[str, Any]:
        return {"level": self.code, "period": self.period, "unit": self.unit, "remind_before": self.remind_before,
                "origin": self.origin}


def service_level_in_force(*, code: str, fallback: LimitValue) -> LimitValue:
    """The active level of that code as it stands now, or `fallback` (labelled so) when there is none."""
    level = ServiceLevel.objects.filter(code=code, active=True).first()
    if level is None:
        return fallback
    return LimitValue(code=level.code, article=level.article, period=level.period, unit=level.unit,
                      remind_before=level.remind_before, level_id=level.pk, origin=LimitOrigin.LEVEL)


def may_edit_service_levels(user: Any) -> bool:
    """The prefecture bureau's lead (its operating rules apply prefecture-wide) or the system admin."""
    role = getattr(user, "role", None)
    if role == Role.SYSTEM_ADMIN:
        return True
    org = getattr(user, "organisation", None)
    return (role == Role.BUREAU_LEAD and org is not None and org.kind == OrgKind.BUREAU
            and org.level == Level.PREFECTURE)


def _snapshot(level: ServiceLevel) -> dict[str, object]:
    return {"period": level.period, "unit": level.unit, "remind_before": level.remind_before, "active": level.active}


def service_level_update(
    *, code: str, period: int, unit: str, remind_before: int, active: bool = True, actor: User
) -> ServiceLevel:
    """Applies to obligations and opinion tasks opened from now on; open ones keep their due date."""
    if not may_edit_service_levels(actor):
        raise DomainError("只有州数字化发展局负责人或系统管理员可以修改办理时限。", code="forbidden", status=403)
    if unit not in PeriodUnit.values:
        raise DomainError("期限单位无效：只能是工作日、自然日或月。", code="invalid", field="unit")
    if not 1 <= period <= 366:
        raise DomainError("期限应在 1 到 366 之间。", code="invalid", field="period")
    if not 0 <= remind_before <= 60:
        raise DomainError("提前提醒的工作日数应在 0 到 60 之间。", code="invalid", field="remind_before")
    if unit == PeriodUnit.WORKING_DAYS and remind_before >= period:
        raise DomainError(f"提前提醒的工作日数（{remind_before}）应小于期限（{period} 个工作日），否则一开启就提醒。",
                          code="invalid", field="remind_before")
    if not active and code in NOT_DEACTIVATABLE:
        raise DomainError(NOT_DEACTIVATABLE[code], code="invalid", field="active")
    with transaction.atomic():
        level = ServiceLevel.objects.select_for_update().filter(code=code).first()
        if level is None:
            raise NotFound(f"办理时限“{code}”不存在。")
        before = _snapshot(level)
        level.period, level.unit, level.remind_before, level.active = period, unit, remind_before, active
        level.save()
        audit_record(event="service_level.updated", actor=actor, target=level,
                     data={"code": code, "article": level.article, "before": before, "after": _snapshot(level)})
    return level
