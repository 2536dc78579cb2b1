"""The review path by project money and kind (Art. 16, 17)."""

from __future__ import annotations

from tongchou.policy.assessment import INFO, Assessment, Finding, json_money
from tongchou.policy.facts import Facts
from tongchou.policy.rules.wording import yuan
from tongchou.policy.ruleset import RuleSet
from tongchou.policy.vocabulary import REVIEW_PATH_NAMES

ART16 = "第十六条"
ART17 = "第十七条"
BOUNDARY_ARTICLE = f"{ART16}、{ART17}"


def is_special(facts: Facts, ruleset: RuleSet) -> bool:
    """设备采购类、涉密类、等保密评类 (the kinds Art. 16 and 17 route to security review)."""
    return facts.classified or facts.category in ruleset.parameters.special_categories


def review_path(facts: Facts, ruleset: RuleSet, result: Assessment) -> None:
    p = ruleset.parameters
    cost = facts.construction_cost
    lower = p.joint_review_threshold
    upper = p.security_review_ceiling
    special = facts.classified or facts.category in p.special_categories
    if cost < lower:
        if special:
            result.review_path = "security_review"
            result.reviewers = p.small_special_reviewers
        else:
            result.review_path = "self_procurement"
            result.reviewers = ()
        result.articles["review_path"] = ART16
    elif special and cost <= upper:
        result.review_path = "security_review"
        result.reviewers = p.mid_special_reviewers
        result.articles["review_path"] = ART17
    else:
        result.review_path = "joint_review"
        result.reviewers = p.joint_reviewers
        result.articles["review_path"] = ART17
    result.expert_review = result.review_path == "joint_review"

    if cost == lower or cost == upper:
        amount = yuan(cost)
        path = f"{REVIEW_PATH_NAMES[result.review_path]}（review_path: {result.review_path}）"
        if cost == lower:
            text = (
                f"项目资金（construction_cost，不含运维费用）恰为 {amount}。{ART16}写“50万元及以下”，"
                f"{ART17}写“50万元及以上……50万元（含）”，两条在此重叠。【解释】以{ART17}明示的“（含）”为准，"
                f"{amount} 归入{ART17}（本项目审查路径：{path}）。"
            )
        else:
            text = (
                f"项目资金（construction_cost，不含运维费用）恰为 {amount}。【解释】{ART17}“50万元（含）至200万元”"
                f"读作包含 {amount}，故设备采购类、涉密类、等保密评类项目在此金额仍由成员单位审核、不联合会审，"
                f"其他项目联合会审（{ART16}、{ART17}按金额分流；本项目审查路径：{path}）。"
            )
        result.findings.append(
            Finding(
                "ART17-BOUNDARY",
                INFO,
                BOUNDARY_ARTICLE,
                text,
                {
                    "construction_cost": json_money(cost),
                    "joint_review_threshold": json_money(lower),
                    "security_review_ceiling": json_money(upper),
                    "special": special,
                    "review_path": result.review_path,
                    "interpretation": True,
                },
            )
        )
