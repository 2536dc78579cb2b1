"""Project facts for the rule tests: a complete, supportable new project unless told otherwise."""

from __future__ import annotations

from typing import Any

from tongchou.policy import assess_facts

CONSTRUCTION_MATERIALS = [
    "basic_info",
    "feasibility_study",
    "technical_plan",
    "intensive_construction_analysis",
    "data_sharing_analysis",
    "security_protection",
    "crypto_application",
    "key_component_selection",
]
ALL_FIVE = {"digital_bureau", "crypto_bureau", "public_security", "development_reform", "finance"}


def facts(**overrides: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "name": "州示范系统",
        "unit": "州教育局",
        "application_date": "2025-06-01",
        "project_type": "new",
        "construction_cost": 800000,
        "materials": list(CONSTRUCTION_MATERIALS),
    }
    base.update(overrides)
    return {k: v for k, v in base.items() if v is not _DROP}


class _Drop:
    def __repr__(self) -> str:
        return "DROP"


_DROP = _Drop()
DROP: Any = _DROP


def assess(**overrides: Any) -> dict[str, Any]:
    return assess_facts(facts(**overrides))


def codes(result: dict[str, Any]) -> dict[str, str]:
    """code → severity of every finding."""
    return {f["code"]: f["severity"] for f in result["findings"]}


def finding(result: dict[str, Any], code: str) -> dict[str, Any]:
    matches = [f for f in result["findings"] if f["code"] == code]
    assert len(matches) == 1, (code, result["findings"])
    return matches[0]


def obligations(result: dict[str, Any]) -> dict[str, Any]:
    return {o["code"]: o["due"] for o in result["obligations"]}
