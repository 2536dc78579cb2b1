"""In a real browser under the strict CSP: the project page loads the unified-system pointer after the page
(htmx), and the bureau confirms the mode with the panel's form."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tongchou.portfolio.models import ProjectMode
from tongchou.projects.models import MaterialKind, Project, ProjectMaterial

TEXT = "建设全州统一身份认证平台，实现政务服务统一身份认证、单点登录和电子证照共享，对接政务云。"


def _project(users, code: str, name: str, mode: str | None) -> Project:
    unit = users["applicant"].organisation
    project = Project.objects.create(code=code, name=name, unit=unit, level=unit.level, status="submitted",
                                     year=2025, created_by=users["applicant"], construction_cost=Decimal("800000"))
    ProjectMaterial.objects.create(project=project, kind=MaterialKind.BASIC_INFO, text=TEXT)
    if mode:
        ProjectMode.objects.create(project=project, mode=mode, proposed_mode=mode, proposed_by=users["applicant"],
                                   proposed_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    return project


def _log_in(page, live_server, username: str, password: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_the_bureau_sees_the_pointer_and_confirms_the_mode_in_the_browser(live_server, demo_users, demo_password,
                                                                         browser_page):
    from playwright.sync_api import expect

    _project(demo_users, "U1", "全州统一身份认证平台", "unified")
    need = _project(demo_users, "N1", "州教育局统一身份认证平台", "specialised")
    page = browser_page
    csp_errors: list[str] = []
    page.on("console", lambda m: csp_errors.append(m.text) if "Content Security Policy" in m.text else None)
    _log_in(page, live_server, "reviewer", demo_password)

    page.goto(f"{live_server.url}/projects/{need.pk}/")
    expect(page.locator(f"#unified-overlaps-{need.pk}")).to_contain_text("建议依托「全州统一身份认证平台」")
    page.select_option(f"#mode-confirm-{need.pk}", "unified")
    page.click("#portfolio-panel button.primary:has-text('确认')")
    page.wait_for_url(f"{live_server.url}/projects/{need.pk}/")
    expect(page.locator("body")).to_contain_text("已确认管理模式：统一建设·统筹管理")
    page.wait_for_load_state("networkidle")
    record = ProjectMode.objects.get(project=need)
    assert (record.mode, record.confirmed_mode, record.proposed_mode) == ("unified", "unified", "specialised")
    assert not csp_errors, csp_errors
