"""The portfolio's web pages (Art. 3, 6, 15, 19, 36): what each person sees and does through them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.portfolio.helpers import PDF, application, create_and_submit
from tests.portfolio.test_county_rulesets import county_ruleset, local_dir  # noqa: F401 (fixture)
from tests.portfolio.test_funding_route import filed_with_budget
from tongchou.audit.models import AuditEvent
from tongchou.notifications.models import Notification
from tongchou.portfolio.models import (
    FundingRoute,
    JurisdictionRuleset,
    ProjectMode,
    SharedDocument,
    SharedParticipant,
    SharedProject,
)
from tongchou.projects.models import MaterialKind, Project, ProjectMaterial


def text(response) -> str:
    return response.content.decode("utf-8")


# ------------------------------------------------------------------ Art. 3: the mode on the project page

@pytest.mark.django_db
def test_the_bureau_confirms_the_proposed_mode_on_the_project_page(api, page, clock):
    status, created = api("applicant", "post", "/projects", application("州教育数据共享平台", "1200000"))
    pk = created["id"]
    # The applicant proposes the mode on the page while the application is a draft.
    response = page("applicant", "get", f"/projects/{pk}/")
    assert "申报管理模式" in text(response) and "审查确认管理模式" not in text(response)
    response = page("applicant", "post", f"/portfolio/projects/{pk}/mode/", {"mode": "unified"})
    assert response.redirect_chain[-1][0] == f"/projects/{pk}/"
    assert "已申报管理模式：统一建设·统筹管理" in text(response) and "待确认" in text(response)
    assert api("applicant", "post", f"/projects/{pk}/submit", {})[0] == 200

    # The bureau sees the confirm action; the unit no longer sees any mode form.
    assert "审查确认管理模式" in text(page("reviewer", "get", f"/projects/{pk}/"))
    response = page("applicant", "get", f"/projects/{pk}/")
    assert "申报管理模式</label>" not in text(response) and "审查确认管理模式" not in text(response)
    # The unit may not confirm (the service refuses, in Chinese); a stranger does not reach it.
    response = page("applicant", "post", f"/portfolio/projects/{pk}/mode/confirm/", {"mode": "unified"})
    assert "只有负责该项目审查的数字化发展局可以确认管理模式" in text(response)
    assert page("applicant2", "post", f"/portfolio/projects/{pk}/mode/confirm/", {"mode": "unified"}).status_code == 404
    assert page("county", "get", f"/portfolio/projects/{pk}/").status_code == 404
    assert not ProjectMode.objects.get(project_id=pk).confirmed

    # The bureau corrects it to 专业建设·分类管理; the page shows it confirmed, the proposal kept.
    response = page("reviewer", "post", f"/portfolio/projects/{pk}/mode/confirm/", {"mode": "specialised"})
    assert response.redirect_chain[-1][0] == f"/projects/{pk}/"
    assert "已确认管理模式：专业建设·分类管理" in text(response)
    assert 'data-mode="specialised"' in text(response) and "项目建设单位申报为「统一建设·统筹管理」" in text(response)
    record = ProjectMode.objects.get(project_id=pk)
    assert (record.mode, record.confirmed_mode, record.proposed_mode) == ("specialised", "specialised", "unified")
    assert AuditEvent.objects.filter(event="portfolio.mode_confirm", actor_id=record.confirmed_by_id).count() == 1
    # A bad value is refused with the service's words, nothing changed.
    response = page("reviewer", "post", f"/portfolio/projects/{pk}/mode/confirm/", {"mode": "shared"})
    assert "请选择管理模式" in text(response)
    assert ProjectMode.objects.get(project_id=pk).mode == "specialised"


@pytest.mark.django_db
def test_the_project_page_points_at_a_similar_unified_system(api, page, users, clock):
    description = "建设全州统一身份认证平台，实现政务服务统一身份认证、单点登录和电子证照共享，对接政务云。"
    unit = users["applicant"].organisation
    unified = Project.objects.create(code="U1", name="全州统一身份认证平台", unit=unit, level=unit.level,
                                     status="submitted", year=2025, created_by=users["applicant"],
                                     construction_cost=Decimal("3000000"))
    ProjectMaterial.objects.create(project=unified, kind=MaterialKind.BASIC_INFO, text=description)
    ProjectMode.objects.create(project=unified, mode="unified", proposed_mode="unified",
                               proposed_by=users["applicant"], proposed_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    status, created = api("applicant", "post", "/projects", application(
        "州教育局统一身份认证平台", "800000", materials={MaterialKind.BASIC_INFO.value: description}))
    assert status == 201, created
    pk = created["id"]
    # The project page loads the pointer after the page (htmx); without script the link opens it.
    detail = text(page("applicant", "get", f"/projects/{pk}/"))
    assert f'hx-get="/portfolio/projects/{pk}/overlaps/"' in detail
    partial = page("applicant", "get", f"/portfolio/projects/{pk}/overlaps/")
    assert "建议依托「全州统一身份认证平台」" in text(partial) and "第三条" in text(partial)
    # Nothing is pointed at for the unified system itself.
    assert "未发现与本项目相似的统一建设系统" in text(page("applicant", "get", f"/portfolio/projects/{unified.pk}/overlaps/"))
    assert page("applicant2", "get", f"/portfolio/projects/{pk}/overlaps/").status_code == 404


@pytest.mark.django_db
def test_the_overlaps_partial_is_a_fragment_for_htmx(client, api, users, clock):
    status, created = api("applicant", "post", "/projects", application("州教育数据共享平台", "1200000"))
    response = client.get(f"/portfolio/projects/{created['id']}/overlaps/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert "<html" not in text(response) and "统一建设系统" in text(response)


# ------------------------------------------------------------------ Art. 15: the funding route

@pytest.mark.django_db
def test_recording_the_funding_route_on_the_page_unblocks_procurement(api, page, clock):
    pk = filed_with_budget(api)
    # The unit's project page says what is missing; it has no form to record it.
    detail = text(page("applicant", "get", f"/projects/{pk}/"))
    assert "尚未登记资金渠道；登记前不能启动政府采购" in detail and "登记资金渠道</button>" not in detail
    assert api("applicant", "post", f"/delivery/projects/{pk}/procurement/start", {})[1]["code"] == "no_funding_route"
    response = page("applicant", "post", f"/portfolio/projects/{pk}/funding-route/", {"route": "prefecture_budget",
                                                                                      "budget_year": "2025"})
    assert "只有州财政局或负责该项目的数字化发展局可以登记资金渠道" in text(response)

    # Finance reaches the project through its budget page and records the meeting route.
    budget_page = text(page("finance", "get", f"/reviews/projects/{pk}/"))
    assert f'href="/portfolio/projects/{pk}/"' in budget_page
    form = text(page("finance", "get", f"/portfolio/projects/{pk}/"))
    assert "登记资金渠道</button>" in form
    meeting = {"route": "major_expenditure_meeting", "meeting_name": "州人民政府2025年第3次重大财政支出专题会",
               "meeting_date": "2025-02-20", "reference": "纪要〔2025〕3号"}
    response = page("finance", "post", f"/portfolio/projects/{pk}/funding-route/", meeting)
    assert "请填写州党委财经委员会审议日期" in text(response)
    response = page("finance", "post", f"/portfolio/projects/{pk}/funding-route/", {**meeting, "commission_date": "2025/02/27"})
    assert "日期格式应为 2025-02-20" in text(response)
    assert not FundingRoute.objects.exists()
    response = page("finance", "post", f"/portfolio/projects/{pk}/funding-route/", {**meeting, "commission_date": "2025-02-27"})
    assert "已登记资金渠道：州人民政府重大财政支出专题会和州党委财经委员会研究审议" in text(response)
    route = FundingRoute.objects.get(project_id=pk)
    assert (route.meeting_date, route.commission_date) == (dt.date(2025, 2, 20), dt.date(2025, 2, 27))

    # The project page now shows the route and no form; procurement starts.
    detail = text(page("applicant", "get", f"/projects/{pk}/"))
    assert "州人民政府2025年第3次重大财政支出专题会（2025-02-20）" in detail and "登记前不能启动政府采购" not in detail
    status, body = api("applicant", "post", f"/delivery/projects/{pk}/procurement/start", {})
    assert (status, body["status"]) == (200, "procurement"), body


# ------------------------------------------------------------------ Art. 6, 19: shared projects

@pytest.mark.django_db
def test_a_county_joins_on_the_page_declares_its_part_and_its_bureau_approves_it(api, page, users, clock):
    parent = create_and_submit(api, "applicant", "全州智慧教育共建平台", "3000000")
    # The parent's unit makes it shared from the project page, with Changji.
    assert "设为共建共享项目" in text(page("applicant", "get", f"/projects/{parent}/"))
    response = page("applicant", "post", f"/portfolio/projects/{parent}/shared/", {"jurisdictions": ["昌吉市"]})
    shared = SharedProject.objects.get(parent_id=parent)
    assert response.redirect_chain[-1][0] == f"/portfolio/shared/{shared.pk}/"
    assert "已设为共建共享项目" in text(response)

    # Later it adds Fukang; Fukang's bureau is told and links to the page.
    response = page("applicant", "post", f"/portfolio/shared/{shared.pk}/participants/", {"jurisdiction": "阜康市"})
    assert "阜康市已加入共建，已通知其数字化发展局" in text(response)
    assert 'data-jurisdiction="阜康市"' in text(response)
    response = page("applicant", "post", f"/portfolio/shared/{shared.pk}/participants/", {"jurisdiction": "阜康市"})
    assert "阜康市已在该共建项目的参与名单中" in text(response)
    notice = Notification.objects.get(recipient=users["fkreviewer"], subject__startswith="共建共享项目邀请")
    assert page("fkreviewer", "get", notice.link).status_code == 200

    # Fukang's department declares its part in the register and links it on the shared page.
    part = create_and_submit(api, "fkapp", "阜康市智慧教育共建子项目", "400000")
    shared_page = text(page("fkapp", "get", f"/portfolio/shared/{shared.pk}/"))
    assert "关联阜康市的子项目" in shared_page and f'<option value="{part}">' in shared_page
    assert "昌吉市" not in shared_page  # a county sees its own row only
    response = page("fkapp", "post", f"/portfolio/shared/{shared.pk}/parts/", {"project_id": str(part)})
    assert "已关联阜康市的子项目" in text(response)
    assert SharedParticipant.objects.get(shared=shared, jurisdiction="阜康市").part_id == part
    # The part's project page points at the shared project.
    assert f'href="/portfolio/shared/{shared.pk}/"' in text(page("fkapp", "get", f"/projects/{part}/"))

    # 分级审批: Fukang's bureau approves it; the prefecture bureau is not its authority.
    assert api("reviewer", "post", f"/reviews/projects/{part}/route", {})[0] in (403, 404, 409)
    status, body = api("fkreviewer", "post", f"/reviews/projects/{part}/route", {})
    assert (status, body["status"]) == (200, "approved"), body

    # The parent's unit follows every part's progress; the part with a part cannot be removed.
    parent_view = text(page("applicant", "get", f"/portfolio/shared/{shared.pk}/"))
    assert "阜康市智慧教育共建子项目" in parent_view and Project.objects.get(pk=part).get_status_display() in parent_view
    fukang = SharedParticipant.objects.get(shared=shared, jurisdiction="阜康市")
    response = page("applicant", "post", f"/portfolio/shared/{shared.pk}/participants/{fukang.pk}/remove/")
    assert "阜康市已关联子项目，不能移出共建名单" in text(response)
    assert SharedParticipant.objects.filter(pk=fukang.pk).exists()


@pytest.mark.django_db
def test_a_county_sees_only_its_own_part_and_the_shared_documents(api, page, clock):
    parent = create_and_submit(api, "applicant", "全州智慧教育共建平台", "3000000")
    sid = api("applicant", "post", f"/portfolio/projects/{parent}/shared", {"jurisdictions": ["昌吉市", "阜康市"]})[1]["id"]
    # The parent's unit uploads the shared standards on the page (a PDF; an .exe renamed is refused).
    response = page("applicant", "post", f"/portfolio/shared/{sid}/documents/",
                    {"title": "总体要求和标准规范", "file": SimpleUploadedFile("规范.pdf", b"MZ\x90\x00 not a pdf")})
    assert not SharedDocument.objects.exists() and 'class="msg-error"' in text(response)
    response = page("applicant", "post", f"/portfolio/shared/{sid}/documents/",
                    {"title": "总体要求和标准规范", "file": SimpleUploadedFile("规范.pdf", PDF)})
    assert "已上传「总体要求和标准规范」" in text(response)
    document = SharedDocument.objects.get()
    changji = create_and_submit(api, "countyapp", "昌吉市智慧教育共建子项目", "300000")
    fukang = create_and_submit(api, "fkapp", "阜康市智慧教育共建子项目", "400000")
    assert api("countyapp", "post", f"/portfolio/shared/{sid}/parts", {"project_id": changji})[0] == 200
    assert api("fkapp", "post", f"/portfolio/shared/{sid}/parts", {"project_id": fukang})[0] == 200

    for username in ("countyapp", "county"):
        body = text(page(username, "get", f"/portfolio/shared/{sid}/"))
        assert "昌吉市智慧教育共建子项目" in body and "总体要求和标准规范" in body, username
        assert "阜康市" not in body, username
        assert "加入共建" not in body and "上传</button>" not in body and "移出" not in body, username
        download = page(username, "get", f"/portfolio/shared/{sid}/documents/{document.pk}/")
        assert download.status_code == 200 and download.content == PDF
        assert "attachment" in download["Content-Disposition"]
        listed = text(page(username, "get", "/portfolio/shared/"))
        assert "全州智慧教育共建平台" in listed and "昌吉市" in listed and "阜康市" not in listed, username
    # Fukang's own page lists Fukang's part, not Changji's.
    body = text(page("fkapp", "get", f"/portfolio/shared/{sid}/"))
    assert "阜康市智慧教育共建子项目" in body and "昌吉市" not in body
    # The parent's unit sees both parts, the add and upload forms.
    body = text(page("applicant", "get", f"/portfolio/shared/{sid}/"))
    assert "昌吉市智慧教育共建子项目" in body and "阜康市智慧教育共建子项目" in body and "上传</button>" in body
    assert "昌吉市、阜康市" in text(page("applicant", "get", "/portfolio/shared/"))
    # A county may not upload the shared standards (the service refuses); strangers get 404 everywhere.
    response = page("countyapp", "post", f"/portfolio/shared/{sid}/documents/",
                    {"title": "县里的规范", "file": SimpleUploadedFile("a.pdf", PDF)})
    assert "只有共建项目的州直建设单位可以办理此事项" in text(response)
    for username in ("applicant2", "zdapp", "expert", "sysadmin"):
        assert page(username, "get", f"/portfolio/shared/{sid}/").status_code == 404, username
        assert page(username, "get", f"/portfolio/shared/{sid}/documents/{document.pk}/").status_code == 404
        assert page(username, "post", f"/portfolio/shared/{sid}/participants/", {"jurisdiction": "玛纳斯县"}).status_code == 404
        assert "全州智慧教育共建平台" not in text(page(username, "get", "/portfolio/shared/"))
    assert SharedDocument.objects.count() == 1


@pytest.mark.django_db
def test_the_parent_unit_removes_a_participant_without_a_part_on_the_page(api, page, clock):
    parent = create_and_submit(api, "applicant", "全州智慧教育共建平台", "3000000")
    sid = api("applicant", "post", f"/portfolio/projects/{parent}/shared", {"jurisdictions": ["昌吉市", "阜康市"]})[1]["id"]
    fukang = SharedParticipant.objects.get(shared_id=sid, jurisdiction="阜康市")
    assert page("countyapp", "post", f"/portfolio/shared/{sid}/participants/{fukang.pk}/remove/").status_code == 200
    assert SharedParticipant.objects.filter(pk=fukang.pk).exists()
    response = page("applicant", "post", f"/portfolio/shared/{sid}/participants/{fukang.pk}/remove/")
    assert "阜康市已移出共建名单" in text(response)
    assert list(SharedParticipant.objects.filter(shared_id=sid).values_list("jurisdiction", flat=True)) == ["昌吉市"]


# ------------------------------------------------------------------ Art. 19, 36: county rule sets

@pytest.mark.django_db
def test_a_county_bureau_uploads_and_chooses_its_rule_set_on_the_page(page, local_dir, clock):  # noqa: F811
    body = text(page("fklead", "get", "/portfolio/rulesets/"))
    assert "阜康市适用的规则集" in body and 'data-ruleset=""' in body
    # A broken file is refused with the loader's message; nothing registered.
    response = page("fklead", "post", "/portfolio/rulesets/",
                    {"action": "upload", "file": SimpleUploadedFile("fukang.yaml", b"id: [broken")})
    assert response.status_code == 400 and "规则集文件有误" in text(response)
    assert not JurisdictionRuleset.objects.exists()
    response = page("fklead", "post", "/portfolio/rulesets/",
                    {"action": "upload", "file": SimpleUploadedFile("fukang.yaml", county_ruleset())})
    assert "规则集「fukang-2025-local」已登记" in text(response)
    assert 'data-ruleset="fukang-2025-local"' in text(response)
    assert JurisdictionRuleset.objects.get(jurisdiction="阜康市").ruleset_id == "fukang-2025-local"
    # Back to the prefecture's; an unknown id is refused with the registered ones named.
    response = page("fklead", "post", "/portfolio/rulesets/", {"action": "choose", "ruleset_id": ""})
    assert "阜康市沿用州规则集" in text(response) and not JurisdictionRuleset.objects.exists()
    response = page("fklead", "post", "/portfolio/rulesets/", {"action": "choose", "ruleset_id": "nope"})
    assert response.status_code == 400 and "规则集「nope」未登记" in text(response)
    # Changji's bureau may not choose Fukang's rule set, and does not see it offered.
    body = text(page("cjlead", "get", "/portfolio/rulesets/"))
    assert "fukang-2025-local" not in body
    response = page("cjlead", "post", "/portfolio/rulesets/", {"action": "choose", "ruleset_id": "fukang-2025-local"})
    assert response.status_code == 403 and "是阜康市的规则集，不能选用" in text(response)
    # The prefecture bureau sees every county's choice (read only); a unit does not reach the page.
    page("fklead", "post", "/portfolio/rulesets/", {"action": "choose", "ruleset_id": "fukang-2025-local"})
    body = text(page("reviewer", "get", "/portfolio/rulesets/"))
    assert "阜康市" in body and "fukang-2025-local" in body and "上传并选用" not in body
    response = page("reviewer", "post", "/portfolio/rulesets/", {"action": "choose", "ruleset_id": ""})
    assert response.status_code == 403 and "只有县市数字化发展局可以设置" in text(response)
    assert page("applicant", "get", "/portfolio/rulesets/").status_code == 404


# ------------------------------------------------------------------ overview

@pytest.mark.django_db
def test_the_bureau_overview_counts_by_mode_and_level_and_links_into_the_register(api, page, users, clock):
    for name, mode in (("州统一平台甲", "unified"), ("州统一平台乙", "unified"), ("州专业系统", "specialised")):
        pk = api("applicant", "post", "/projects", application(name, "100000"))[1]["id"]
        assert api("applicant", "post", f"/portfolio/projects/{pk}/mode", {"mode": mode})[0] == 200
    county = api("countyapp", "post", "/projects", application("昌吉市专业系统", "100000"))[1]["id"]
    api("countyapp", "post", f"/portfolio/projects/{county}/mode", {"mode": "specialised"})
    api("countyapp", "post", "/projects", application("昌吉市未分类", "100000"))

    body = text(page("reviewer", "get", "/portfolio/"))
    assert "共 5 个" in body
    assert '<a href="/projects/?mode=unified&amp;level=prefecture">2</a>' in body
    assert '<a href="/projects/?mode=specialised&amp;level=county">1</a>' in body
    assert '<a href="/projects/?mode=unified">2</a>' in body
    register = text(page("reviewer", "get", "/projects/", {"mode": "unified", "level": "prefecture"}))
    assert "州统一平台甲" in register and "州统一平台乙" in register and "州专业系统" not in register
    # A county bureau counts its own county; a year filters.
    body = text(page("county", "get", "/portfolio/"))
    assert "共 2 个" in body and "州统一平台甲" not in body
    assert "共 0 个" in text(page("reviewer", "get", "/portfolio/", {"year": "2024"}))
    # A year of non-ASCII digits (str.isdigit accepts "²") is ignored, not a server error.
    assert "共 5 个" in text(page("reviewer", "get", "/portfolio/", {"year": "²²²²"}))
    for username in ("applicant", "finance", "expert"):
        assert page(username, "get", "/portfolio/").status_code == 404, username
    # The bureau's 工作台 and menu lead to it.
    home = text(page("reviewer", "get", "/"))
    assert 'href="/portfolio/"' in home and 'href="/portfolio/shared/"' in home
    assert 'href="/portfolio/rulesets/"' in text(page("county", "get", "/"))


@pytest.mark.django_db
def test_every_portfolio_page_of_another_units_project_is_a_404(api, page, client, clock):
    """The pages' IDOR matrix: each route with an id, for strangers (404) and the anonymous (login)."""
    parent = create_and_submit(api, "applicant", "州教育局共建保密项目", "3000000")
    sid = api("applicant", "post", f"/portfolio/projects/{parent}/shared", {"jurisdictions": ["阜康市"]})[1]["id"]
    api("applicant", "post", f"/portfolio/shared/{sid}/documents",
        {"title": "州教育局共建保密标准", "file": SimpleUploadedFile("a.pdf", PDF)}, multipart=True)
    document = SharedDocument.objects.get()
    participant = SharedParticipant.objects.get()
    gets = [f"/portfolio/projects/{parent}/", f"/portfolio/projects/{parent}/overlaps/", f"/portfolio/shared/{sid}/",
            f"/portfolio/shared/{sid}/documents/{document.pk}/"]
    posts = [f"/portfolio/projects/{parent}/mode/", f"/portfolio/projects/{parent}/mode/confirm/",
             f"/portfolio/projects/{parent}/funding-route/", f"/portfolio/projects/{parent}/shared/",
             f"/portfolio/shared/{sid}/participants/", f"/portfolio/shared/{sid}/participants/{participant.pk}/remove/",
             f"/portfolio/shared/{sid}/parts/", f"/portfolio/shared/{sid}/documents/"]
    for username in ("applicant2", "countyapp", "county", "expert", "sysadmin", "auditor"):
        for url in gets:
            response = page(username, "get", url, follow=False)
            assert response.status_code == 404, (username, url, response.status_code)
            assert "州教育局共建保密" not in text(response)
        for url in posts:
            assert page(username, "post", url, {"mode": "unified", "jurisdiction": "玛纳斯县"},
                        follow=False).status_code == 404, (username, url)
    client.logout()
    for url in gets + posts:
        response = client.get(url) if url in gets else client.post(url)
        assert response.status_code == 302 and "/accounts/login" in response["Location"], url
    assert list(SharedParticipant.objects.values_list("jurisdiction", flat=True)) == ["阜康市"]
    assert ProjectMode.objects.count() == 0 and FundingRoute.objects.count() == 0
