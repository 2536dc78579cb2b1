"""Amounts of money on pages as the messages write them: `{{ amount|money }}` → "1,100,000.00".

Django's `floatformat:"2g"` groups with the active locale's separator, which for zh-hans is empty, so pages
showed "1100000.00 元" beside messages saying "1,100,000.00 元"; this filter is the one page format.
Anything that is not a number (None, "") comes back as "" so `|money|default:"—"` works."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django import template

register = template.Library()


@register.filter
def money(value: Any, places: int = 2) -> str:
    if value is None or value == "" or isinstance(value, bool):
        return ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return ""
    if not amount.is_finite():
        return ""
    return f"{amount:,.{int(places)}f}"
