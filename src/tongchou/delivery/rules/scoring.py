"""Art. 25 self-evaluation: indicator achievement, the weighted score and the grade. Pure.

Weights: budget execution 10, outputs 50 (cost indicators count here), benefits 30, satisfaction 10.
Grades on the total rounded half-up to two decimals — the figure shown is the figure graded:
优 ≥ 90; 良 ≥ 80 and < 90; 中 ≥ 60 and < 80; 差 < 60. A boundary belongs to the higher grade (ADR 0083).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

WEIGHTS = {"budget": Decimal(10), "outputs": Decimal(50), "benefits": Decimal(30), "satisfaction": Decimal(10)}
GRADES: tuple[tuple[Decimal, str], ...] = ((Decimal(90), "优"), (Decimal(80), "良"), (Decimal(60), "中"))
ONE = Decimal(1)
ZERO = Decimal(0)
CENT = Decimal("0.01")


def _clamp(x: Decimal) -> Decimal:
    return max(ZERO, min(ONE, x))


def achievement(operator: str, target: Decimal, actual: Decimal) -> Decimal:
    """How far one indicator is met, 0..1. "ge/gt": actual/target; "le/lt": target/actual when above it;
    "eq": the smaller over the larger."""
    target, actual = Decimal(target), Decimal(actual)
    if operator in ("ge", "gt"):
        if actual >= target and (operator == "ge" or actual > target):
            return ONE
        return _clamp(actual / target) if target > 0 else ZERO
    if operator in ("le", "lt"):
        if actual <= target and (operator == "le" or actual < target):
            return ONE
        return _clamp(target / actual) if actual > 0 else ZERO
    if operator == "eq":
        if actual == target:
            return ONE
        low, high = sorted((abs(actual), abs(target)))
        return _clamp(low / high) if high > 0 else ZERO
    raise ValueError(operator)


def mean(values: Iterable[Decimal]) -> Decimal | None:
    items = list(values)
    return sum(items, ZERO) / len(items) if items else None


def grade_for(total: Decimal) -> str:
    for floor, name in GRADES:
        if total >= floor:
            return name
    return "差"


@dataclass(frozen=True)
class Score:
    budget: Decimal
    outputs: Decimal
    benefits: Decimal
    satisfaction: Decimal
    total: Decimal
    grade: str


def score(*, budget_rate: Decimal, outputs_rate: Decimal, benefits_rate: Decimal, satisfaction_rate: Decimal) -> Score:
    """Rates are achievement ratios 0..1 (clamped); parts and total are rounded half-up to 0.01."""
    parts = {
        name: (WEIGHTS[name] * _clamp(Decimal(rate))).quantize(CENT, ROUND_HALF_UP)
        for name, rate in (("budget", budget_rate), ("outputs", outputs_rate), ("benefits", benefits_rate),
                           ("satisfaction", satisfaction_rate))
    }
    total = sum(parts.values(), ZERO).quantize(CENT, ROUND_HALF_UP)
    return Score(parts["budget"], parts["outputs"], parts["benefits"], parts["satisfaction"], total, grade_for(total))
