"""Working days for review deadlines, from the State Council schedule kept in `tongchou.calendar`
(a year without a published schedule falls back to Monday–Friday there, with a logged warning), and
the time limit a member has for its opinion: the bureau's service level `SLA-MEMBER-OPINION` as it
stands the day the task opens (ADR 0175)."""

from __future__ import annotations

import logging
from datetime import date

from tongchou.calendar.selectors import calendar_load, working_days_add, working_days_count
from tongchou.obligations.models import LimitOrigin, PeriodUnit
from tongchou.obligations.periods import due_after
from tongchou.obligations.service_levels import LimitValue, service_level_in_force

logger = logging.getLogger("tongchou.reviews")

MEMBER_OPINION_LEVEL = "SLA-MEMBER-OPINION"
# FALLBACK ONLY — used when no active SLA-MEMBER-OPINION row exists (the row is seeded by
# obligations/migrations/0002 and cannot be deactivated through the service). It equals that seed.
FALLBACK_OPINION_LIMIT = LimitValue(code=MEMBER_OPINION_LEVEL, article="第十四条", period=7,
                                    unit=PeriodUnit.WORKING_DAYS, remind_before=2, level_id=None,
                                    origin=LimitOrigin.FALLBACK)


def opinion_time_limit() -> LimitValue:
    """The member-opinion time limit in force now."""
    limit = service_level_in_force(code=MEMBER_OPINION_LEVEL, fallback=FALLBACK_OPINION_LIMIT)
    if limit.origin == LimitOrigin.FALLBACK:
        logger.warning("未配置办理时限 %s，审查任务按内置默认 %s 个工作日计算", MEMBER_OPINION_LEVEL, limit.period)
    return limit


def opinion_due_date(start: date, limit: LimitValue) -> date:
    """The due date of a task opened on `start` under `limit` (working or calendar days, or months)."""
    due, warnings = due_after(calendar_load(), start, limit.period, limit.unit)
    for warning in warnings:
        logger.warning("工作日历回退 / calendar fallback: %s", warning)
    return due


def add_working_days(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself not counted)."""
    return working_days_add(start, days).date


def working_days_between(start: date, end: date) -> int:
    """Working days in (start, end]; 0 when end is not after start."""
    return max(working_days_count(start, end).days, 0)
