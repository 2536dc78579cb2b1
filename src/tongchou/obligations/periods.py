"""Due dates from a start date and a period. Pure."""

from __future__ import annotations

import calendar as _stdlib_calendar
from datetime import date, timedelta

from tongchou.calendar.rules import WorkCalendar, add_working_days


def add_months(start: date, months: int) -> date:
    """Same day n months later; a day the target month lacks becomes its last day (29 Feb → 28 Feb)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, _stdlib_calendar.monthrange(year, month)[1]))


def due_after(cal: WorkCalendar, start: date, period: int, unit: str) -> tuple[date, tuple[str, ...]]:
    if unit == "working_days":
        result = add_working_days(cal, start, period)
        return result.date, result.warnings
    if unit == "calendar_days":
        return start + timedelta(days=period), ()
    if unit == "months":
        return add_months(start, period), ()
    raise ValueError(unit)


def remind_date(cal: WorkCalendar, due: date, working_days_before: int) -> tuple[date, tuple[str, ...]]:
    result = add_working_days(cal, due, -working_days_before)
    return result.date, result.warnings
