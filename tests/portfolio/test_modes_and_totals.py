"""Art. 3 (management modes), Art. 19 and 36 (county and park projects in the prefecture's statistics)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.portfolio.helpers import application
from tongchou.accounts.models import Organisation
from tongchou.audit.models import AuditEvent
from tongchou.portfolio.models import ProjectMode
from tongchou.portfolio.selectors import totals_by_mode_and_level
from tongchou.projects.models import MaterialKind, Project, ProjectMaterial


def _project(code: str, org: str, mode: str | None, users, name: str = "项目", **fields) -> Project:
    unit = Organisation.objects.get(code=org)
    fields.setdefault("year", 2025)
    project = Project.objects.create(code=code, name=name, unit=unit, level=unit.level,
                                     status="submitted", created_by=users["applicant"], **fields)
    if mode:
        ProjectMode.objects.create(project=project, mode=mode, proposed_mode=mode, proposed_by=users["applicant"],
                                   proposed_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    return project


@pytest.fixture
def portfolio(users):
    """Hand-counted: prefecture 2 unified + 1 specialised; 昌吉市 2 specialised; 阜康市 1 unclassified;
    准东 (park) 1 unified; and one 2024 prefecture specialised project."""
    return [
        _project("P1", "cj-edu", "unified", users), _project("P2", "cj-medins", "unified", users),
        _project("P3", "cj-edu", "specialised", users),
        _project("C1", "changji-edu", "specialised", users), _project("C2", "changji-health", "specialised", users),
        _project("F1", "fukang-edu", None, users),
        _project("Z1", "zhundong-digital", "unified", users),
        _project("OLD", "cj-edu", "specialised", users, year=2024),
    ]


def _cells(totals):
    return {(c["mode"], c["level"]): c["count"] for c in totals["by_mode_and_level"] if c["count"]}


@pytest.mark.django_db
def test_the_prefecture_totals_count_county_and_park_projects_by_mode_and_level(users, portfolio):
    totals = totals_by_mode_and_level(users["bureau"], year=2025)
    assert totals["total"] == 7
    assert _cells(totals) == {("unified", "prefecture"): 2, ("specialised", "prefecture"): 1,
                              ("specialised", "county"): 2, ("unclassified", "county"): 1,
                              ("unified", "park"): 1}
    assert {m["mode"]: m["count"] for m in totals["by_mode"]} == {"unified": 3, "specialised": 3, "unclassified": 1}
    assert {lv["level"]: lv["count"] for lv in totals["by_level"]} == {"prefecture": 3, "county": 3, "park": 1}
    assert totals_by_mode_and_level(users["bureau"])["total"] == 8
    # A county bureau counts its own county only; a unit its own projects; an admin nothing.
    assert _cells(totals_by_mode_and_level(users["county"])) == {("specialised", "county"): 2}
    assert _cells(totals_by_mode_and_level(users["applicant"])) == {("unified", "prefecture"): 1,
                                                                   ("specialised", "prefecture"): 2}
    assert totals_by_mode_and_level(users["sysadmin"])["total"] == 0


@pytest.mark.django_db
def test_the_register_filters_by_mode_and_the_api_gives_the_totals(api, portfolio):
    status, body = api("bureau", "get", "/projects", {"mode": "unified"})
    assert sorted(p["code"] for p in body["items"]) == ["P1", "P2", "Z1"]
    status, body = api("bureau", "get", "/projects", {"mode": "specialised", "level": "county"})
    assert sorted(p["code"] for p in body["items"]) == ["C1", "C2"]
    status, body = api("bureau", "get", "/projects", {"mode": "shared"})
    assert "管理模式" in body["warnings"][0] and body["total"] == 8
    status, body = api("county", "get", "/portfolio/totals", {"year": 2025})
    assert status == 200 and body["total"] == 2


@pytest.mark.django_db
def test_the_applicant_proposes_the_mode_and_the_authority_confirms_it(api, users, clock):
    status, created = api("applicant", "post", "/projects", application("州教育数据共享平台", "1200000"))
    pk = created["id"]
    status, body = api("applicant", "post", f"/portfolio/projects/{pk}/mode", {"mode": "unified"})
    assert status == 200 and body["mode"]["mode"] == "unified" and body["mode"]["confirmed"] is False
    assert api("applicant", "post", f"/portfolio/projects/{pk}/mode", {"mode": "shared"})[0] == 422
    assert api("applicant2", "post", f"/portfolio/projects/{pk}/mode", {"mode": "unified"})[0] == 404
    assert api("applicant", "post", f"/projects/{pk}/submit", {})[0] == 200
    # Once submitted the unit may not change it; the authority confirms (here: corrects) it.
    status, body = api("applicant", "post", f"/portfolio/projects/{pk}/mode", {"mode": "specialised"})
    assert status == 409 and body["article"] == "第三条"
    assert api("county", "post", f"/portfolio/projects/{pk}/mode/confirm", {"mode": "specialised"})[0] == 404
    status, body = api("reviewer", "post", f"/portfolio/projects/{pk}/mode/confirm", {"mode": "specialised"})
    assert status == 200, body
    assert body["mode"] | {"proposed_at": None, "confirmed_at": None} == {
        "mode": "specialised", "label": "专业建设·分类管理", "proposed": "unified", "proposed_by": "张申报",
        "proposed_at": None, "confirmed": True, "confirmed_by": "赵审核", "confirmed_at": None}
    audit = {e.event: e.data for e in AuditEvent.objects.filter(event__startswith="portfolio.mode_")}
    assert audit["portfolio.mode_propose"] == {"mode": "unified"}
    assert audit["portfolio.mode_confirm"] == {"mode": "specialised", "proposed": "unified", "previous": ""}
    # A confirmation without a proposal is refused.
    status, other = api("applicant", "post", "/projects", application("州另一个平台", "100000"))
    assert api("applicant", "post", f"/projects/{other['id']}/submit", {})[0] == 200
    status, body = api("reviewer", "post", f"/portfolio/projects/{other['id']}/mode/confirm", {"mode": "unified"})
    assert status == 409 and body["code"] == "not_proposed"


@pytest.mark.django_db
def test_a_need_that_overlaps_a_unified_system_is_pointed_at_it(api, users, clock):
    text = "建设全州统一身份认证平台，实现政务服务统一身份认证、单点登录和电子证照共享，对接政务云。"
    unified = _project("U1", "cj-govservice", "unified", users, name="全州统一身份认证平台",
                       construction_cost=Decimal("3000000"))
    ProjectMaterial.objects.create(project=unified, kind=MaterialKind.BASIC_INFO, text=text)
    need = _project("N1", "cj-medins", None, users, name="州医保局统一身份认证平台", construction_cost=Decimal("800000"))
    ProjectMaterial.objects.create(project=need, kind=MaterialKind.BASIC_INFO, text=text)
    unrelated = _project("N2", "cj-medins", None, users, name="医保基金智能监管系统", construction_cost=Decimal("800000"))
    ProjectMaterial.objects.create(project=unrelated, kind=MaterialKind.BASIC_INFO,
                                   text="建设医保基金智能监管规则库和违规行为筛查模型。")
    status, body = api("applicant2", "get", f"/portfolio/projects/{need.pk}")
    assert status == 200
    overlaps = body["unified_overlaps"]
    assert [o["code"] for o in overlaps] == ["U1"] and overlaps[0]["finding"] == "ART3-OVERLAP"
    assert "第三条" in overlaps[0]["message"]
    assert api("applicant2", "get", f"/portfolio/projects/{unrelated.pk}")[1]["unified_overlaps"] == []
    # The unified system itself is not pointed at itself.
    assert api("bureau", "get", f"/portfolio/projects/{unified.pk}")[1]["unified_overlaps"] == []


@pytest.mark.django_db
def test_a_park_project_names_the_park_responsible_organisation(api, users, clock):
    park = _project("Z2", "zhundong-digital", None, users)
    status, body = api("bureau", "get", f"/portfolio/projects/{park.pk}")
    assert body["park_responsible_organisation"]["name"] == "准东经济技术开发区数字化发展工作办公室"
    assert api("zdapp", "get", f"/portfolio/projects/{park.pk}")[0] == 200
    assert api("county", "get", f"/portfolio/projects/{park.pk}")[0] == 404
    prefecture = _project("P9", "cj-edu", None, users)
    assert api("applicant", "get", f"/portfolio/projects/{prefecture.pk}")[1]["park_responsible_organisation"] is None


@pytest.mark.django_db
def test_the_dashboard_figure_by_mode_counts_the_same(api, portfolio):
    status, figure = api("bureau", "get", "/reports/figures/by_mode", {"year": 2025})
    assert status == 200, figure
    assert figure["headers"] == ["管理模式", "州直", "县市", "园区", "合计"]
    assert figure["rows"] == [["统一建设·统筹管理", 2, 0, 1, 3], ["专业建设·分类管理", 1, 2, 0, 3], ["未分类", 0, 1, 0, 1]]
    assert figure["links"][0] == "/projects/?mode=unified&year=2025" and figure["links"][2] == ""
