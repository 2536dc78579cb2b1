"""The register list: filters, Chinese search, sorting and keyset pages."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.projects.builders import make_project, submitted_project
from tongchou.projects.facts import project_facts
from tongchou.projects.listing import RegisterQuery, register_page


@pytest.fixture
def register(demo_users):
    a, b, c = demo_users["applicant"], demo_users["applicant2"], demo_users["countyapp"]
    projects = [
        submitted_project(a, name="全州智慧教育云平台", construction_cost=Decimal("2500000")),
        submitted_project(b, name="医保基金智能监管系统", construction_cost=Decimal("300000"), priority_basis=["mandated"]),
        make_project(a, name="校园安全视频监控扩容", construction_cost=Decimal("800000"), year=2026),
        submitted_project(c, name="昌吉市学前教育管理系统", construction_cost=Decimal("450000"),
                          deployment="self_hosted"),
    ]
    for i in range(7):
        make_project(b, name=f"医保档案数字化第{i + 1}期", construction_cost=Decimal(100000 + i * 1000))
    return projects


def _codes(client, query: str) -> list[str]:
    response = client.get(f"/api/v1/projects?{query}")
    assert response.status_code == 200
    return [p["name"] for p in response.json()["items"]]


@pytest.mark.django_db
def test_filters_search_and_sorting(client, register, login):
    login("reviewer")
    assert set(_codes(client, "q=教育")) == {"全州智慧教育云平台", "昌吉市学前教育管理系统", "校园安全视频监控扩容"}
    assert _codes(client, "q=学前") == ["昌吉市学前教育管理系统"]
    assert _codes(client, "q=医疗保障&limit=1") == ["医保档案数字化第7期"]  # unit name search
    assert _codes(client, "year=2026") == ["校园安全视频监控扩容"]
    assert _codes(client, "level=county") == ["昌吉市学前教育管理系统"]
    assert _codes(client, "review_path=joint_review") == ["全州智慧教育云平台"]
    assert _codes(client, "support=priority") == ["医保基金智能监管系统"]
    assert _codes(client, "support=not_supported") == ["昌吉市学前教育管理系统"]
    assert _codes(client, "status=submitted&sort=cost_desc") == [
        "全州智慧教育云平台", "昌吉市学前教育管理系统", "医保基金智能监管系统"]
    unit = register[0].unit_id
    assert set(_codes(client, f"unit={unit}")) == {"全州智慧教育云平台", "校园安全视频监控扩容"}


@pytest.mark.django_db
def test_a_bad_filter_is_ignored_with_a_chinese_note(client, register, login):
    login("reviewer")
    body = client.get("/api/v1/projects?level=planet&year=abc").json()
    assert len(body["items"]) == 11
    assert any("层级" in w for w in body["warnings"]) and any("预算年度" in w for w in body["warnings"])
    page = client.get("/projects/?status=nope").content.decode()
    assert "状态的取值" in page


@pytest.mark.django_db
@pytest.mark.parametrize("sort", ["newest", "oldest", "cost_desc", "cost_asc", "name"])
def test_keyset_pages_cover_every_row_once_in_order(register, demo_users, sort):
    user = demo_users["bureau"]
    seen, after = [], ""
    while True:
        query = RegisterQuery(sort=sort, limit=3, after=after)
        page = register_page(user, query)
        seen += [p.pk for p in page.items]
        if not page.next_cursor:
            break
        after = page.next_cursor
    full = register_page(user, RegisterQuery(sort=sort, limit=200)).items
    assert seen == [p.pk for p in full] and len(seen) == 11 == page.total


@pytest.mark.django_db
def test_the_register_page_lists_filters_and_pages(client, register, login):
    login("reviewer")
    body = client.get("/projects/?limit=4").content.decode()
    assert "共 11 个项目" in body and 'rel="next"' in body and "医保档案数字化第7期" in body
    assert 'href="/projects/new/"' not in body  # the bureau does not apply


@pytest.mark.django_db
def test_the_facts_follow_the_contract(register):
    facts = project_facts(register[0])
    assert facts["construction_cost"] == 2500000 and facts["unit"] == "昌吉州教育局"
    assert facts["level"] == "prefecture" and facts["exception"] is None
    assert set(facts["materials"]) >= {"basic_info", "technical_plan", "feasibility_study"}
    with_exception = register[2]
    with_exception.exception_legal_basis = "《国家政务信息化项目建设管理办法》"
    assert project_facts(with_exception)["exception"] == {
        "legal_basis": "《国家政务信息化项目建设管理办法》", "superior_consent": False}
