"""The review path by project money and kind (Art. 16, 17)."""

from __future__ import annotations

from tongchou.policy.assessment import INFO, Assessment, Finding, Ground
from tongchou.policy.facts import Facts
from tongchou.policy.rules.wording import yuan
from tongchou.policy.ruleset import RuleSet
from tongchou.policy.vocabulary import CATEGORY_NAMES, REVIEWER_NAMES

ART16 = "第十六条"
ART17 = "第十七条"


def _names(reviewers: tuple[str, ...]) -> str:
    return "、".join(REVIEWER_NAMES[r] for r in reviewers)


def review_path(facts: Facts, ruleset: RuleSet, result: Assessment) -> None:
    p = ruleset.parameters
    cost = facts.construction_cost
    lower = p.joint_review_threshold
    upper = p.security_review_ceiling
    special = facts.classified or facts.category in p.special_categories
    if special:
        kinds = []
        if facts.category in p.special_categories:
            kinds.append(CATEGORY_NAMES[facts.category])
        if facts.classified:
            kinds.append("涉密类")
        kind_text = "、".join(kinds) + "项目"
    else:
        kind_text = "非设备采购类、非涉密类、非等保密评类项目"
    if cost < lower:
        if special:
            result.review_path = "security_review"
            result.reviewers = p.small_special_reviewers
            why = (
                f"项目资金 {yuan(cost)} 低于 {yuan(lower)}，且为{kind_text}：依{ART16}，"
                f"由{_names(p.small_special_reviewers)}根据职责审核后，建设单位自行组织实施。"
            )
        else:
            result.review_path = "self_procurement"
            result.reviewers = ()
            why = (
                f"项目资金 {yuan(cost)} 低于 {yuan(lower)}，为{kind_text}：依{ART16}，"
                "由建设单位按政府采购法及其实施条例自行组织实施，不得拆分项目回避联合会审。"
            )
        article = ART16
    elif cost <= upper and special:
        result.review_path = "security_review"
        result.reviewers = p.mid_special_reviewers
        why = (
            f"项目资金 {yuan(cost)} 在 {yuan(lower)}（含）至 {yuan(upper)}（含）之间，且为{kind_text}：依{ART17}，"
            f"由{_names(p.mid_special_reviewers)}根据职责审核出具意见后组织实施，不再进行联合会审。"
        )
        article = ART17
    else:
        result.review_path = "joint_review"
        result.reviewers = p.joint_reviewers
        if cost > upper:
            over = f"超过 {yuan(upper)}（不论项目类别）"
        else:
            over = f"在 {yuan(lower)}（含）至 {yuan(upper)}（含）之间，为{kind_text}"
        why = (
            f"项目资金 {yuan(cost)} {over}：依{ART17}须联合会审，"
            f"由{_names(p.joint_reviewers)}提出意见、州数字化发展局综合出具审查意见，并抽取专家评审。"
        )
        article = ART17
    result.expert_review = result.review_path == "joint_review"
    result.grounds["review_path"] = Ground(article, why)

    if cost == lower or cost == upper:
        if cost == lower:
            text = (
                f"项目资金（不含运维费用）恰为 {yuan(cost)}。{ART16}写“50万元及以下”，{ART17}写“50万元及以上……50万元（含）”，"
                f"两条在此重叠。【解释】以{ART17}明示的“（含）”为准，{yuan(cost)} 归入{ART17}"
                f"（本项目审查路径：{result.review_path}）。"
            )
        else:
            text = (
                f"项目资金（不含运维费用）恰为 {yuan(cost)}。【解释】{ART17}“50万元（含）至200万元”读作包含 {yuan(cost)}，"
                f"故设备采购类、涉密类、等保密评类项目在此金额仍走审核而不联合会审，其他项目联合会审"
                f"（本项目审查路径：{result.review_path}）。"
            )
        result.findings.append(
            Finding(
                "ART17-BOUNDARY",
                INFO,
                f"{ART16}、{ART17}",
                text,
                {
                    "construction_cost": cost,
                    "joint_review_threshold": lower,
                    "security_review_ceiling": upper,
                    "special": special,
                    "interpretation": True,
                },
            )
        )
