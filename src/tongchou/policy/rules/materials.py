"""Application materials (Art. 10)."""

from __future__ import annotations

from tongchou.policy.assessment import BLOCK, Assessment, Finding
from tongchou.policy.facts import Facts
from tongchou.policy.ruleset import RuleSet
from tongchou.policy.vocabulary import MATERIAL_NAMES, PROJECT_TYPE_NAMES

ART10 = "第十条"


def required_materials(facts: Facts, ruleset: RuleSet) -> tuple[str, ...]:
    return ruleset.parameters.required_materials[(facts.project_type, facts.involves_work_secrets)]


def materials(facts: Facts, ruleset: RuleSet, result: Assessment) -> None:
    submitted = facts.materials
    required = required_materials(facts, ruleset)
    missing = [] if submitted.issuperset(required) else [m for m in required if m not in submitted]
    result.missing_materials = missing
    if not missing:
        result.articles["complete"] = ART10
        return
    kind = PROJECT_TYPE_NAMES[facts.project_type]
    listed = "、".join(f"{MATERIAL_NAMES[m]}（{m}）" for m in missing)
    message = f"{kind}项目（project_type: {facts.project_type}）依{ART10}应提交的申报材料缺少：{listed}。请补齐后再申报。"
    result.findings.append(
        Finding("ART10-MATERIALS", BLOCK, ART10, message,
                {"project_type": facts.project_type, "involves_work_secrets": facts.involves_work_secrets,
                 "missing_materials": list(missing)})
    )
    result.articles["complete"] = ART10
