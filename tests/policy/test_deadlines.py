"""第九条、第十八条、第二十三条、第二十六条: approval first, contract periods, the one-year window."""

from __future__ import annotations

from datetime import date

import pytest

from tests.policy.builders import assess, codes, finding, obligations
from tongchou.policy.rules.deadlines import anniversary


@pytest.mark.parametrize(
    ("approval", "expected"),
    [
        (date(2025, 3, 20), date(2026, 3, 20)),
        (date(2024, 2, 29), date(2025, 2, 28)),
        (date(2024, 2, 28), date(2025, 2, 28)),
        (date(2024, 3, 1), date(2025, 3, 1)),
        (date(2027, 2, 28), date(2028, 2, 28)),
        (date(2025, 12, 31), date(2026, 12, 31)),
    ],
)
def test_anniversary(approval, expected):
    assert anniversary(approval, 1) == expected


def test_anniversary_of_29_february_in_a_leap_year_after_four_years():
    assert anniversary(date(2024, 2, 29), 4) == date(2028, 2, 29)


# 第二十六条 (approval_date, procurement_start_date, as_of) → lapsed?, deadline obligation due
ART26 = [
    ("2025-03-20", None, "2025-11-01", False, "2026-03-20"),
    ("2025-03-20", None, "2026-03-20", False, "2026-03-20"),  # the anniversary day itself is in time
    ("2025-03-20", None, "2026-03-21", True, None),
    ("2024-02-29", None, "2025-02-28", False, "2025-02-28"),
    ("2024-02-29", None, "2025-03-01", True, None),
    ("2025-03-20", "2026-03-20", "2027-01-01", False, None),
    ("2025-03-20", "2026-03-21", "2026-03-21", True, None),
    ("2024-02-29", "2025-02-28", "2026-01-01", False, None),
    ("2024-02-29", "2025-03-01", "2025-03-01", True, None),
    ("2025-03-20", "2025-04-01", "2030-01-01", False, None),
]


@pytest.mark.parametrize(("approval", "procurement", "as_of", "lapsed", "due"), ART26)
def test_article_26_procurement_window(approval, procurement, as_of, lapsed, due):
    result = assess(application_date="2025-02-10", approval_date=approval, procurement_start_date=procurement,
                    as_of=as_of)
    found = codes(result)
    if lapsed:
        assert found["ART26-LAPSED"] == "block"
        lapse = finding(result, "ART26-LAPSED")
        assert lapse["article"] == "第二十六条"
        assert "【解释】" in lapse["message"] and "周年当日" in lapse["message"]
    else:
        assert "ART26-LAPSED" not in found
    owed = obligations(result)
    assert owed["ART18-FILING"] is None
    if due is None:
        assert "ART26-PROCUREMENT-DEADLINE" not in owed
    else:
        assert owed["ART26-PROCUREMENT-DEADLINE"] == due
        deadline = next(o for o in result["obligations"] if o["code"] == "ART26-PROCUREMENT-DEADLINE")
        assert deadline["article"] == "第二十六条"
        assert "周年当日" in deadline["message"] and "【解释】" in deadline["message"]


def test_29_february_is_explained():
    result = assess(application_date="2025-02-10", approval_date="2024-02-29", as_of="2025-01-01")
    deadline = next(o for o in result["obligations"] if o["code"] == "ART26-PROCUREMENT-DEADLINE")
    assert "2月28日" in deadline["message"]


def test_as_of_defaults_to_the_application_date():
    # approved 2024-06-01, applied 2025-06-02: a year and a day later, no procurement → lapsed
    assert "ART26-LAPSED" in codes(assess(application_date="2025-06-02", approval_date="2024-06-01"))
    assert "ART26-LAPSED" not in codes(assess(application_date="2025-06-01", approval_date="2024-06-01"))


def test_no_approval_no_deadlines():
    result = assess()
    assert result["obligations"] == []
    assert "ART26-LAPSED" not in codes(result)


# 第九条: no building or procurement before approval
ART9 = [
    ({"work_start_date": "2025-05-01"}, True),
    ({"procurement_start_date": "2025-05-01"}, True),
    ({"work_start_date": "2025-05-01", "approval_date": "2025-05-02"}, True),
    ({"work_start_date": "2025-05-01", "approval_date": "2025-05-01"}, False),
    ({"work_start_date": "2025-05-02", "approval_date": "2025-05-01"}, False),
    ({"procurement_start_date": "2025-04-30", "approval_date": "2025-05-01"}, True),
    ({"procurement_start_date": "2025-05-01", "approval_date": "2025-05-01"}, False),
    ({"procurement_start_date": "2025-06-01", "work_start_date": "2025-04-01", "approval_date": "2025-05-01"}, True),
    ({"approval_date": "2025-05-01"}, False),
    ({}, False),
]


@pytest.mark.parametrize(("overrides", "flagged"), ART9)
def test_article_9_no_start_before_approval(overrides, flagged):
    result = assess(**overrides)
    if flagged:
        found = finding(result, "ART9-UNAPPROVED-START")
        assert found["severity"] == "block" and found["article"] == "第九条"
        assert "未批先建" in found["message"]
    else:
        assert "ART9-UNAPPROVED-START" not in codes(result)


# 第二十三条: contract periods (category, field, value) → code or None
ART23 = [
    ("development", "construction_period_months", 36, None),
    ("development", "construction_period_months", 37, ("ART23-CONSTRUCTION-PERIOD", "block")),
    ("development", "construction_period_months", 0, None),
    ("development", "construction_period_months", None, None),
    ("equipment", "construction_period_months", 48, None),
    ("security_assessment", "construction_period_months", 48, None),
    ("development", "free_om_months", 12, None),
    ("development", "free_om_months", 11, ("ART23-FREE-OM", "warn")),
    ("development", "free_om_months", 0, ("ART23-FREE-OM", "warn")),
    ("development", "free_om_months", None, None),
    ("equipment", "free_om_months", 3, None),
    ("equipment", "contract_term_months", 60, None),
    ("equipment", "contract_term_months", 59, ("ART23-HARDWARE-TERM", "block")),
    ("equipment", "contract_term_months", None, None),
    ("development", "contract_term_months", 12, None),
    ("security_assessment", "contract_term_months", 12, None),
]


@pytest.mark.parametrize(("category", "field", "value", "expected"), ART23)
def test_article_23_contract_periods(category, field, value, expected):
    result = assess(category=category, **{field: value})
    art23 = {c: s for c, s in codes(result).items() if c.startswith("ART23-")}
    if expected is None:
        assert art23 == {}
    else:
        code, severity = expected
        assert art23 == {code: severity}
        found = finding(result, code)
        assert found["article"] == "第二十三条"
        assert field in found["message"] and str(value) in found["message"]
        assert found["basis"][field] == value
