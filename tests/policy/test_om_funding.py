"""第二十四条、第二十九条、第三十条: O&M money."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.policy.builders import assess, codes, finding

# 第二十九条: annual O&M generally not above 10 % of the construction cost
ART29 = [
    (1000000, 100000, False),
    (1000000, 100001, True),
    (1000000, Decimal("100000.01"), True),
    (1000000, 0, False),
    (1000000, None, False),
    (0, 100, False),  # no construction cost: no ratio to judge
    (Decimal("0.7"), Decimal("0.07"), False),
    (Decimal("0.7"), Decimal("0.0700001"), True),
    (3, Decimal("0.3"), False),
    (Decimal("123456789012.34"), Decimal("12345678901.234"), False),
    (Decimal("123456789012.34"), Decimal("12345678901.2341"), True),
    (Decimal("1e-30"), 10**15, True),
]


@pytest.mark.parametrize(("cost", "om", "warned"), ART29)
def test_article_29_om_cap(cost, om, warned):
    result = assess(construction_cost=cost, annual_om_cost=om)
    if warned:
        found = finding(result, "ART29-OM-CAP")
        assert found["severity"] == "warn" and found["article"] == "第二十九条"
        assert "10%" in found["message"]
    else:
        assert "ART29-OM-CAP" not in codes(result)


def test_python_floats_are_read_as_their_decimal_value():
    assert "ART29-OM-CAP" not in codes(assess(construction_cost=0.7, annual_om_cost=0.07))


def test_no_request_no_om_funding():
    assert assess()["om_funding"] is None
    assert assess(requests_om_funding=False, accepted=False)["om_funding"] is None


# (overrides) → reasons
ART30 = [
    ({"accepted": True}, set()),
    ({"accepted": False}, {"ART24-NOT-ACCEPTED"}),
    ({}, {"ART24-NOT-ACCEPTED"}),
    ({"accepted": True, "data_sharing_done": False}, {"ART30-1"}),
    ({"accepted": True, "duplicate_data_collection": True}, {"ART30-1"}),
    ({"accepted": True, "crypto_compliant": False}, {"ART30-2"}),
    ({"accepted": True, "major_security_risk": True}, {"ART30-2"}),
    ({"accepted": True, "deployment": "self_hosted"}, {"ART30-3"}),
    ({"accepted": True, "deployment": "self_hosted", "classified": True}, set()),
    ({"accepted": True, "deployment": "special_network"}, {"ART30-3"}),
    ({"accepted": True, "deployment": "special_network", "special_network_basis": "国家规定"}, set()),
    ({"accepted": True, "deployment": "none"}, set()),
    ({"accepted": False, "duplicate_data_collection": True, "major_security_risk": True, "deployment": "self_hosted"},
     {"ART24-NOT-ACCEPTED", "ART30-1", "ART30-2", "ART30-3"}),
]


@pytest.mark.parametrize(("overrides", "reasons"), ART30)
def test_om_funding_eligibility(overrides, reasons):
    result = assess(project_type="operations", materials=["basic_info", "feasibility_study", "om_plan"],
                    requests_om_funding=True, **overrides)
    assert result["om_funding"]["eligible"] is (not reasons)
    assert set(result["om_funding"]["reasons"]) == reasons
    found = codes(result)
    for reason in reasons:
        assert found[reason] == "block"
        article = finding(result, reason)["article"]
        assert article.startswith("第二十四条" if reason == "ART24-NOT-ACCEPTED" else "第三十条")


def test_the_cap_stays_a_warning_for_om_funding():
    result = assess(requests_om_funding=True, accepted=True, construction_cost=1000000, annual_om_cost=200000)
    assert result["om_funding"] == {"eligible": True, "reasons": []}
    assert codes(result)["ART29-OM-CAP"] == "warn"
