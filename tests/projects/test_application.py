"""The application: drafts, Chinese form errors, live assessment, optimistic versions, submission."""

from __future__ import annotations

import pytest

from tests.projects.builders import build_texts, make_project
from tongchou.audit.models import AuditEvent
from tongchou.projects.models import Project, ProjectAssessment, Status


def _form(**overrides):
    data = {
        "name": "全州教育资源公共服务平台", "year": "2025", "funding_source": "prefecture_fiscal",
        "project_type": "new", "category": "development", "construction_cost": "1200000",
        "deployment": "gov_cloud", "original_project_accepted": "unknown",
        "key_components_compliant": "on", "crypto_compliant": "on", "goals_clear": "on",
        "internal_integration_done": "on", "data_sharing_done": "on", "provides_data_interface": "on",
    }
    data.update({f"m_{k}": v for k, v in build_texts().items()})
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_a_draft_is_saved_with_a_code_and_its_sections(client, login):
    login("applicant")
    response = client.post("/projects/new/", _form())
    project = Project.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/edit/"
    assert project.code == "CJ-2025-0001" and project.status == Status.DRAFT
    assert project.materials.get(kind="basic_info").text.startswith("主要任务")
    assert AuditEvent.objects.filter(event="project.created", target_id=str(project.pk)).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(("field", "value", "label", "words"), [
    ("name", "", "项目名称", "请填写项目名称"),
    ("construction_cost", "-5", "项目资金", "负数"),
    ("construction_cost", "很多钱", "项目资金", "数"),
    ("project_type", "rebuilt", "项目类型", "选择一个有效的选项"),
    ("approval_date", "2025-02-30", "立项批复日期", "日期"),
])
def test_form_errors_are_in_chinese_and_name_the_field(client, login, field, value, label, words):
    login("applicant")
    response = client.post("/projects/new/", _form(**{field: value}))
    assert response.status_code == 400
    body = response.content.decode()
    assert f'data-field="{field}">{label}' in body
    assert words in body
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_the_api_refuses_bad_input_with_422_naming_each_field_in_chinese(client, login):
    login("applicant")
    response = client.post("/api/v1/projects", {"name": "", "construction_cost": -1, "project_tipe": "new",
                                                "materials": {"basic_info": "x", "plan": "y"}},
                           content_type="application/json")
    assert response.status_code == 422
    errors = response.json()["errors"]
    fields = {e["field"] for e in errors}
    assert {"project_tipe", "materials.plan"} <= fields
    response = client.post("/api/v1/projects", {"name": "", "construction_cost": -1},
                           content_type="application/json")
    errors = {e["field"]: e["message"] for e in response.json()["errors"]}
    assert errors["name"].startswith("项目名称") and errors["construction_cost"].startswith("项目资金")
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_the_live_assessment_shows_a_finding_with_its_article_and_what_to_do(client, login):
    login("applicant")
    response = client.post("/projects/assess/", _form(deployment="self_hosted"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-code="ART12-3"' in body and "第十二条" in body and "怎么办" in body
    assert "联合会审" in body  # 120万 → joint review
    assert not Project.objects.exists()  # nothing saved
    fixed = client.post("/projects/assess/", _form()).content.decode()
    assert 'data-code="ART12-3"' not in fixed


@pytest.mark.django_db
def test_the_live_assessment_lists_missing_materials(client, login):
    user = login("applicant")
    project = make_project(user)
    body = client.post(f"/projects/{project.pk}/assess/", _form(m_feasibility_study="")).content.decode()
    assert "缺少：可行性研究报告" in body and 'data-code="ART10-MATERIALS"' in body


@pytest.mark.django_db
def test_the_live_assessment_lists_the_missing_art13_consent_letter(client, login, settings, tmp_path):
    """An Art. 13 claim without the written consent is refused at submission (ART13-CONSENT); the live box
    says so beforehand, naming the material and 第十三条, and stops once the letter is uploaded (ADR 0195)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    user = login("applicant")
    project = make_project(user)
    claim = _form(exception_legal_basis="《自治区教育专网管理规定》第五条")
    body = client.post(f"/projects/{project.pk}/assess/", claim).content.decode()
    assert 'data-testid="missing-consent">缺少：上一级业务主管部门书面同意的证明材料（第十三条' in body
    assert 'data-code="ART13-CONSENT"' in body and "齐全" not in body
    assert "缺少：" not in client.post(f"/projects/{project.pk}/assess/", _form()).content.decode()
    new = client.post("/projects/assess/", claim).content.decode()
    assert 'data-testid="missing-consent"' in new
    client.post(f"/projects/{project.pk}/attachments/", {
        "material": "superior_consent",
        "file": SimpleUploadedFile("同意函.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")})
    filed = client.post(f"/projects/{project.pk}/assess/", claim).content.decode()
    assert 'data-testid="missing-consent"' not in filed and 'data-code="ART13-CONSENT"' not in filed
    assert "齐全" in filed


@pytest.mark.django_db
def test_the_live_assessment_names_a_bad_field_instead_of_assessing(client, login):
    login("applicant")
    body = client.post("/projects/assess/", _form(construction_cost="abc")).content.decode()
    assert "项目资金" in body and "需要修改" in body


@pytest.mark.django_db
def test_a_stale_version_is_refused_with_a_clear_message_and_nothing_is_overwritten(client, login):
    user = login("applicant")
    project = make_project(user)
    first = client.post(f"/projects/{project.pk}/edit/", _form(name="第一人的修改", version="1", action="save"))
    assert first.status_code == 302
    second = client.post(f"/projects/{project.pk}/edit/", _form(name="第二人的修改", version="1", action="save"))
    assert second.status_code == 409
    assert "已被他人修改" in second.content.decode() and "刷新" in second.content.decode()
    project.refresh_from_db()
    assert project.name == "第一人的修改" and project.version == 2
    api = client.patch(f"/api/v1/projects/{project.pk}", {"version": 1, "name": "API 修改"},
                       content_type="application/json")
    assert api.status_code == 409 and api.json()["code"] == "stale_version"
    ok = client.patch(f"/api/v1/projects/{project.pk}", {"version": 2, "name": "API 修改"},
                      content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 3 and ok.json()["goals_clear"] is True


@pytest.mark.django_db
def test_submission_is_refused_in_chinese_naming_article_10_while_materials_are_missing(client, login):
    user = login("applicant")
    project = make_project(user, texts=build_texts(feasibility_study="", data_sharing_analysis=""))
    response = client.post(f"/projects/{project.pk}/edit/", _form(version="1", action="submit",
                                                                   m_feasibility_study="", m_data_sharing_analysis=""),
                           follow=True)
    body = response.content.decode()
    assert "不能提交" in body and "第十条" in body and "可行性研究报告" in body and "数据资源共享分析" in body
    project.refresh_from_db()
    assert project.status == Status.DRAFT and project.application_date is None
    assert not ProjectAssessment.objects.exists()
    refused = AuditEvent.objects.get(event="project.submit_refused")
    assert refused.outcome == "refused" and "feasibility_study" in refused.data["missing_materials"]
    api = client.post(f"/api/v1/projects/{project.pk}/submit", {}, content_type="application/json")
    assert api.status_code == 400
    assert api.json()["code"] == "ART10-MATERIALS" and api.json()["article"] == "第十条"


@pytest.mark.django_db
def test_an_attachment_counts_as_the_material_it_is_filed_under(client, login):
    import io

    from tongchou.projects.attachments import attachment_add
    from tongchou.projects.facts import project_facts

    user = login("applicant")
    project = make_project(user, texts=build_texts(feasibility_study=""))
    assert "feasibility_study" not in project_facts(project)["materials"]
    attachment_add(project=project, actor=user, material="feasibility_study",
                   upload=io.BytesIO(b"%PDF-1.7\n%%EOF"), filename="可研报告.pdf")
    assert "feasibility_study" in project_facts(project)["materials"]


@pytest.mark.django_db
def test_submitting_stores_the_assessment_with_its_receipt_and_moves_the_draft_on(client, login):
    user = login("applicant")
    project = make_project(user)
    response = client.post(f"/projects/{project.pk}/submit/", {"version": "1"})
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.status == Status.SUBMITTED and project.application_date is not None
    stored = ProjectAssessment.objects.get(project=project)
    assert stored.receipt and stored.ruleset_id and stored.ruleset_hash
    assert stored.result["review_path"] == "joint_review" == project.review_path
    assert stored.facts["materials"] and stored.assessed_by == user
    assert set(project.reviewers) == {"digital_bureau", "crypto_bureau", "public_security", "development_reform",
                                      "finance"}
    events = list(AuditEvent.objects.filter(target_type="projects.project", target_id=str(project.pk)).values_list("event", flat=True))
    assert events == ["project.created", "project.assessed", "project.submit"]
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    assert "联合会审" in detail and "提交申报" in detail  # assessment and timeline
    assert "project.submit" not in detail  # the timeline names the step, not its event code
    again = client.post(f"/api/v1/projects/{project.pk}/submit", {}, content_type="application/json")
    assert again.status_code == 409


@pytest.mark.django_db
def test_admin_roles_cannot_apply_even_through_the_api(client, login):
    login("sysadmin")
    response = client.post("/api/v1/projects", {"name": "管理员项目", "construction_cost": 1},
                           content_type="application/json")
    assert response.status_code == 403
    assert client.get("/projects/new/").status_code == 404
    assert not Project.objects.exists()


@pytest.mark.django_db
def test_the_service_refuses_admin_roles_whatever_the_caller(demo_users):
    from tongchou.core_errors import DomainError

    for username in ("sysadmin", "secadmin", "auditor"):
        with pytest.raises(DomainError) as refused:
            make_project(demo_users[username])
        assert "三权分立" in refused.value.message


@pytest.mark.django_db
def test_the_api_creates_a_draft_and_returns_its_facts(client, login):
    login("countyapp")
    response = client.post("/api/v1/projects", {
        "name": "昌吉市智慧教育平台", "year": 2025, "construction_cost": "450000", "project_type": "operations",
        "priority_basis": ["mandated"], "materials": {"basic_info": "基本情况", "om_plan": "运维方案"},
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["code"] == "CJS-2025-0001" and body["level"] == "county"
    assert body["materials"] == {"basic_info": "基本情况", "om_plan": "运维方案"}
    assert body["priority_basis"] == ["mandated"] and body["goals_clear"] is True


@pytest.mark.django_db
def test_an_art13_claim_on_the_form_needs_the_consent_letter_uploaded(client, login, settings, tmp_path):
    """Art. 13 on the pages: no checkbox to tick; the form refuses submission naming 第十三条 and the
    material until the letter is uploaded under its own material, then it goes through (ADR 0195)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path / "media"
    user = login("applicant")
    project = make_project(user, buys_server_hardware=True, exception_legal_basis="《自治区教育专网管理规定》第五条")
    page = client.get(f"/projects/{project.pk}/edit/").content.decode()
    assert 'name="exception_superior_consent"' not in page and 'name="m_superior_consent"' not in page
    assert 'value="superior_consent"' in page  # the upload form offers the material
    form = _form(version="1", action="submit", buys_server_hardware="on",
                 exception_legal_basis="《自治区教育专网管理规定》第五条")
    body = client.post(f"/projects/{project.pk}/edit/", form, follow=True).content.decode()
    assert "不能提交" in body and "第十三条" in body and "上一级业务主管部门书面同意的证明材料" in body
    project.refresh_from_db()
    assert project.status == Status.DRAFT
    uploaded = client.post(f"/projects/{project.pk}/attachments/", {
        "material": "superior_consent",
        "file": SimpleUploadedFile("同意函.pdf", b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")}, follow=True)
    assert uploaded.status_code == 200
    project.refresh_from_db()
    assert project.exception_superior_consent is True
    form["version"] = str(project.version)
    client.post(f"/projects/{project.pk}/edit/", form, follow=True)
    project.refresh_from_db()
    assert project.status == Status.SUBMITTED and project.support == "conditional"
