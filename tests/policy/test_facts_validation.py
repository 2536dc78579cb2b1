"""The input model: strict, and every error names its field in Chinese."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from tests.policy.builders import DROP, facts
from tongchou.policy import FactsError, assess_facts, parse_facts


def errors_of(**overrides):
    with pytest.raises(FactsError) as caught:
        assess_facts(facts(**overrides))
    errors = caught.value.errors
    for error in errors:
        assert set(error) == {"field", "message"}
        assert error["message"]
    return {e["field"]: e["message"] for e in errors}


@pytest.mark.parametrize("field", ["name", "unit", "application_date", "project_type", "construction_cost"])
def test_required_fields(field):
    errors = errors_of(**{field: DROP})
    assert field in errors and "缺少必填字段" in errors[field] and field in errors[field]


@pytest.mark.parametrize("value", ["", "   ", None, 3, ["x"]])
@pytest.mark.parametrize("field", ["name", "unit"])
def test_name_and_unit_are_non_empty_strings(field, value):
    assert field in errors_of(**{field: value})


@pytest.mark.parametrize(
    "value",
    ["2025-02-30", "2025-13-01", "2025-00-10", "2025-02-29", "2025-4-8", "20250408", "2025/04/08", "2025-04-08T00:00:00",
     "", None, 20250408, True, "２０２５-０４-０８"],
)
def test_impossible_or_malformed_dates_are_errors(value):
    errors = errors_of(application_date=value)
    assert "application_date" in errors


@pytest.mark.parametrize("field", ["approval_date", "procurement_start_date", "work_start_date"])
@pytest.mark.parametrize("value", ["2023-02-29", "2025-06-31", "yesterday", 1, False])
def test_optional_dates_are_checked_too(field, value):
    assert field in errors_of(**{field: value})


@pytest.mark.parametrize("field", ["approval_date", "procurement_start_date", "work_start_date"])
def test_optional_dates_may_be_null(field):
    assert assess_facts(facts(**{field: None}))


def test_leap_day_is_a_real_date():
    assert assess_facts(facts(approval_date="2024-02-29", application_date="2025-01-20"))


def test_as_of_must_be_a_date_when_given():
    assert "as_of" in errors_of(as_of=None)
    assert "as_of" in errors_of(as_of="2025-09-31")


@pytest.mark.parametrize(
    "field",
    ["classified", "emergency", "builds_standalone_infrastructure", "buys_server_hardware", "leases_internet_line",
     "leases_unintegrated_private_network", "key_components_compliant", "crypto_compliant", "major_security_risk",
     "obsolete_technology", "goals_clear", "internal_integration_done", "data_sharing_done",
     "duplicate_data_collection", "provides_data_interface", "involves_work_secrets", "accepted",
     "requests_om_funding"],
)
@pytest.mark.parametrize("value", [0, 1, "true", "false", None, [], 1.0])
def test_booleans_must_be_json_booleans(field, value):
    errors = errors_of(**{field: value})
    assert field in errors and "布尔" in errors[field]


@pytest.mark.parametrize("value", [0, 1, "yes"])
def test_original_project_accepted_is_bool_or_null(value):
    assert "original_project_accepted" in errors_of(original_project_accepted=value)
    assert assess_facts(facts(original_project_accepted=None))


@pytest.mark.parametrize("value", [-1, Decimal("-0.01"), -0.5, True, False, "100", None, float("nan"), float("inf"),
                                   Decimal("NaN"), Decimal("Infinity"), [1], 10**15 + 1, Decimal("1e999999999"),
                                   1e300])
def test_construction_cost_is_a_non_negative_number(value):
    errors = errors_of(construction_cost=value)
    assert "construction_cost" in errors


@pytest.mark.parametrize("value", [0, 0.0, Decimal("0"), 1, 12.5, Decimal("12345678.90"), 10**15, Decimal("1e-30")])
def test_construction_cost_accepts_numbers(value):
    assert assess_facts(facts(construction_cost=value))


@pytest.mark.parametrize("value", [-1, -0.01, True, "5000"])
def test_annual_om_cost_is_money_or_null(value):
    assert "annual_om_cost" in errors_of(annual_om_cost=value)
    assert assess_facts(facts(annual_om_cost=None))
    assert assess_facts(facts(annual_om_cost=0))


@pytest.mark.parametrize("field", ["construction_period_months", "free_om_months", "contract_term_months"])
@pytest.mark.parametrize("value", [-1, 12.5, 12.0, Decimal("12"), "12", True])
def test_months_are_non_negative_integers(field, value):
    assert field in errors_of(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [("level", "city"), ("level", "Prefecture"), ("level", None), ("funding_source", "bank_loan"),
     ("project_type", "upgrade"), ("project_type", None), ("category", "software"), ("deployment", "cloud"),
     ("deployment", None), ("level", 1)],
)
def test_enum_values_outside_the_contract_are_errors(field, value):
    errors = errors_of(**{field: value})
    assert field in errors and "之一" in errors[field]


def test_unknown_fields_are_errors():
    errors = errors_of(construction_costs=900000, Name="x")
    assert "未知字段" in errors["construction_costs"]
    assert "Name" in errors


@pytest.mark.parametrize(
    ("value", "field"),
    [(["basic_info", "tech_plan"], "materials[1]"), ("basic_info", "materials"), ([1], "materials[0]"),
     (None, "materials"), ([None], "materials[0]")],
)
def test_materials_are_a_list_of_known_names(value, field):
    assert field in errors_of(materials=value)


@pytest.mark.parametrize(
    ("value", "field"),
    [(["mandated", "urgent"], "priority_basis[1]"), ("mandated", "priority_basis"), ([True], "priority_basis[0]")],
)
def test_priority_basis_is_a_list_of_known_bases(value, field):
    assert field in errors_of(priority_basis=value)


@pytest.mark.parametrize(
    ("value", "field"),
    [
        ("国家规定", "exception"),
        (True, "exception"),
        ([], "exception"),
        ({"legal_basis": "x", "superior_consent": True, "note": "y"}, "exception.note"),
        ({"legal_basis": 1, "superior_consent": True}, "exception.legal_basis"),
        ({"legal_basis": "x", "superior_consent": "yes"}, "exception.superior_consent"),
        ({"legal_basis": "x", "superior_consent": 1}, "exception.superior_consent"),
    ],
)
def test_exception_shape(value, field):
    assert field in errors_of(exception=value, buys_server_hardware=True)


@pytest.mark.parametrize("value", [1, True, ["x"]])
def test_special_network_basis_is_a_string_or_null(value):
    assert "special_network_basis" in errors_of(special_network_basis=value)


def test_all_errors_are_reported_together():
    errors = errors_of(name="", construction_cost=-5, classified=1, application_date="2025-02-30", typo=True)
    assert set(errors) == {"name", "construction_cost", "classified", "application_date", "typo"}


@pytest.mark.parametrize("value", [None, [], "x", 3])
def test_the_facts_must_be_an_object(value):
    with pytest.raises(FactsError) as caught:
        assess_facts(value)
    assert "JSON 对象" in caught.value.errors[0]["message"]


def test_python_callers_may_pass_dates_and_decimals():
    parsed = parse_facts(facts(application_date=date(2025, 6, 1), construction_cost=Decimal("800000.50")))
    assert parsed.application_date == date(2025, 6, 1)
    assert parsed.construction_cost == Decimal("800000.50")


def test_datetimes_are_not_dates():
    assert "application_date" in errors_of(application_date=datetime(2025, 6, 1, 8, 0))


def test_unknown_forced_ruleset_is_an_error_naming_the_field():
    with pytest.raises(FactsError) as caught:
        assess_facts(facts(), ruleset_id="no-such-set")
    assert caught.value.errors[0]["field"] == "ruleset"
    assert "no-such-set" in caught.value.errors[0]["message"]


def test_defaults():
    parsed = parse_facts(facts())
    assert parsed.level == "prefecture" and parsed.funding_source == "prefecture_fiscal"
    assert parsed.category == "development" and parsed.deployment == "gov_cloud"
    assert parsed.as_of == parsed.application_date
    assert parsed.key_components_compliant is True and parsed.crypto_compliant is True
    assert parsed.goals_clear is parsed.internal_integration_done is parsed.data_sharing_done is True
    assert parsed.provides_data_interface is True
    assert parsed.classified is parsed.emergency is parsed.accepted is parsed.requests_om_funding is False
    assert parsed.original_project_accepted is None and parsed.exception is None
