"""Budget execution on a performance report (Art. 25): spending more than the budget can be a true
fact (an adjusted budget, money from another line), so it is never refused — it is said plainly on the
report, in the API and to finance, which reviews the report. Negative figures are refused elsewhere."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def overspend_warning(budget: Decimal | None, spent: Decimal | None) -> str | None:
    """"执行数超过预算数 400.00 元（执行率 500%）" — the excess and the execution rate — or None when within it."""
    if budget is None or spent is None or spent <= budget:
        return None
    excess = spent - budget
    if budget <= 0:
        return f"执行数超过预算数 {excess:,.2f} 元（预算数为 0）"
    rate = (spent / budget * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    return f"执行数超过预算数 {excess:,.2f} 元（执行率 {rate}%）"
