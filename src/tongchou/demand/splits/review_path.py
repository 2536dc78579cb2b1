"""Which review path a cost takes (第十六条、第十七条), and whether a split escapes a stricter one.

The thresholds mirror the rule set `changji-2025-trial` of the assessment contract: below 500,000 yuan
self procurement (security review when special); 500,000 to 2,000,000 inclusive joint review (security
review when special); above 2,000,000 joint review. Kept here as data so this package stays free of the
policy engine's loading machinery; `thresholds` can be passed when another rule set applies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .records import ProjectRecord

STRICTNESS = {"self_procurement": 0, "security_review": 1, "joint_review": 2}
PATH_LABELS = {
    "self_procurement": "单位自行采购（第十六条）",
    "security_review": "密码和网络安全审查（第十六条、第十七条）",
    "joint_review": "联合会审（第十七条）",
}


@dataclass(frozen=True)
class Thresholds:
    lower: float = 500_000  # 第十六条、第十七条：50万元（含）起
    upper: float = 2_000_000  # 第十七条：200万元（含）以下


DEFAULT_THRESHOLDS = Thresholds()


def review_path(cost: float, special: bool, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    if cost > thresholds.upper:
        return "joint_review"
    if cost >= thresholds.lower:
        return "security_review" if special else "joint_review"
    return "security_review" if special else "self_procurement"


def group_path(members: Iterable[ProjectRecord], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> str:
    members = list(members)
    combined = sum(m.construction_cost for m in members)
    return review_path(combined, any(m.special for m in members), thresholds)


def evades_review(members: Iterable[ProjectRecord], thresholds: Thresholds = DEFAULT_THRESHOLDS) -> bool:
    """True when the combined cost's path is stricter than the path of every member on its own."""
    members = list(members)
    combined = STRICTNESS[group_path(members, thresholds)]
    return all(STRICTNESS[review_path(m.construction_cost, m.special, thresholds)] < combined for m in members)
