"""The one page format for money: thousands separators as in the messages, blanks for what is not a number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tongchou.web.templatetags.money import money


@pytest.mark.parametrize(("value", "places", "shown"), [
    (Decimal("1100000"), 2, "1,100,000.00"), ("1200000.5", 2, "1,200,000.50"), (980000, 0, "980,000"),
    (Decimal("12.346"), 2, "12.35"), (None, 2, ""), ("", 2, ""), ("abc", 2, ""), (Decimal("NaN"), 2, ""),
])
def test_money(value, places, shown):
    assert money(value, places) == shown
