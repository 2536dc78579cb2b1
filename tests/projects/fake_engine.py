"""A stand-in for the policy engine while branch `policy` is not merged: a small subset of the
contract (review path, materials, Art. 12-1/12-3 and support) — enough to exercise the register.
Used only when `tongchou.policy` does not yet export `assess_facts`."""

from __future__ import annotations

from typing import Any

ALL_FIVE = ["digital_bureau", "crypto_bureau", "public_security", "development_reform", "finance"]
TECH = ["intensive_construction_analysis", "data_sharing_analysis", "security_protection", "crypto_application",
        "key_component_selection"]


class FakeFactsError(ValueError):
    def __init__(self, errors: list[dict[str, str]]) -> None:
        super().__init__(errors[0]["message"])
        self.errors = errors


def assess_facts(facts: dict[str, Any], *, ruleset_id: str | None = None) -> dict[str, Any]:
    if not facts.get("name"):
        raise FakeFactsError([{"field": "name", "message": "项目名称不能为空"}])
    x = facts["construction_cost"]
    special = facts.get("category") in ("equipment", "security_assessment") or facts.get("classified")
    if x < 500_000:
        path, reviewers = ("security_review", ["crypto_bureau", "public_security"]) if special else ("self_procurement", [])
    elif x <= 2_000_000 and special:
        path, reviewers = "security_review", ["crypto_bureau", "digital_bureau", "public_security"]
    else:
        path, reviewers = "joint_review", list(ALL_FIVE)
    findings = []
    required = ["basic_info", "feasibility_study"]
    if facts["project_type"] == "operations":
        required.append("om_plan")
    else:
        required += ["technical_plan", *TECH]
        if facts.get("involves_work_secrets"):
            required.append("information_protection")
    missing = [m for m in required if m not in facts.get("materials", [])]
    if missing:
        findings.append({"code": "ART10-MATERIALS", "severity": "block", "article": "第十条",
                         "message": "依据第十条，申报材料不齐全：" + "、".join(missing)})
    blocks = False
    if not facts.get("classified") and (facts.get("builds_standalone_infrastructure") or facts.get("buys_server_hardware")):
        findings.append({"code": "ART12-1", "severity": "block", "article": "第十二条第（一）项",
                         "message": "依据第十二条第（一）项，单独新建机房或新增采购服务器的项目原则上不予支持。"})
        blocks = True
    if (not facts.get("classified") and facts["project_type"] != "operations" and
            (facts.get("deployment") == "self_hosted" or
             (facts.get("deployment") == "special_network" and not facts.get("special_network_basis")))):
        findings.append({"code": "ART12-3", "severity": "block", "article": "第十二条第（三）项",
                         "message": "依据第十二条第（三）项，不在政务云部署的非涉密新建项目原则上不予支持。"})
        blocks = True
    support = "not_supported" if blocks else ("priority" if facts.get("priority_basis") else "normal")
    if facts.get("emergency"):
        path, reviewers, support, findings, missing = "not_applicable", [], "not_applicable", [], []
    return {
        "ruleset": {"id": "changji-2025-trial", "valid_from": "2025-01-17", "valid_until": "2026-01-16",
                    "in_force": True},
        "applicability": "binding", "authority": "county_bureau" if facts.get("level") == "county" else "prefecture_bureau",
        "review_path": path, "reviewers": reviewers, "expert_review": path == "joint_review",
        "support": support, "complete": not missing, "missing_materials": missing, "findings": findings,
        "obligations": [], "om_funding": None,
        "receipt": {"ruleset_id": "changji-2025-trial", "ruleset_hash": "f" * 64, "engine": "fake"},
    }
