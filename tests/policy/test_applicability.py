"""第二条、第十九条、第三十四条、第三十六条、第三十八条: whether and how the Measures apply."""

from __future__ import annotations

import pytest

from tests.policy.builders import DROP, assess, codes, finding

# (overrides) → (applicability, authority, info findings expected)
CASES = [
    ({}, "binding", "prefecture_bureau", set()),
    ({"level": "park"}, "binding", "prefecture_bureau", set()),
    ({"level": "prefecture", "funding_source": "prefecture_fiscal"}, "binding", "prefecture_bureau", set()),
    ({"funding_source": "superior_special"}, "reference", "prefecture_bureau", {"ART2-REFERENCE"}),
    ({"funding_source": "xinjiang_aid"}, "reference", "prefecture_bureau", {"ART2-REFERENCE"}),
    ({"funding_source": "self_raised"}, "reference", "prefecture_bureau", {"ART2-REFERENCE"}),
    ({"classified": True}, "reference", "prefecture_bureau", {"ART2-REFERENCE"}),
    ({"level": "county"}, "reference", "county_bureau", {"ART36-COUNTY"}),
    ({"level": "county", "funding_source": "self_raised"}, "reference", "county_bureau",
     {"ART2-REFERENCE", "ART36-COUNTY"}),
    ({"level": "park", "classified": True}, "reference", "prefecture_bureau", {"ART2-REFERENCE"}),
]


@pytest.mark.parametrize(("overrides", "applicability", "authority", "infos"), CASES)
def test_applicability_and_authority(overrides, applicability, authority, infos):
    result = assess(**overrides)
    assert result["applicability"] == applicability
    assert result["authority"] == authority
    found = codes(result)
    for code in ("ART2-REFERENCE", "ART36-COUNTY"):
        if code in infos:
            assert found[code] == "info"
        else:
            assert code not in found


def test_a_reference_project_is_assessed_in_full():
    result = assess(level="county", funding_source="self_raised", construction_cost=3000000,
                    deployment="self_hosted", materials=[])
    assert result["review_path"] == "joint_review"
    assert result["support"] == "not_supported"
    assert result["complete"] is False
    assert {"ART12-3", "ART10-MATERIALS"} <= set(codes(result))


def test_reference_messages_name_article_and_fact():
    message = finding(assess(funding_source="xinjiang_aid"), "ART2-REFERENCE")["message"]
    assert "第二条" in message and "xinjiang_aid" in message
    message = finding(assess(level="county"), "ART36-COUNTY")["message"]
    assert "第三十六条" in message and "county" in message


EMERGENCY_NOISE = {
    "construction_cost": 5000000,
    "deployment": "self_hosted",
    "buys_server_hardware": True,
    "materials": [],
    "approval_date": "2025-01-20",
    "work_start_date": "2025-01-01",
    "crypto_compliant": False,
    "requests_om_funding": True,
    "funding_source": "self_raised",
    "level": "county",
    "annual_om_cost": 4000000,
    "provides_data_interface": False,
    "category": "equipment",
    "contract_term_months": 12,
}


def test_an_emergency_project_is_excluded_whatever_else_is_true():
    result = assess(emergency=True, **EMERGENCY_NOISE)
    assert result["applicability"] == "excluded"
    assert result["review_path"] == "not_applicable"
    assert result["reviewers"] == []
    assert result["expert_review"] is False
    assert result["support"] == "not_applicable"
    assert result["complete"] is True
    assert result["missing_materials"] == []
    assert codes(result) == {"ART34-EMERGENCY": "info"}
    assert result["obligations"] == []
    assert result["om_funding"] is None
    assert "第三十四条" in result["findings"][0]["message"]
    assert result["ruleset"]["in_force"] is True


def test_an_emergency_project_outside_the_trial_also_gets_the_trial_warning():
    result = assess(emergency=True, application_date="2026-01-17", **EMERGENCY_NOISE)
    assert codes(result) == {"ART34-EMERGENCY": "info", "ART38-OUTSIDE-TRIAL": "warn"}
    assert result["ruleset"]["in_force"] is False


def test_emergency_false_is_the_default():
    assert assess(emergency=False)["applicability"] == assess(emergency=DROP)["applicability"] == "binding"


# 第三十八条: the trial runs 2025-01-17 to 2026-01-16, both days included.
@pytest.mark.parametrize(
    ("application_date", "in_force"),
    [
        ("2025-01-16", False),
        ("2025-01-17", True),
        ("2025-07-01", True),
        ("2026-01-16", True),
        ("2026-01-17", False),
        ("2024-02-29", False),
        ("2030-12-31", False),
    ],
)
def test_the_trial_year(application_date, in_force):
    result = assess(application_date=application_date)
    assert result["ruleset"] == {
        "id": "changji-2025-trial",
        "valid_from": "2025-01-17",
        "valid_until": "2026-01-16",
        "in_force": in_force,
    }
    if in_force:
        assert "ART38-OUTSIDE-TRIAL" not in codes(result)
    else:
        outside = finding(result, "ART38-OUTSIDE-TRIAL")
        assert outside["severity"] == "warn"
        assert outside["article"] == "第三十八条"
        assert application_date in outside["message"] and "第三十八条" in outside["message"]
        # the rule set is still applied in full
        assert result["review_path"] == "joint_review"


def test_as_of_does_not_choose_the_rule_set():
    assert assess(application_date="2025-06-01", as_of="2027-01-01")["ruleset"]["in_force"] is True


def test_every_assessment_carries_a_receipt():
    receipt = assess()["receipt"]
    assert receipt["ruleset_id"] == "changji-2025-trial"
    assert len(receipt["ruleset_sha256"]) == 64
    assert receipt["engine_version"]
