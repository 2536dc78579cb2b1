"""Loads the working-day calendar from the database; logs every fallback to weekdays."""

from __future__ import annotations

import logging
from datetime import date

from tongchou.calendar.models import CalendarDay, CalendarYear, DayKind
from tongchou.calendar.rules import (
    WorkCalendar,
    WorkingDayCount,
    WorkingDayResult,
    add_working_days,
    working_days_between,
)
from tongchou.core_errors import DomainError

logger = logging.getLogger("tongchou.calendar")


def calendar_load() -> WorkCalendar:
    holidays: set[date] = set()
    workdays: set[date] = set()
    names: dict[date, str] = {}
    for day, kind, name in CalendarDay.objects.values_list("date", "kind", "name"):
        (workdays if kind == DayKind.MAKEUP_WORKDAY else holidays).add(day)
        names[day] = name
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return WorkCalendar(frozenset(holidays), frozenset(workdays), years, names)


def _log(warnings: tuple[str, ...]) -> None:
    for warning in warnings:
        logger.warning("工作日历回退 / calendar fallback: %s", warning)


MAX_SPAN_DAYS = 3660


def working_days_add(start: date, n: int, *, cal: WorkCalendar | None = None) -> WorkingDayResult:
    if abs(n) > MAX_SPAN_DAYS:
        raise DomainError(f"工作日数不能超过 {MAX_SPAN_DAYS}。", code="invalid", field="n")
    result = add_working_days(cal or calendar_load(), start, n)
    _log(result.warnings)
    return result


def working_days_count(start: date, end: date, *, cal: WorkCalendar | None = None) -> WorkingDayCount:
    if abs((end - start).days) > MAX_SPAN_DAYS * 2:
        raise DomainError("起止日期相隔过远（不超过 20 年）。", code="invalid", field="end")
    result = working_days_between(cal or calendar_load(), start, end)
    _log(result.warnings)
    return result


def calendar_days_for_year(year: int) -> list[CalendarDay]:
    return list(CalendarDay.objects.filter(date__year=year).select_related("updated_by"))


def calendar_year_status(year: int) -> CalendarYear | None:
    return CalendarYear.objects.filter(year=year).first()
