"""Which review path a cost takes (第十六条、第十七条), and whether a split escapes a stricter one.

The thresholds are read from the policy rule set in force (`tongchou.policy.registry`, pure Python, no
Django): below `joint_review_threshold` self procurement (security review when special); from it to
`security_review_ceiling` inclusive joint review (security review when special); above it joint review.
The registry is loaded once per process (and again after `reload_default_registry()`), so the CLI stays
fast; `thresholds` can still be passed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone

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


DEFAULT_THRESHOLDS = Thresholds()  # the values of changji-2025-trial, used only if no rule set loads
_in_force: dict[date, Thresholds] = {}
_in_force_from: object = None  # the registry `_in_force` was computed from; a reload empties it
CHINA = timezone(timedelta(hours=8))  # 北京时间, no daylight saving


def thresholds_in_force(day: date | None = None) -> Thresholds:
    """The review thresholds of the rule set in force on `day` (today by default)."""
    global _in_force_from
    day = day or datetime.now(CHINA).date()
    try:
        from tongchou.policy.registry import default_registry

        registry = default_registry()
    except Exception:  # a broken rule set directory must not stop detection; fall back to the trial's
        return DEFAULT_THRESHOLDS
    if registry is not _in_force_from:
        _in_force.clear()
        _in_force_from = registry
    hit = _in_force.get(day)
    if hit is None:
        params = registry.select(day)[0].parameters
        hit = Thresholds(lower=float(params.joint_review_threshold), upper=float(params.security_review_ceiling))
        if len(_in_force) > 1000:
            _in_force.clear()
        _in_force[day] = hit
    return hit


def review_path(cost: float, special: bool, thresholds: Thresholds | None = None) -> str:
    thresholds = thresholds or thresholds_in_force()
    if cost > thresholds.upper:
        return "joint_review"
    if cost >= thresholds.lower:
        return "security_review" if special else "joint_review"
    return "security_review" if special else "self_procurement"


def group_path(members: Iterable[ProjectRecord], thresholds: Thresholds | None = None) -> str:
    thresholds = thresholds or thresholds_in_force()
    members = list(members)
    combined = sum(m.construction_cost for m in members)
    return review_path(combined, any(m.special for m in members), thresholds)


def evades_review(members: Iterable[ProjectRecord], thresholds: Thresholds | None = None) -> bool:
    """True when the combined cost's path is stricter than the path of every member on its own."""
    thresholds = thresholds or thresholds_in_force()
    members = list(members)
    combined = STRICTNESS[group_path(members, thresholds)]
    return all(STRICTNESS[review_path(m.construction_cost, m.special, thresholds)] < combined for m in members)
