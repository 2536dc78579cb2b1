"""Working days for review deadlines, behind one pair of functions.

`tongchou.calendar` (the State Council holiday schedule) is being built by a colleague; until its
working-day functions are on main this module counts Monday to Friday only. Swap the two bodies for
the calendar's functions when it lands — nothing else in reviews computes working days."""

from __future__ import annotations

from datetime import date, timedelta

# Working days a member has for its opinion. The Measures set no figure; this is the bureau's
# operating rule and can be changed here.
OPINION_WORKING_DAYS = 10


def is_working_day(day: date) -> bool:
    return day.weekday() < 5


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; 0 when end is not after start."""
    count = 0
    current = start
    while current < end:
        current += timedelta(days=1)
        if is_working_day(current):
            count += 1
    return count
