"""Properties that hold for every project, whatever the facts."""

from __future__ import annotations

import copy
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from tongchou.policy import FactsError, assess_facts
from tongchou.policy import vocabulary as V
from tongchou.policy.facts import FIELDS

STRICTNESS = {"self_procurement": 0, "security_review": 1, "joint_review": 2}

days = st.integers(min_value=0, max_value=4 * 366).map(lambda n: (date(2024, 1, 1) + timedelta(days=n)).isoformat())
money = st.one_of(st.integers(min_value=0, max_value=5_000_000), st.sampled_from([499999, 500000, 2000000, 2000001]))
optional_days = st.one_of(st.none(), days)
months = st.one_of(st.none(), st.integers(min_value=0, max_value=80))

project = st.fixed_dictionaries(
    {
        "name": st.just("系统"),
        "unit": st.just("州某局"),
        "application_date": days,
        "project_type": st.sampled_from(V.PROJECT_TYPES),
        "construction_cost": money,
    },
    optional={
        "level": st.sampled_from(V.LEVELS),
        "as_of": days,
        "funding_source": st.sampled_from(V.FUNDING_SOURCES),
        "classified": st.booleans(),
        "emergency": st.booleans(),
        "category": st.sampled_from(V.CATEGORIES),
        "annual_om_cost": st.one_of(st.none(), money),
        "deployment": st.sampled_from(V.DEPLOYMENTS),
        "special_network_basis": st.one_of(st.none(), st.just(""), st.just("国家规定")),
        "builds_standalone_infrastructure": st.booleans(),
        "buys_server_hardware": st.booleans(),
        "leases_internet_line": st.booleans(),
        "leases_unintegrated_private_network": st.booleans(),
        "key_components_compliant": st.booleans(),
        "crypto_compliant": st.booleans(),
        "major_security_risk": st.booleans(),
        "obsolete_technology": st.booleans(),
        "goals_clear": st.booleans(),
        "internal_integration_done": st.booleans(),
        "data_sharing_done": st.booleans(),
        "duplicate_data_collection": st.booleans(),
        "original_project_accepted": st.one_of(st.none(), st.booleans()),
        "exception": st.one_of(
            st.none(),
            st.fixed_dictionaries({}, optional={"legal_basis": st.sampled_from(["", "依据"]),
                                                "superior_consent": st.booleans()}),
        ),
        "provides_data_interface": st.booleans(),
        "involves_work_secrets": st.booleans(),
        "priority_basis": st.lists(st.sampled_from(V.PRIORITY_BASES), max_size=3),
        "materials": st.lists(st.sampled_from(V.MATERIALS), max_size=10),
        "approval_date": optional_days,
        "procurement_start_date": optional_days,
        "work_start_date": optional_days,
        "construction_period_months": months,
        "free_om_months": months,
        "contract_term_months": months,
        "accepted": st.booleans(),
        "requests_om_funding": st.booleans(),
    },
)


@settings(max_examples=300, deadline=None)
@given(project, st.integers(min_value=1, max_value=3_000_000))
def test_raising_the_cost_never_makes_the_review_path_less_strict(facts, increase):
    lower = assess_facts(facts)
    higher = assess_facts({**facts, "construction_cost": facts["construction_cost"] + increase})
    if lower["applicability"] == "excluded":
        assert higher["review_path"] == "not_applicable"
        return
    assert STRICTNESS[higher["review_path"]] >= STRICTNESS[lower["review_path"]]
    assert higher["expert_review"] >= lower["expert_review"]


@settings(max_examples=300, deadline=None)
@given(project)
def test_emergency_always_excludes(facts):
    result = assess_facts({**facts, "emergency": True})
    assert result["applicability"] == "excluded"
    assert result["review_path"] == "not_applicable" and result["reviewers"] == []
    assert result["expert_review"] is False and result["support"] == "not_applicable"
    assert result["complete"] is True and result["missing_materials"] == []
    assert {f["code"] for f in result["findings"]} <= {"ART34-EMERGENCY", "ART38-OUTSIDE-TRIAL"}
    assert "ART34-EMERGENCY" in {f["code"] for f in result["findings"]}


@settings(max_examples=300, deadline=None)
@given(project)
def test_the_same_facts_always_give_the_same_assessment(facts):
    snapshot = copy.deepcopy(facts)
    first = assess_facts(facts)
    assert facts == snapshot  # the input is not changed
    assert assess_facts(copy.deepcopy(facts)) == first


@settings(max_examples=300, deadline=None)
@given(project)
def test_every_finding_and_obligation_names_an_article(facts):
    result = assess_facts(facts)
    for item in result["findings"] + result["obligations"]:
        assert item["article"].startswith("第") and "条" in item["article"]
        assert item["code"] and item["message"]
        for part in item["article"].split("、"):
            assert part in item["message"], (item["code"], part)
    for finding in result["findings"]:
        assert finding["severity"] in {"info", "warn", "block"}
    blocks_12 = [f for f in result["findings"] if f["code"].startswith("ART12-") and f["severity"] == "block"]
    if result["applicability"] != "excluded":
        assert (result["support"] in {"not_supported", "conditional"}) == bool(blocks_12)
        assert result["complete"] == (not result["missing_materials"])
        if result["om_funding"] is not None:
            assert result["om_funding"]["eligible"] == (not result["om_funding"]["reasons"])


json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-10**16, max_value=10**16),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=12),
    st.sampled_from(["2025-02-29", "2024-02-29", "2025-13-01", "2025-06-01", "new", "county", "equipment",
                     "self_hosted", "basic_info", ""]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=8,
)
FIELD_NAMES = sorted(FIELDS) + ["typo", "exception"]


@settings(max_examples=500, deadline=None)
@given(st.dictionaries(st.sampled_from(FIELD_NAMES), json_values, max_size=14), project)
def test_any_json_either_assesses_or_names_its_bad_fields(noise, base):
    """Whatever arrives, the engine answers with an assessment or a FactsError naming fields — never a crash."""
    facts = {**base, **noise}
    try:
        result = assess_facts(facts)
    except FactsError as exc:
        errors = exc.errors
    else:
        assert result["review_path"] in {"self_procurement", "security_review", "joint_review", "not_applicable"}
        return
    assert errors
    for error in errors:
        assert error["field"] and error["message"]
        assert error["field"].split("[")[0].split(".")[0] in facts or error["field"] in FIELDS
