"""Expert fee arithmetic (pure; ADR 0022).

A service of `minutes` on one day costs one half-day fee per started half day (240 minutes) up to a
full day (480 minutes), plus `hourly_extra` per started hour beyond 480 minutes, and never more than
`daily_cap`. Zero minutes cost nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

HALF_DAY_MINUTES = 240
DAY_MINUTES = 480


@dataclass(frozen=True)
class Rates:
    half_day: Decimal
    hourly_extra: Decimal
    daily_cap: Decimal


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def fee_for(minutes: int, rates: Rates) -> Decimal:
    if minutes < 0:
        raise ValueError("minutes must not be negative")
    if minutes == 0:
        return Decimal("0.00")
    half_days = _ceil_div(min(minutes, DAY_MINUTES), HALF_DAY_MINUTES)
    extra_hours = _ceil_div(max(0, minutes - DAY_MINUTES), 60)
    amount = rates.half_day * half_days + rates.hourly_extra * extra_hours
    return min(amount, rates.daily_cap).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
