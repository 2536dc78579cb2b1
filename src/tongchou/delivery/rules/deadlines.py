"""Due dates of the security obligations (Art. 22; 等保 filing rules). Pure date arithmetic."""

from __future__ import annotations

from datetime import date, timedelta

# 《信息安全等级保护管理办法》第十五条: 第二级以上信息系统在投入运行后30日内备案.
FILING_DAYS_AFTER_GO_LIVE = 30


def add_years(day: date, years: int = 1) -> date:
    """The anniversary; 29 Feb → 28 Feb (as the assessment contract reads Art. 26)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def filing_due(go_live_on: date) -> date:
    return go_live_on + timedelta(days=FILING_DAYS_AFTER_GO_LIVE)


def next_yearly_due(last_on: date) -> date:
    return add_years(last_on, 1)
