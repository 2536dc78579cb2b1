"""第十六条、第十七条: who reviews a project, by its money (不含运维费用) and its kind."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.policy.builders import ALL_FIVE, assess, codes, finding

SMALL_SPECIAL = {"crypto_bureau", "public_security"}
MID_SPECIAL = {"crypto_bureau", "digital_bureau", "public_security"}

# (construction_cost, category, classified) → (review_path, reviewers)
CASES = [
    # 第十六条: below 500,000 the unit procures itself; special kinds are checked by 机要保密局 and 公安局.
    (0, "development", False, "self_procurement", set()),
    (499999, "development", False, "self_procurement", set()),
    (Decimal("499999.99"), "development", False, "self_procurement", set()),
    (499999, "equipment", False, "security_review", SMALL_SPECIAL),
    (499999, "security_assessment", False, "security_review", SMALL_SPECIAL),
    (499999, "development", True, "security_review", SMALL_SPECIAL),
    # 第十七条: from 500,000 (含) joint review; special kinds up to 2,000,000 (含) only security review.
    (500000, "development", False, "joint_review", ALL_FIVE),
    (Decimal("500000.00"), "development", False, "joint_review", ALL_FIVE),
    (500000, "equipment", False, "security_review", MID_SPECIAL),
    (500000, "development", True, "security_review", MID_SPECIAL),
    (500001, "security_assessment", False, "security_review", MID_SPECIAL),
    (2000000, "development", False, "joint_review", ALL_FIVE),
    (2000000, "equipment", False, "security_review", MID_SPECIAL),
    (2000000, "security_assessment", True, "security_review", MID_SPECIAL),
    (Decimal("2000000.01"), "equipment", False, "joint_review", ALL_FIVE),
    (2000001, "equipment", False, "joint_review", ALL_FIVE),
    (2000001, "development", True, "joint_review", ALL_FIVE),
    (2000001, "development", False, "joint_review", ALL_FIVE),
    (10**9, "security_assessment", False, "joint_review", ALL_FIVE),
]


@pytest.mark.parametrize(("cost", "category", "classified", "path", "reviewers"), CASES)
def test_review_path_follows_articles_16_and_17(cost, category, classified, path, reviewers):
    result = assess(construction_cost=cost, category=category, classified=classified)
    assert result["review_path"] == path
    assert set(result["reviewers"]) == reviewers
    assert result["expert_review"] is (path == "joint_review")
    assert result["articles"]["review_path"] in ("第十六条", "第十七条")


@pytest.mark.parametrize("cost", [500000, 2000000, Decimal("500000.0"), Decimal("2000000.000")])
@pytest.mark.parametrize("category", ["development", "equipment"])
def test_exact_thresholds_carry_the_boundary_interpretation(cost, category):
    result = assess(construction_cost=cost, category=category)
    boundary = finding(result, "ART17-BOUNDARY")
    assert boundary["severity"] == "info"
    assert boundary["article"] == "第十六条、第十七条"
    assert "【解释】" in boundary["message"]
    assert f"{int(cost):,}元" in boundary["message"]
    assert boundary["basis"]["construction_cost"] == int(cost)


@pytest.mark.parametrize("cost", [499999, Decimal("499999.99"), 500001, 1999999, 2000001, Decimal("2000000.01"), 0])
def test_no_boundary_note_off_the_thresholds(cost):
    assert "ART17-BOUNDARY" not in codes(assess(construction_cost=cost))


def test_the_500000_note_says_article_17_wins():
    message = finding(assess(construction_cost=500000), "ART17-BOUNDARY")["message"]
    assert "（含）" in message and "第十七条" in message and "第十六条" in message


def test_operations_projects_are_routed_by_construction_cost_too():
    result = assess(project_type="operations", construction_cost=600000, annual_om_cost=50000,
                    materials=["basic_info", "feasibility_study", "om_plan"])
    assert result["review_path"] == "joint_review"
    result = assess(project_type="operations", construction_cost=100000, annual_om_cost=5000000,
                    materials=["basic_info", "feasibility_study", "om_plan"])
    assert result["review_path"] == "self_procurement"
