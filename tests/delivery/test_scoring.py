"""Art. 25 self-evaluation scoring: weights 10/50/30/10 and the grade boundaries (a boundary belongs to the
higher grade: 90 → 优, 80 → 良, 60 → 中)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongchou.delivery.rules.scoring import achievement, grade_for, score


@pytest.mark.parametrize(("total", "grade"), [
    ("100", "优"), ("90", "优"), ("90.00", "优"), ("89.99", "良"), ("80", "良"), ("79.99", "中"),
    ("60", "中"), ("59.99", "差"), ("0", "差"),
])
def test_grade_boundaries(total, grade):
    assert grade_for(D(total)) == grade


@pytest.mark.parametrize(("rates", "total", "grade"), [
    ((1, 1, 1, 1), "100.00", "优"),
    ((0, 1, 1, 0), "80.00", "良"),          # outputs 50 + benefits 30
    ((1, 1, 0, 0), "60.00", "中"),          # budget 10 + outputs 50
    ((1, "0.98", 1, 0), "89.00", "良"),
    ((1, 1, "0.6667", 1), "90.00", "优"),   # 30 × 0.6667 = 20.001 → 20.00; 10 + 50 + 20 + 10
    ((0, "0.9", "0.5", "0.4"), "64.00", "中"),
    ((0, 1, 0, "0.999"), "59.99", "差"),  # 9.99 + 50
])
def test_weighted_totals_and_grades(rates, total, grade):
    result = score(budget_rate=D(str(rates[0])), outputs_rate=D(str(rates[1])), benefits_rate=D(str(rates[2])),
                   satisfaction_rate=D(str(rates[3])))
    assert (str(result.total), result.grade) == (total, grade)


def test_the_total_is_graded_as_shown_rounded_half_up():
    """89.995 shows as 90.00 and is 优: the figure printed is the figure graded."""
    result = score(budget_rate=D(1), outputs_rate=D(1), benefits_rate=D("0.99983333"), satisfaction_rate=D(0))
    assert str(result.benefits) == "29.99"
    result = score(budget_rate=D("0.9995"), outputs_rate=D(1), benefits_rate=D(1), satisfaction_rate=D(0))
    assert (str(result.budget), str(result.total), result.grade) == ("10.00", "90.00", "优")


@pytest.mark.parametrize(("op", "target", "actual", "expected"), [
    ("ge", "100", "100", "1"), ("ge", "100", "120", "1"), ("ge", "100", "80", "0.8"),
    ("gt", "100", "100", "1"), ("le", "10000", "9000", "1"), ("le", "10000", "12500", "0.8"),
    ("lt", "5", "4", "1"), ("eq", "10", "10", "1"), ("eq", "10", "8", "0.8"), ("eq", "10", "12.5", "0.8"),
    ("ge", "0", "0", "1"), ("le", "0", "3", "0"),
])
def test_indicator_achievement(op, target, actual, expected):
    assert achievement(op, D(target), D(actual)) == D(expected)


rate = st.decimals(min_value=-1, max_value=2, allow_nan=False, allow_infinity=False, places=4)


@settings(deadline=None, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(rate, rate, rate, rate)
def test_any_rates_give_a_total_between_0_and_100_and_the_matching_grade(a, b, c, d):
    result = score(budget_rate=a, outputs_rate=b, benefits_rate=c, satisfaction_rate=d)
    assert D(0) <= result.total <= D(100)
    assert result.total == result.budget + result.outputs + result.benefits + result.satisfaction
    assert result.grade == grade_for(result.total)


@pytest.mark.django_db
def test_self_evaluation_needs_goals_in_every_scored_dimension(project_in, api):
    project = project_in("operating")
    base = f"/projects/{project.pk}"
    out = api("applicant", "post", f"{base}/indicators", {"dimension": "output", "name": "覆盖学校数", "operator": "ge",
                                                          "target": "100"})[1]["id"]
    api("finance", "post", f"{base}/performance-reports", {"kind": "self_evaluation", "year": 2026, "due_on": "2027-03-31"})
    status, body = api("applicant", "post", f"{base}/performance/self-evaluation",
                       {"year": 2026, "budget": "100", "spent": "100", "actuals": {str(out): "100"}})
    assert status == 400 and "效益、满意度" in body["detail"] and body["article"] == "第二十五条"
