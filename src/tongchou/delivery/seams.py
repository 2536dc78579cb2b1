"""Everything delivery needs from the policy engine and the project register, one function each, so that
no rule of Art. 23, 29 or 30 is written twice (ADR 0080). While a colleague's module is not on main the
function falls back to the documented value and says so in `source`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ContractThresholds:
    max_construction_period: int  # months, Art. 23 (development: block above)
    min_free_om_period: int  # months, Art. 23 (development: warn below, "原则上")
    min_hardware_term: int  # months, Art. 23 (equipment: block below)
    om_cost_cap_ratio: Decimal  # Art. 29
    source: str


# The values of changji-2025-trial.yaml, used only while the rule-set registry is not importable.
_FALLBACK = ContractThresholds(36, 12, 60, Decimal("0.10"), "builtin:changji-2025-trial")


def contract_thresholds(on: date) -> ContractThresholds:
    """Art. 23 / 29 parameters from the rule set in force on `on` (the policy engine's registry)."""
    try:
        from tongchou.policy.registry import default_registry
    except ImportError:
        return _FALLBACK
    ruleset, _in_force = default_registry().select(on)
    p = ruleset.parameters
    return ContractThresholds(
        int(p.max_construction_period), int(p.min_free_om_period), int(p.min_hardware_term),
        Decimal(str(p.om_cost_cap_ratio)), f"{ruleset.id}:{ruleset.sha256[:12]}",
    )


class PolicyEngineUnavailable(Exception):
    pass


def assess(facts: dict[str, Any]) -> dict[str, Any]:
    """The policy engine's `assess_facts` (the only judge of Art. 24/29/30 eligibility)."""
    try:
        from tongchou.policy import assess_facts
    except ImportError as exc:  # the engine is a colleague's branch until it lands on main
        raise PolicyEngineUnavailable(str(exc)) from exc
    return assess_facts(facts)


def facts_error_type() -> type[Exception] | None:
    try:
        from tongchou.policy import FactsError
    except ImportError:
        return None
    return FactsError


def register_facts(project: Any) -> dict[str, Any] | None:
    """The register's facts for the project (`tongchou.projects.facts.project_facts`), None before it lands."""
    try:
        from tongchou.projects.facts import project_facts
    except ImportError:
        return None
    return project_facts(project)


def project_attr(project: Any, name: str, default: Any = None) -> Any:
    """A register fact stored on Project (category, project_type, construction_cost, …) when present."""
    return getattr(project, name, default)


def drawn_expert(project: Any, draw_member_id: int | None) -> Any:
    """The expert pool's member drawn for this project who accepted the invitation, else None."""
    from tongchou.experts.models import DrawMember, DrawStatus, ExpertStatus, MemberStatus

    if not draw_member_id:
        return None
    member = DrawMember.objects.select_related("draw", "expert").filter(pk=draw_member_id).first()
    if (member is None or member.draw.project_id != project.pk or member.status != MemberStatus.ACCEPTED
            or member.draw.status == DrawStatus.CANCELLED or member.expert.status != ExpertStatus.ACTIVE):
        return None
    return member
