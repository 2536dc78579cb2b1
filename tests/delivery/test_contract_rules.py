"""Art. 23 on one contract, at the boundaries of the rule set's thresholds."""

from __future__ import annotations

import datetime as dt

import pytest

from tongchou.delivery.rules.contract_check import check_contract
from tongchou.delivery.seams import contract_thresholds

LIMITS = contract_thresholds(dt.date(2025, 6, 1))


def codes(kind, period=None, free=None, term=None):
    return {(f.code, f.severity) for f in check_contract(kind=kind, construction_period_months=period,
                                                         free_om_months=free, term_months=term, limits=LIMITS)}


def test_thresholds_are_the_rule_sets():
    assert (LIMITS.max_construction_period, LIMITS.min_free_om_period, LIMITS.min_hardware_term) == (36, 12, 60)


@pytest.mark.parametrize(("kind", "period", "free", "term", "expected"), [
    ("development", 36, 12, None, set()),
    ("development", 37, 12, None, {("ART23-CONSTRUCTION-PERIOD", "block")}),
    ("development", 24, 11, None, {("ART23-FREE-OM", "warn")}),
    ("development", 24, None, None, {("ART23-FREE-OM", "warn")}),
    ("development", None, 12, None, {("ART23-PERIOD-MISSING", "block")}),
    ("equipment", None, None, 60, set()),
    ("equipment", None, None, 59, {("ART23-HARDWARE-TERM", "block")}),
    ("equipment", None, None, None, {("ART23-HARDWARE-TERM", "block")}),
    ("security_assessment", None, None, None, set()),
])
def test_article_23(kind, period, free, term, expected):
    assert codes(kind, period, free, term) == expected


@pytest.mark.django_db
def test_a_short_free_om_period_is_kept_as_a_warning_and_ip_is_required(project_in, api):
    project = project_in("procurement")
    body = {"kind": "development", "vendor": "某公司", "amount": "100", "signed_on": "2025-05-20",
            "construction_period_months": 6, "free_om_months": 6}
    status, out = api("applicant", "post", f"/projects/{project.pk}/contracts", body)
    assert (status, out["code"], out["article"]) == (400, "ART27-IP", "第二十七条")
    status, out = api("applicant", "post", f"/projects/{project.pk}/contracts", {**body, "ip_to_government": True})
    assert status == 201 and [f["code"] for f in out["findings"]] == ["ART23-FREE-OM"]
    status, out = api("applicant", "post", f"/projects/{project.pk}/contracts",
                      {**body, "kind": "equipment", "term_months": 36, "ip_to_government": True})
    assert (status, out["code"]) == (400, "ART23-HARDWARE-TERM")
    assert "60个月" in out["detail"]


@pytest.mark.django_db
def test_the_procurement_start_date_reaches_the_policy_facts(project_in, api):
    from tongchou.delivery.facts import delivery_facts

    project = project_in("filed")
    api("applicant", "put", f"/projects/{project.pk}/procurement", {"start_date": "2025-04-01"})
    assert delivery_facts(project)["procurement_start_date"] == "2025-04-01"
    status, out = api("applicant", "put", f"/projects/{project.pk}/procurement", {"start_date": "2999-01-01"})
    assert (status, out["field"]) == (400, "start_date")


@pytest.mark.django_db
def test_no_contract_before_procurement_has_started(project_in, api):
    project = project_in("filed")
    status, out = api("applicant", "post", f"/projects/{project.pk}/contracts", {
        "kind": "development", "vendor": "某公司", "amount": "100", "signed_on": "2025-05-20",
        "construction_period_months": 6, "free_om_months": 12, "ip_to_government": True})
    assert (status, out["code"], out["article"]) == (409, "invalid_state", "第二十一条")
