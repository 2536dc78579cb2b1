"""How facts are written in Chinese messages."""

from __future__ import annotations

from decimal import Decimal


def yuan(amount: int | Decimal) -> str:
    if type(amount) is Decimal:
        amount = amount.normalize() if amount == amount.to_integral_value() else amount
        if amount == amount.to_integral_value():
            amount = int(amount)
    return f"{amount:,}元"


def yes_no(value: bool) -> str:
    return "是" if value else "否"
