"""Fee arithmetic: per started half day up to a day, hourly extra beyond it, daily cap."""

from decimal import Decimal

import pytest

from tongchou.experts.fees import Rates, fee_for

RATES = Rates(half_day=Decimal("800"), hourly_extra=Decimal("150"), daily_cap=Decimal("2000"))


@pytest.mark.parametrize(
    ("minutes", "amount"),
    [
        (0, "0.00"),
        (1, "800.00"),
        (240, "800.00"),
        (241, "1600.00"),
        (480, "1600.00"),
        (481, "1750.00"),
        (540, "1750.00"),
        (541, "1900.00"),
        (600, "1900.00"),
        (601, "2000.00"),  # 2050 capped
        (1440, "2000.00"),
    ],
)
def test_fee_for(minutes, amount):
    assert fee_for(minutes, RATES) == Decimal(amount)


def test_negative_minutes_refused():
    with pytest.raises(ValueError):  # noqa: PT011
        fee_for(-1, RATES)
