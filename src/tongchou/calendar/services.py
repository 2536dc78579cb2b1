"""The system admin's corrections to the working-day calendar. Each write is audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from tongchou.accounts.models import Role, User
from tongchou.audit.services import audit_record
from tongchou.calendar.models import CalendarDay, CalendarYear, DayKind, DaySource
from tongchou.calendar.seed import SeedResult, seed_calendar
from tongchou.core_errors import DomainError, NotFound


def _require_system_admin(actor: User) -> None:
    if getattr(actor, "role", None) != Role.SYSTEM_ADMIN:
        raise DomainError(
            "只有系统管理员可以修改工作日历。",
            code="forbidden",
            hint="节假日安排属于系统配置（三权分立），请联系系统管理员录入。",
            status=403,
        )


def _snapshot(row: CalendarDay | None) -> dict[str, str] | None:
    if row is None:
        return None
    return {"date": row.date.isoformat(), "kind": row.kind, "name": row.name, "source": row.source}


def calendar_day_set(*, day: date, kind: str, name: str = "", actor: User) -> CalendarDay:
    """Creates or corrects one holiday or 调休 working day."""
    _require_system_admin(actor)
    if kind not in DayKind.values:
        raise DomainError("类型无效：只能是“法定节假日”或“调休上班”。", code="invalid", field="kind")
    if kind == DayKind.MAKEUP_WORKDAY and day.weekday() < 5:
        raise DomainError(
            f"{day:%Y-%m-%d} 是工作日（周一至周五），不需要登记为调休上班。", code="invalid", field="date",
            hint="调休上班日是因调休而上班的周六或周日。",
        )
    name = (name or "").strip()
    if len(name) > 64:
        raise DomainError("名称不能超过 64 个字。", code="invalid", field="name")
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        before = _snapshot(row)
        if row is None:
            row = CalendarDay(date=day)
        row.kind, row.name, row.source, row.updated_by = kind, name, DaySource.ADMIN, actor
        row.save()
        audit_record(event="calendar.day_set", actor=actor, target=row,
                     data={"before": before, "after": _snapshot(row)})
    return row


def calendar_day_delete(*, day: date, actor: User) -> None:
    """Removes a row: the day goes back to what its weekday says."""
    _require_system_admin(actor)
    with transaction.atomic():
        row = CalendarDay.objects.select_for_update().filter(date=day).first()
        if row is None:
            raise NotFound(f"{day:%Y-%m-%d} 没有登记为节假日或调休上班日。")
        before = _snapshot(row)
        audit_record(event="calendar.day_deleted", actor=actor, target=row, data={"before": before})
        row.delete()


def calendar_year_confirm(*, year: int, note: str = "", actor: User) -> CalendarYear:
    """Marks a year's schedule as complete: from now on its deadlines stop falling back to weekdays."""
    _require_system_admin(actor)
    if not 2000 <= year <= 2100:
        raise DomainError("年度无效。", code="invalid", field="year")
    with transaction.atomic():
        if not CalendarDay.objects.filter(date__year=year).exists():
            raise DomainError(
                f"{year} 年还没有录入任何节假日或调休上班日，不能确认。", code="invalid", field="year",
                hint="请先按国务院办公厅通知逐日录入，再确认该年度。",
            )
        row, created = CalendarYear.objects.get_or_create(
            year=year, defaults={"source": DaySource.ADMIN, "note": note[:255], "confirmed_by": actor}
        )
        if not created:
            raise DomainError(f"{year} 年的安排已经确认过。", code="conflict", field="year", status=409)
        audit_record(event="calendar.year_confirmed", actor=actor, target=row, data={"year": year, "note": note[:255]})
    return row


def calendar_seed(*, actor: User | None = None) -> SeedResult:
    """Loads the package's schedule (idempotent); the admin's own rows are kept."""
    with transaction.atomic():
        result = seed_calendar(CalendarDay, CalendarYear)
        if result.created or result.updated:
            audit_record(event="calendar.seeded", actor=actor, actor_name="" if actor else "system",
                         data={"created": result.created, "updated": result.updated,
                               "years": [result.years[0], result.years[-1]] if result.years else []})
    return result
