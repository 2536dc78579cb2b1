"""The engine: facts + a rule set → an assessment. Pure: no clock, no I/O, no Django."""

from __future__ import annotations

from typing import Any

from tongchou.policy.assessment import Assessment
from tongchou.policy.facts import Facts, parse_facts
from tongchou.policy.registry import Registry, default_registry
from tongchou.policy.rules import (
    applicability,
    deadlines,
    implementation,
    materials,
    om_funding,
    review,
    support,
)
from tongchou.policy.ruleset import RuleSet


def choose_ruleset(facts: Facts, registry: Registry, ruleset_id: str | None = None) -> tuple[RuleSet, bool]:
    """The rule set for the application date (Art. 38), or the one forced by id (what-if)."""
    if ruleset_id is None:
        return registry.select(facts.application_date)
    ruleset = registry.get(ruleset_id)
    return ruleset, ruleset.covers(facts.application_date)


def assess(facts: Facts, registry: Registry, *, ruleset_id: str | None = None) -> Assessment:
    if ruleset_id is None:
        ruleset, in_force = registry.select(facts.application_date)  # choose_ruleset, inlined
    else:
        ruleset, in_force = choose_ruleset(facts, registry, ruleset_id)
    # positional (ruleset_id, ruleset_valid_from, ruleset_valid_until, ruleset_sha256, in_force): cheaper
    result = Assessment(ruleset.id, ruleset.valid_from_iso, ruleset.valid_until_iso, ruleset.sha256, in_force)
    if not in_force:  # trial_period does nothing for a rule set in force
        applicability.trial_period(facts, ruleset, result, forced=ruleset_id is not None)
    applicability.authority(facts, result)
    if facts.emergency:
        applicability.emergency(facts, result)
        return result
    applicability.applicability(facts, result)
    review.review_path(facts, ruleset, result)
    support.support(facts, ruleset, result)
    materials.materials(facts, ruleset, result)
    implementation.data_interface(facts, result)
    implementation.unapproved_start(facts, result)
    implementation.contract_periods(facts, ruleset, result)
    deadlines.procurement_window(facts, ruleset, result)
    deadlines.filing(facts, result)
    om_funding.om_cap(facts, ruleset, result)
    om_funding.om_funding(facts, ruleset, result)
    return result


def assess_facts(facts: dict[str, Any], *, ruleset_id: str | None = None) -> dict[str, Any]:
    """The contract in one call: a JSON object of project facts → the assessment as a JSON object.

    Raises FactsError (with `.errors`, each naming its field) for invalid facts or an unknown
    `ruleset_id`. Uses the default registry (built-in rule sets plus TONGCHOU_RULESETS_DIR).
    """
    parsed = parse_facts(facts)
    return assess(parsed, default_registry(), ruleset_id=ruleset_id).as_dict()
