"""How much may be approved and budgeted (pure rules, no database).

The development and reform commission approves what the joint review 核定: the project's 项目资金
(construction cost, without O&M) less any 投资核减 the consolidated opinion adopted (Art. 14, 17). The
consolidated opinion records no adopted figure yet — member units' 建议核减 are proposals the bureau weighs
in its text — so the callers pass `adopted_reduction=None` and the ceiling is the 项目资金. Finance's
budget follows the approval (Art. 14(5), 21): all budget years together stay within the approved amount.
See docs/adr/0245-approval-and-budget-ceilings.md."""

from __future__ import annotations

from decimal import Decimal

APPROVAL_ARTICLE = "第十四条、第十七条"
BUDGET_ARTICLE = "第十四条第（五）项、第二十一条"


def yuan(amount: Decimal) -> str:
    return f"{amount:,.2f} 元"


def reviewed_amount(*, construction_cost: Decimal, adopted_reduction: Decimal | None = None) -> Decimal:
    """The review's 核定 amount: 项目资金 less the adopted reduction, never below zero."""
    reduction = adopted_reduction or Decimal(0)
    return max(construction_cost - reduction, Decimal(0))


def ceiling_refusal(*, amount: Decimal, ceiling: Decimal, already: Decimal = Decimal(0), what: str,
                    ceiling_label: str, basis: str) -> str | None:
    """None when `already` + `amount` is > 0 and within `ceiling`; otherwise the Chinese reason, naming
    the field (`what`), the ceiling and where it comes from (`basis`)."""
    if amount <= 0:
        return f"{what}须大于零。"
    total = already + amount
    if total <= ceiling:
        return None
    if already:
        return (f"{what} {yuan(amount)}与已登记的 {yuan(already)}合计 {yuan(total)}，超过{ceiling_label}"
                f" {yuan(ceiling)}（{basis}），请核对后重新填写。")
    return f"{what} {yuan(amount)}超过{ceiling_label} {yuan(ceiling)}（{basis}），请核对后重新填写。"
