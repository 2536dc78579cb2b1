"""Working-day arithmetic over a loaded calendar. Pure: no ORM, no clock.

`add_working_days(cal, start, n)` is the date n working days after `start` (the start day itself does not
count, as a 5-working-day deadline starts the day after receipt); `working_days_between(cal, a, b)`
counts the working days in (a, b], so `working_days_between(cal, s, add_working_days(cal, s, n).date) == n`.
A year without a published schedule falls back to Monday–Friday and the result says so in `warnings`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

ONE_DAY = timedelta(days=1)


def fallback_warning(year: int) -> str:
    return (
        f"{year} 年的节假日安排尚未录入，已按周一至周五为工作日计算；"
        f"国务院公布 {year} 年安排后，请系统管理员在“工作日历”中录入并确认。"
    )


@dataclass(frozen=True)
class WorkCalendar:
    holidays: frozenset[date] = frozenset()
    makeup_workdays: frozenset[date] = frozenset()
    scheduled_years: frozenset[int] = frozenset()
    names: dict[date, str] = field(default_factory=dict, compare=False, hash=False)

    def has_schedule(self, year: int) -> bool:
        return year in self.scheduled_years

    def warnings_for(self, years: Iterable[int]) -> tuple[str, ...]:
        return tuple(fallback_warning(y) for y in sorted(set(years)) if not self.has_schedule(y))


@dataclass(frozen=True)
class WorkingDayResult:
    date: date
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkingDayCount:
    days: int
    warnings: tuple[str, ...] = ()


def is_working_day(cal: WorkCalendar, day: date) -> bool:
    # Rows entered for a year apply even before the year is confirmed; only the warning depends on it.
    if day in cal.makeup_workdays:
        return True
    if day in cal.holidays:
        return False
    return day.weekday() < 5


def add_working_days(cal: WorkCalendar, start: date, n: int) -> WorkingDayResult:
    """The n-th working day after `start` (before it, for negative n); n == 0 gives `start`."""
    step = ONE_DAY if n >= 0 else -ONE_DAY
    remaining = abs(n)
    day = start
    years = {start.year}
    while remaining:
        day += step
        years.add(day.year)
        if is_working_day(cal, day):
            remaining -= 1
    return WorkingDayResult(day, cal.warnings_for(years))


def working_days_between(cal: WorkCalendar, start: date, end: date) -> WorkingDayCount:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        back = working_days_between(cal, end, start)
        return WorkingDayCount(-back.days, back.warnings)
    count = 0
    day = start
    while day < end:
        day += ONE_DAY
        if is_working_day(cal, day):
            count += 1
    return WorkingDayCount(count, cal.warnings_for(range(start.year, end.year + 1)))
