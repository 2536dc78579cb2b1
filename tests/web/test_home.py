"""The 工作台: each person lands on their own work."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tongchou.accounts.models import Organisation
from tongchou.obligations.services import obligation_create
from tongchou.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(demo_users):
    return Project.objects.create(code="CJ-2026-9201", name="州教育局智慧考试平台", year=2026, status="approved",
                                  unit=Organisation.objects.get(code="cj-edu"), created_by=demo_users["applicant"])


@pytest.mark.parametrize("username", ["applicant", "reviewer", "bureau", "crypto", "expert", "sysadmin", "auditor"])
def test_every_role_gets_a_working_home_page(client, login, username):
    login(username)
    response = client.get("/")
    assert response.status_code == 200
    assert "工作台" in response.content.decode()


@time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=8))), tick=False)
def test_the_unit_sees_its_overdue_item_and_another_unit_does_not(client, login, project):
    obligation_create(project=project, code="ART18-FILING", title="向数字化发展局报备", article="第十八条",
                      due_date=dt.date(2026, 3, 2))
    login("applicant")
    page = client.get("/").content.decode()
    assert "逾期 1 项" in page and "向数字化发展局报备" in page and "州教育局智慧考试平台" in page
    login("applicant2")
    page = client.get("/").content.decode()
    assert "向数字化发展局报备" not in page and "州教育局智慧考试平台" not in page


def test_ndrc_and_finance_find_their_waiting_decisions_on_the_home_page(client, login, demo_users):
    """The 工作台's 待我办理 panel (ADR 0166): an opinion issued waits on NDRC, an approval on finance; the unit,
    another member unit and another applicant see no such panel."""
    unit = Organisation.objects.get(code="cj-edu")
    waiting = Project.objects.create(code="CJ-2026-9301", name="州教育局待批复项目", year=2026, status="opinion_issued",
                                     unit=unit, created_by=demo_users["applicant"])
    approved = Project.objects.create(code="CJ-2026-9302", name="州教育局待预算项目", year=2026, status="approved",
                                      unit=unit, created_by=demo_users["applicant"])
    login("ndrc")
    panel = _queue_panel(client.get("/").content.decode())
    assert "待立项批复" in panel and f'href="/reviews/projects/{waiting.pk}/"' in panel
    assert "州教育局待预算项目" not in panel
    login("finance")
    panel = _queue_panel(client.get("/").content.decode())
    assert "待安排预算" in panel and f'href="/reviews/projects/{approved.pk}/"' in panel
    assert "州教育局待批复项目" not in panel
    for username in ("applicant", "crypto", "applicant2", "county"):
        login(username)
        assert "待我办理" not in client.get("/").content.decode(), username


def _queue_panel(page: str) -> str:
    assert 'aria-label="待我办理"' in page
    return page.split('aria-label="待我办理"')[1].split("</section>")[0]
