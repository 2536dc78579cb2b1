"""Filing after approval and the one-year procurement window (Art. 18, 26)."""

from __future__ import annotations

from datetime import date

from tongchou.policy.assessment import BLOCK, Assessment, Finding, Obligation, iso
from tongchou.policy.facts import Facts
from tongchou.policy.ruleset import RuleSet

ART18 = "第十八条"


def anniversary(day: date, years: int) -> date:
    """The same calendar day `years` later; 29 February falls on 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def filing(facts: Facts, result: Assessment) -> None:
    approval = facts.approval_date
    if approval is None:
        return
    approved = approval.isoformat()
    result.obligations.append(Obligation(
        "ART18-FILING", None, ART18,
        f"项目已于 {approved} 取得立项批复（approval_date）：依{ART18}，应及时向数字化发展部门报备。",
        {"approval_date": approved}))


# (approval date, window in years) → (deadline, approval ISO, deadline ISO, interpretation note): immutable values
_WINDOWS: dict[tuple[date, int], tuple[date, str, str, str]] = {}


def procurement_window(facts: Facts, ruleset: RuleSet, result: Assessment) -> None:
    approval = facts.approval_date
    if approval is None:
        return
    years = ruleset.parameters.procurement_window
    article = ruleset.article("procurement_window")
    key = (approval, years)
    hit = _WINDOWS.get(key)
    if hit is None:
        deadline = anniversary(approval, years)
        due = deadline.isoformat()
        leap = "；2月29日批复的，周年日取次年2月28日" if approval.month == 2 and approval.day == 29 else ""
        hit = (deadline, approval.isoformat(), due, f"【解释】期限为批复日起 {years} 年的周年当日 {due}，当日仍在期限内{leap}。")
        if len(_WINDOWS) >= 20000:
            _WINDOWS.clear()
        _WINDOWS[key] = hit
    deadline, approved, due, note = hit
    started = facts.procurement_start_date
    as_of = facts.as_of
    basis = {"approval_date": approved, "procurement_start_date": iso(started), "as_of": as_of.isoformat(),
             "deadline": due, "procurement_window_years": years, "interpretation": True}
    if started is not None:
        if started > deadline:
            result.findings.append(Finding(
                "ART26-LAPSED", BLOCK, article,
                f"立项批复日期 {approved}，政府采购于 {basis['procurement_start_date']}（procurement_start_date）才启动，"
                f"晚于期限 {due}：依{article}，批复出具 {years} 年后仍未启动政府采购的，应重新进行项目申报。{note}",
                basis))
        return
    if as_of > deadline:
        result.findings.append(Finding(
            "ART26-LAPSED", BLOCK, article,
            f"立项批复日期 {approved}，截至 {basis['as_of']}（as_of）仍未启动政府采购，已过期限 {due}："
            f"依{article}，应重新进行项目申报。{note}",
            basis))
        return
    result.obligations.append(Obligation(
        "ART26-PROCUREMENT-DEADLINE", deadline, article,
        f"立项批复日期 {approved}，尚未启动政府采购：依{article}，须在 {due}（含当日）前启动，逾期应重新申报。{note}",
        basis))
