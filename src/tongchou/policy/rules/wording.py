"""How facts are written in Chinese messages."""

from __future__ import annotations

from decimal import Decimal


def yuan(amount: int | Decimal) -> str:
    if type(amount) is Decimal:
        whole = amount.to_integral_value()
        if whole == amount:
            return f"{int(whole):,}元"
        return f"{amount:,f}元"
    return f"{amount:,}元"


def yes_no(value: bool) -> str:
    return "是" if value else "否"
