"""Application materials (Art. 10)."""

from __future__ import annotations

from tongchou.policy.assessment import BLOCK, Assessment, Finding, Ground
from tongchou.policy.facts import Facts
from tongchou.policy.ruleset import RuleSet
from tongchou.policy.vocabulary import MATERIAL_NAMES, PROJECT_TYPE_NAMES

ART10 = "第十条"


def required_materials(facts: Facts, ruleset: RuleSet) -> tuple[str, ...]:
    p = ruleset.parameters
    required = p.required_materials_always
    if facts.project_type in p.construction_project_types:
        required = required + p.required_materials_construction
        if facts.involves_work_secrets:
            required = required + p.required_materials_work_secrets
    elif facts.project_type == "operations":
        required = required + p.required_materials_operations
    return required


def materials(facts: Facts, ruleset: RuleSet, result: Assessment) -> None:
    submitted = facts.materials
    missing = [m for m in dict.fromkeys(required_materials(facts, ruleset)) if m not in submitted]
    result.missing_materials = missing
    kind = PROJECT_TYPE_NAMES[facts.project_type]
    if not missing:
        result.grounds["complete"] = Ground(ART10, f"{kind}项目依{ART10}应提交的申报材料齐全。")
        return
    listed = "、".join(f"{MATERIAL_NAMES[m]}（{m}）" for m in missing)
    message = f"{kind}项目（project_type: {facts.project_type}）依{ART10}应提交的申报材料缺少：{listed}。请补齐后再申报。"
    result.findings.append(
        Finding("ART10-MATERIALS", BLOCK, ART10, message,
                {"project_type": facts.project_type, "involves_work_secrets": facts.involves_work_secrets,
                 "missing_materials": list(missing)})
    )
    result.grounds["complete"] = Ground(ART10, message)
