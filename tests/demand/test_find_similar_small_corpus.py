"""find_similar against a corpus that does not contain the candidate (the web's usual call)."""

from __future__ import annotations

from tongchou.demand.splits import find_similar

PHASE_ONE = {"id": "p1", "unit": "州教育局", "year": 2026, "name": "智慧校园平台一期",
             "description": "建设全州中小学智慧校园平台，包括教学管理、学生考勤、家校互动模块。",
             "construction_cost": 450000}
PHASE_TWO = {"id": "new", "unit": "州教育局", "year": 2026, "name": "智慧校园平台二期",
             "description": "在一期基础上建设智慧校园平台的学生评价、课后服务、家校互动扩展模块。",
             "construction_cost": 430000}
ARCHIVES = {"id": "p3", "unit": "州教育局", "year": 2026, "name": "教育系统档案数字化加工",
            "description": "对州教育局历年文书档案进行扫描、著录和数字化加工。", "construction_cost": 300000}


def test_a_new_need_is_warned_against_a_one_project_corpus():
    """Art. 8: a second phase typed into the form is matched with the unit's first phase."""
    matches = find_similar(PHASE_TWO, [PHASE_ONE])
    assert [(m["id"], m["code"]) for m in matches] == [("p1", "ART8-SPLIT")]
    assert matches[0]["combined_cost"] == 880000
    assert matches[0]["evades_review"] is True


def test_an_unrelated_project_of_the_same_unit_is_not_matched():
    assert find_similar(PHASE_TWO, [ARCHIVES]) == []


def test_the_candidate_is_never_matched_with_itself():
    assert [m["id"] for m in find_similar(PHASE_TWO, [PHASE_ONE, PHASE_TWO])] == ["p1"]
