"""Working days for review deadlines, from the State Council schedule kept in `tongchou.calendar`
(a year without a published schedule falls back to Monday–Friday there, with a logged warning)."""

from __future__ import annotations

from datetime import date

from tongchou.calendar.selectors import working_days_add, working_days_count

# Working days a member has for its opinion. The Measures set no figure; this is the bureau's
# operating rule and can be changed here.
OPINION_WORKING_DAYS = 10


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    return working_days_add(start, days).date


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; 0 when end is not after start."""
    return max(working_days_count(start, end).days, 0)
