"""An applicant logs in, fills a draft, sees a finding with its article appear, fixes it and submits."""

from __future__ import annotations

import pytest

from tests.projects.builders import build_texts
from tongchou.projects.models import Project, ProjectAssessment, Status


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_an_applicant_fills_a_draft_sees_a_finding_fixes_it_and_submits(live_server, demo_users, demo_password,
                                                                         browser_page, settings, tmp_path):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path / "media"
    page = browser_page
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "applicant")
    page.fill("#id_password", demo_password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.click("text=新建申报")
    page.fill("#id_name", "昌吉州智慧教育云平台")
    page.fill("#id_construction_cost", "1200000")
    for kind, text in build_texts().items():
        page.fill(f"#id_m_{kind}", text)
    assessment = page.locator("#assessment")
    expect(assessment.locator("[data-testid=review-path]")).to_contain_text("联合会审")

    # a self-hosted deployment is refused support by Art. 12 (三): the finding appears as the applicant types
    page.select_option("#id_deployment", "self_hosted")
    finding = assessment.locator('[data-code="ART12-3"]')
    expect(finding).to_be_visible()
    expect(finding).to_contain_text("第十二条")
    expect(assessment.locator("[data-testid=support]")).to_contain_text("不予支持")

    page.click("button[value=save]")
    page.wait_for_url("**/edit/")
    page.wait_for_load_state("networkidle")  # the test reads the database only when no request is in flight
    project = Project.objects.get()
    assert project.status == Status.DRAFT and project.deployment == "self_hosted"

    # the fix: deploy on the government cloud; the finding disappears
    expect(page.locator('#assessment [data-code="ART12-3"]')).to_be_visible()
    page.select_option("#id_deployment", "gov_cloud")
    expect(page.locator('#assessment [data-code="ART12-3"]')).to_have_count(0)
    expect(page.locator("#assessment [data-testid=support]")).not_to_contain_text("不予支持")

    page.click("button[value=submit]")
    page.wait_for_url(f"{live_server.url}/projects/{project.pk}/")
    expect(page.locator("body")).to_contain_text("已提交")
    page.wait_for_load_state("networkidle")  # no request thread left holding a database connection
    project.refresh_from_db()
    assert project.status == Status.SUBMITTED and project.deployment == "gov_cloud"
    assert ProjectAssessment.objects.filter(project=project).count() == 1
