"""The dashboard pages: bureau statistics with ECharts from static files, the unit's own overview,
navigation entries by role."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_bureau_dashboard_loads_each_figure_from_the_api(client, login, register):
    login("bureau")
    page = client.get("/reports/?year=2025")
    assert page.status_code == 200
    text = page.content.decode()
    assert 'data-figure-src="/api/v1/reports/figures/by_status?year=2025"' in text
    assert "vendor/echarts-5.6.0.min.js" in text and "reports/dashboard.js" in text
    assert "<script>" not in text  # CSP: no inline script
    assert '/reports/figures/amounts.xlsx?year=2025' in text
    assert "统计分析" in text  # the navigation entry


def test_a_unit_goes_to_its_own_overview(client, login, register, frozen):
    """州教育局 on 1 Apr 2025: one item due this month (P2, 20 Apr), one overdue (P3), five projects."""
    login("applicant")
    assert client.get("/reports/").url == "/reports/unit/"
    page = client.get("/reports/unit/").content.decode()
    assert "本单位概况" in page
    overview = client.get("/api/v1/reports/unit-overview").json()
    assert overview["total"] == 5
    assert [o["project_code"] for o in overview["due_this_month"]] == [register.p2.code]
    assert [o["project_code"] for o in overview["overdue"]] == [register.p3.code]
    assert overview["month_end"] == "2025-04-30"
    assert register.p6.code not in page and "医疗保障局" not in page


def test_navigation_by_role(client, login, register):
    login("applicant")
    home = client.get("/").content.decode()
    assert "本单位概况" in home and "统计分析" not in home


def test_drill_down_of_an_unknown_key_is_404(client, login, register):
    login("bureau")
    assert client.get("/reports/drill/nope/?value=1").status_code == 404
    assert client.get("/reports/drill/om/?value=x").status_code == 404


def test_exports_page_offers_every_report(client, login, register):
    login("bureau")
    text = client.get("/reports/exports/").content.decode()
    for label in ("年度项目计划", "立项批复情况", "运维经费预算", "绩效评价结果", "专家费"):
        assert label in text
