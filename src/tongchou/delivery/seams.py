"""What delivery takes from the policy engine, one function each, so no rule of Art. 23, 29 or 30 is
written twice (ADR 0080): the contract thresholds from the rule set in force, the O&M judgement from
`assess_facts`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tongchou.policy import FactsError, assess_facts, default_registry


@dataclass(frozen=True)
class ContractThresholds:
    max_construction_period: int  # months, Art. 23 (development: block above)
    min_free_om_period: int  # months, Art. 23 (development: warn below, "原则上")
    min_hardware_term: int  # months, Art. 23 (equipment: block below)
    om_cost_cap_ratio: Decimal  # Art. 29
    source: str  # rule set id and the start of its hash


def contract_thresholds(on: date) -> ContractThresholds:
    """Art. 23 / 29 parameters of the rule set that covers `on` (the latest one when none does)."""
    ruleset, _in_force = default_registry().select(on)
    p = ruleset.parameters
    return ContractThresholds(
        int(p.max_construction_period), int(p.min_free_om_period), int(p.min_hardware_term),
        Decimal(str(p.om_cost_cap_ratio)), f"{ruleset.id}:{ruleset.sha256[:12]}",
    )


def assess(facts: dict[str, Any]) -> dict[str, Any]:
    """The policy engine's judgement (Art. 24/29/30 eligibility among the rest). Raises FactsError."""
    return assess_facts(facts)


__all__ = ["ContractThresholds", "FactsError", "accepted_draw_members", "assess", "contract_thresholds", "drawn_expert"]


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


def accepted_draw_members(project: Any) -> list[Any]:
    """The experts drawn for this project who accepted: the choices for the committee's expert seat
    (`drawn_expert` still decides whether the one chosen qualifies)."""
    from tongchou.experts.models import DrawMember, DrawStatus, ExpertStatus, MemberStatus

    return list(DrawMember.objects.select_related("expert").filter(
        draw__project=project, status=MemberStatus.ACCEPTED, expert__status=ExpertStatus.ACTIVE,
    ).exclude(draw__status=DrawStatus.CANCELLED).order_by("pk"))
