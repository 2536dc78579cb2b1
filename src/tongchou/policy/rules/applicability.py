"""Whether and how the Measures apply (Art. 2, 19, 34, 36, 38)."""

from __future__ import annotations

from tongchou.policy.assessment import INFO, WARN, Assessment, Finding
from tongchou.policy.facts import Facts
from tongchou.policy.ruleset import RuleSet
from tongchou.policy.vocabulary import FUNDING_NAMES

ART2 = "第二条"
ART19 = "第十九条"
ART34 = "第三十四条"
ART36 = "第三十六条"


def trial_period(facts: Facts, ruleset: RuleSet, result: Assessment, *, forced: bool = False) -> None:
    """ART38-OUTSIDE-TRIAL: the application date lies outside every registered rule set's validity."""
    if result.in_force:
        return
    until = ruleset.valid_until_iso or "长期"
    result.findings.append(
        Finding(
            "ART38-OUTSIDE-TRIAL",
            WARN,
            ruleset.validity_article,
            f"申报日期 {facts.application_date.isoformat()} 不在规则集 {ruleset.id}"
            f"（{ruleset.valid_from_iso} 至 {until}）的有效期内（{ruleset.validity_article}"
            f"{'：' + ruleset.validity_note.rstrip('。') if ruleset.validity_note else ''}）"
            + ("；本评估按指定的规则集作出（假设分析），仅供参考。" if forced else
               f"，且没有登记覆盖该日的后续规则集；本评估仍按 {ruleset.id} 作出，仅供参考，请确认现行规定。"),
            {
                "application_date": facts.application_date.isoformat(),
                "ruleset": ruleset.id,
                "valid_from": ruleset.valid_from_iso,
                "valid_until": ruleset.valid_until_iso,
            },
        )
    )


def emergency(facts: Facts, result: Assessment) -> None:
    """ART34-EMERGENCY: an emergency project is outside the Measures altogether."""
    result.applicability = "excluded"
    result.review_path = "not_applicable"
    result.reviewers = ()
    result.expert_review = False
    result.support = "not_applicable"
    message = (
        "项目为因严重自然灾害或其他不可抗力实施的紧急项目（emergency: true），"
        f"依{ART34}不适用本办法：无需联合会审、专家评审和申报材料，也不作支持与运维经费认定。"
    )
    result.findings.append(Finding("ART34-EMERGENCY", INFO, ART34, message, {"emergency": True}))
    result.articles["applicability"] = ART34


_AUTHORITY_ARTICLE = {"county": f"{ART19}、{ART36}", "park": ART36, "prefecture": "第十四条"}


def applicability(facts: Facts, result: Assessment) -> None:
    """Binding for prefecture-funded, non-classified prefecture and park projects; otherwise reference."""
    reference = False
    if facts.funding_source != "prefecture_fiscal" or facts.classified:
        reasons = []
        if facts.funding_source != "prefecture_fiscal":
            reasons.append(f"资金来源为{FUNDING_NAMES[facts.funding_source]}（funding_source: {facts.funding_source}），非州本级财政资金")
        if facts.classified:
            reasons.append("项目为涉密项目（classified: true），另须按自治区保密管理工程规程做好保密管理")
        result.findings.append(
            Finding(
                "ART2-REFERENCE",
                INFO,
                ART2,
                f"{'；'.join(reasons)}：依{ART2}，本项目参照本办法管理，以下评估全部照常作出。",
                {"funding_source": facts.funding_source, "classified": facts.classified},
            )
        )
        reference = True
    if facts.level == "county":
        result.findings.append(
            Finding(
                "ART36-COUNTY",
                INFO,
                ART36,
                f"县市项目（level: county）由县市数字化发展局统筹负责，依{ART36}可参照本办法执行，"
                f"并依{ART19}按属地原则立项审批和拨付资金；以下评估全部照常作出。",
                {"level": facts.level},
            )
        )
        reference = True
    result.applicability = "reference" if reference else "binding"
    if reference and facts.level == "county":
        both = facts.classified or facts.funding_source != "prefecture_fiscal"
        result.articles["applicability"] = f"{ART2}、{ART36}" if both else ART36
    else:
        result.articles["applicability"] = ART2


def authority(facts: Facts, result: Assessment) -> None:
    result.authority = "county_bureau" if facts.level == "county" else "prefecture_bureau"
    result.articles["authority"] = _AUTHORITY_ARTICLE[facts.level]
