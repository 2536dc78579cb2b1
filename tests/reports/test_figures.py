"""Every dashboard figure against the hand-counted register of conftest.py, through the API."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def fig(client, key, **params):
    response = client.get(f"/api/v1/reports/figures/{key}", params)
    assert response.status_code == 200, response.content
    return response.json()


def rows_by_label(figure):
    return {row[0]: row[1:] for row in figure["rows"]}


def test_status_counts_and_amounts_for_the_prefecture_bureau(client, login, register, frozen):
    """The bureau (no classified access) sees 7 of the 8 projects: the classified one is left out."""
    login("bureau")
    rows = rows_by_label(fig(client, "by_status"))
    assert rows == {"草稿": [1, 100000], "已提交": [3, 1400000], "审查中": [1, 800000], "已立项批复": [2, 3700000]}


def test_status_links_drill_down_to_the_register_list(client, login, register, frozen):
    login("bureau")
    figure = fig(client, "by_status", year=2025)
    link = figure["links"][[r[0] for r in figure["rows"]].index("已提交")]
    assert link == "/projects/?status=submitted&year=2025"
    page = client.get(link)
    assert page.status_code == 200
    assert "共 2 个项目" in page.content.decode()  # P2 and P8 (P7 is 2026)


def test_review_path_year_level_and_unit(client, login, register, frozen):
    login("bureau")
    assert rows_by_label(fig(client, "by_review_path")) == {
        "自行组织实施": [1, 300000], "保密·公安审核": [1, 400000], "联合会审": [4, 5200000], "（未评估）": [1, 100000]}
    assert rows_by_label(fig(client, "by_year")) == {2025: [5, 3100000], 2026: [2, 2900000]}
    assert rows_by_label(fig(client, "by_level")) == {"州直": [6, 5300000], "县市": [1, 700000]}
    units = rows_by_label(fig(client, "by_unit"))
    assert units == {"昌吉州教育局": [4, 2400000], "昌吉州医疗保障局": [2, 2900000], "昌吉市教育局": [1, 700000]}


def test_requested_approved_and_cut(client, login, register, frozen):
    """2025: requested 300k+800k+1.2M+700k; approved P4 1.0M of 1.2M → 核减 200k; proposed 150k.
    2026: requested 2.5M+400k; approved P6 2.2M of 2.5M → 核减 300k."""
    login("bureau")
    rows = rows_by_label(fig(client, "amounts"))
    assert rows == {2025: [4, 3000000, 1, 1000000, 200000, 150000], 2026: [2, 2900000, 1, 2200000, 300000, 0]}


def test_cycle_times_in_working_days_less_pauses(client, login, register, frozen):
    """Public security: 3 Mar → 14 Mar 2025 is 9 working days, less 2 paused = 7. Crypto: 2."""
    login("bureau")
    figure = fig(client, "cycle_times")
    assert rows_by_label(figure) == {"州党委机要保密局": [1, 2.0, 2], "州公安局": [1, 7.0, 9]}
    drill = client.get(figure["links"][1])
    assert drill.status_code == 200
    assert register.p3.code in drill.content.decode()


def test_overdue_obligations_by_responsible_unit(client, login, register, frozen):
    login("bureau")
    figure = fig(client, "overdue")
    assert rows_by_label(figure) == {"昌吉州教育局": [1, 1], "昌吉州医疗保障局": [1, 1]}
    page = client.get(figure["links"][0]).content.decode()
    assert "逾期未办事项" in page


def test_om_against_the_ten_percent_cap(client, login, register, frozen):
    """2026: 2 requests, 1 over the cap; 350k requested; cap (1.2M + 2.5M) × 10 % = 370k; 120k granted."""
    login("bureau")
    figure = fig(client, "om")
    assert rows_by_label(figure) == {2026: [2, 1, 350000, 370000, 120000]}


def test_expert_fees_are_the_bureaus_only(client, login, register, frozen):
    login("applicant")
    figure = fig(client, "experts")
    assert figure["rows"] == [] and "仅数字化发展局" in figure["note"]


def test_a_unit_sees_only_its_own_figures(client, login, register, frozen):
    """The applicant of 州教育局 sees its five projects (its own classified one included) and nothing of
    州医保局 or the county, in any figure."""
    login("applicant")
    assert rows_by_label(fig(client, "by_status")) == {
        "草稿": [1, 100000], "已提交": [1, 300000], "审查中": [1, 800000], "已立项批复": [2, 1800000]}
    assert list(rows_by_label(fig(client, "by_unit"))) == ["昌吉州教育局"]
    assert rows_by_label(fig(client, "amounts")) == {2025: [4, 2900000, 2, 1600000, 200000, 150000]}
    assert list(rows_by_label(fig(client, "overdue"))) == ["昌吉州教育局"]
    assert rows_by_label(fig(client, "om")) == {2026: [1, 1, 150000, 120000, 120000]}
    for key in ("by_status", "by_review_path", "by_year", "by_unit", "by_level", "amounts", "cycle_times", "overdue",
                "om", "experts"):
        text = client.get(f"/api/v1/reports/figures/{key}").content.decode()
        assert "医疗保障局" not in text and "昌吉市" not in text


def test_a_member_unit_sees_only_what_was_routed_to_it(client, login, register, frozen):
    # Public security has a task only on P3 (ADR 0192: an opened task lets that unit in); the other
    # seven projects, the county's and the classified one included, stay out of its figures.
    login("police")
    assert fig(client, "by_status")["rows"] == [["审查中", 1, 800000]]


def test_unknown_figure_and_bad_year(client, login, register):
    login("bureau")
    assert client.get("/api/v1/reports/figures/nope").status_code == 404
    response = client.get("/api/v1/reports/figures/by_status", {"year": "1800"})
    assert response.status_code == 400 and response.json()["field"] == "year"


def test_figures_need_a_login(client, register):
    assert client.get("/api/v1/reports/figures/by_status").status_code == 401
