from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tongchou.calendar.rules import WorkCalendar, add_working_days, is_working_day, working_days_between
from tongchou.calendar.seed import package_schedule


def _package_calendar() -> WorkCalendar:
    schedule = package_schedule()
    return WorkCalendar(
        holidays=frozenset(d for d, (k, _) in schedule.items() if k == "holiday"),
        makeup_workdays=frozenset(d for d, (k, _) in schedule.items() if k == "workday"),
        scheduled_years=frozenset(d.year for d in schedule),
    )


CAL = _package_calendar()


def test_spring_festival_2026_and_its_makeup_saturday():
    """2026's Spring Festival runs 15–23 February; Saturday the 14th and the 28th are 调休 working days."""
    assert is_working_day(CAL, date(2026, 2, 14))  # Saturday, 调休上班
    assert is_working_day(CAL, date(2026, 2, 28))  # Saturday, 调休上班
    assert not is_working_day(CAL, date(2026, 2, 16))  # Monday, 春节
    assert not is_working_day(CAL, date(2026, 2, 23))  # Monday, 春节
    assert not is_working_day(CAL, date(2026, 2, 7))  # an ordinary Saturday


def test_five_working_days_from_friday_13_february_2026_end_on_27_february():
    """Fri 13 Feb: the 调休 Saturday counts (1), the festival does not, then 24–27 Feb (2–5)."""
    result = add_working_days(CAL, date(2026, 2, 13), 5)
    assert result.date == date(2026, 2, 27)
    assert result.warnings == ()
    assert working_days_between(CAL, date(2026, 2, 13), date(2026, 2, 27)).days == 5


def test_a_year_without_a_schedule_falls_back_to_weekdays_and_says_so():
    result = add_working_days(CAL, date(2026, 12, 25), 10)
    # 2027-01-01 is a Friday: without the 2027 schedule it counts as a working day.
    assert result.date == date(2027, 1, 8)
    assert len(result.warnings) == 1
    assert "2027 年的节假日安排尚未录入" in result.warnings[0] and "周一至周五" in result.warnings[0]


def test_counting_backwards_skips_the_festival():
    assert add_working_days(CAL, date(2026, 2, 24), -1).date == date(2026, 2, 14)
    assert add_working_days(CAL, date(2026, 2, 24), 0).date == date(2026, 2, 24)


@settings(max_examples=200, deadline=None)
@given(start=st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31)), n=st.integers(0, 80))
def test_counting_and_adding_agree(start, n):
    """working_days_between(s, add(s, n)) == n, and a positive count always lands on a working day."""
    landed = add_working_days(CAL, start, n).date
    assert working_days_between(CAL, start, landed).days == n
    if n > 0:
        assert is_working_day(CAL, landed)
        assert working_days_between(CAL, start, landed - timedelta(days=1)).days == n - 1


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_each_packaged_year_has_about_250_working_days(year):
    count = working_days_between(CAL, date(year - 1, 12, 31), date(year, 12, 31)).days
    assert 245 <= count <= 252
