"""The Measures as code: a pure policy engine (no Django, no clock, no I/O at assessment time).

Public interface::

    from tongchou.policy import assess_facts, FactsError
    assessment = assess_facts(facts_dict)            # the contract's JSON output, plus "receipt"
    assessment = assess_facts(facts_dict, ruleset_id="changji-2025-trial")   # what-if

Lower level: `parse_facts`, `assess(facts, registry)`, `Registry`, `default_registry`, `load_ruleset`.
`reload_default_registry()` re-reads TONGCHOU_RULESETS_DIR and its folders (the default registry reads
them once).
"""

from tongchou.policy.assessment import ENGINE_VERSION, Assessment, Finding, Obligation
from tongchou.policy.engine import assess, assess_facts
from tongchou.policy.facts import Facts, FactsError, parse_facts
from tongchou.policy.registry import Registry, UnknownRuleset, default_registry, reload_default_registry
from tongchou.policy.ruleset import RuleSet, RulesetError, load_ruleset

__all__ = [
    "ENGINE_VERSION",
    "Assessment",
    "Facts",
    "FactsError",
    "Finding",
    "Obligation",
    "Registry",
    "RuleSet",
    "RulesetError",
    "UnknownRuleset",
    "assess",
    "assess_facts",
    "default_registry",
    "load_ruleset",
    "parse_facts",
    "reload_default_registry",
]
