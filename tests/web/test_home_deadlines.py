"""The 工作台's 期限事项 count what the viewer's organisation must discharge itself, and every deadline links
to where it is done (or the project page) when the viewer may see the project."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tongchou.accounts.models import Organisation
from tongchou.obligations.services import obligation_create
from tongchou.projects.models import Project

pytestmark = pytest.mark.django_db
CHECK = "SLA-COMPLETENESS-CHECK"
NOW = dt.datetime(2026, 3, 10, 9, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def _org(code):
    return Organisation.objects.get(code=code)


def _project(users, code, unit, name, status="submitted", level="prefecture"):
    return Project.objects.create(code=code, name=name, year=2026, status=status, unit=_org(unit), level=level,
                                  created_by=users["applicant"])


def _check(project, bureau):
    """The bureau's Art. 10 completeness check, already overdue."""
    return obligation_create(project=project, code=CHECK, title="申报材料完整性审查", article="第十条",
                             due_date=dt.date(2026, 3, 6), responsible_org=_org(bureau))


@pytest.fixture
def world(demo_users):
    edu = _project(demo_users, "CJ-2026-9401", "cj-edu", "州教育局待受理项目")
    med = _project(demo_users, "CJ-2026-9402", "cj-medins", "州医保局待受理项目")
    county = _project(demo_users, "CJS-2026-9403", "changji-edu", "昌吉市教育局待受理项目", level="county")
    filed = _project(demo_users, "CJ-2026-9404", "cj-edu", "州教育局已批复项目", status="approved")
    for project, bureau in ((edu, "cj-digital"), (med, "cj-digital"), (county, "changji-digital")):
        _check(project, bureau)
    obligation_create(project=filed, code="ART18-FILING", title="向数字化发展局报备", article="第十八条",
                      due_date=dt.date(2026, 3, 20))
    return {"edu": edu, "med": med, "county": county, "filed": filed}


def _deadline_card(page: str) -> str:
    return page.split('aria-label="期限事项"')[1].split("</section>")[0]


@time_machine.travel(NOW, tick=False)
@pytest.mark.parametrize("username", ["applicant2", "countyapp"])
def test_a_unit_is_not_charged_with_the_bureaus_completeness_check(client, login, world, username):
    login(username)
    card = _deadline_card(client.get("/").content.decode())
    assert "没有逾期事项" in card and "申报材料完整性审查" not in card


@time_machine.travel(NOW, tick=False)
def test_the_unit_sees_only_its_own_duty_linked_to_where_it_is_done(client, login, world):
    login("applicant")
    card = _deadline_card(client.get("/").content.decode())
    assert "没有逾期事项" in card and "30 天内到期 1 项" in card
    assert f'<a href="/reviews/projects/{world["filed"].pk}/">向数字化发展局报备</a>' in card
    assert "申报材料完整性审查" not in card and "责任单位" not in card
    # The bureau's deadline stays visible as information: on /deadlines/ and the project page, with who owes it.
    deadlines = client.get("/deadlines/").content.decode()
    assert f'<a href="/projects/{world["edu"].pk}/">CJ-2026-9401 州教育局待受理项目</a>' in deadlines
    detail = client.get(f"/projects/{world['edu'].pk}/").content.decode()
    assert "申报材料完整性审查" in detail and "责任单位：昌吉州数字化发展局" in detail


@time_machine.travel(NOW, tick=False)
def test_the_bureau_sees_its_checks_linked_to_the_review_page_and_the_units_duty_labelled(client, login, world):
    login("reviewer")
    card = _deadline_card(client.get("/").content.decode())
    # The prefecture bureau supervises every deadline (督办), the county's included, each labelled.
    assert "逾期 3 项" in card
    for key in ("edu", "med"):
        assert f'<a href="/reviews/projects/{world[key].pk}/">申报材料完整性审查</a>' in card
    assert f'<a href="/projects/{world["county"].pk}/">申报材料完整性审查</a>' in card
    assert "责任单位：昌吉市数字化发展局" in card
    assert f'<a href="/projects/{world["filed"].pk}/">向数字化发展局报备</a>' in card
    assert "责任单位：昌吉州教育局" in card
    login("county")
    card = _deadline_card(client.get("/").content.decode())
    assert "逾期 1 项" in card and f'href="/reviews/projects/{world["county"].pk}/"' in card


@time_machine.travel(NOW, tick=False)
def test_no_link_to_a_project_the_viewer_may_not_see(client, login, world):
    """A member unit's deadline on a project still under the bureau's check: listed, not linked."""
    obligation_create(project=world["edu"], code="SLA-MEMBER-X", title="成员单位事项", article="第十四条",
                      due_date=dt.date(2026, 3, 20), responsible_org=_org("cj-crypto"))
    login("crypto")
    deadlines = client.get("/deadlines/").content.decode()
    assert "成员单位事项" in deadlines and "CJ-2026-9401 州教育局待受理项目" in deadlines
    assert f'href="/projects/{world["edu"].pk}/"' not in deadlines
    card = _deadline_card(client.get("/").content.decode())
    assert "成员单位事项" in card and "<a " not in card.split("成员单位事项")[0].rsplit("<li>", 1)[1]


@time_machine.travel(NOW, tick=False)
def test_the_home_page_reads_deadlines_in_a_fixed_number_of_queries(client, login, world, demo_users):
    login("reviewer")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/").status_code == 200
    for n in range(5):
        _check(_project(demo_users, f"CJ-2026-95{n:02d}", "cj-health", f"卫健委项目{n}"), "cj-digital")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/").content.decode()
    assert "逾期 8 项" in page
    assert len(many) == len(few)


@time_machine.travel(NOW, tick=False)
def test_a_classified_projects_deadline_is_shown_to_cleared_bureau_users_only(client, login, world, demo_users):
    """The deadline names the project: an uncleared officer, who cannot open it, does not see it listed."""
    secret = Project.objects.create(code="CJ-2026-9499", name="涉密公文传输系统改造", year=2026, status="submitted",
                                    unit=_org("cj-edu"), level="prefecture", classified=True,
                                    created_by=demo_users["applicant"])
    _check(secret, "cj-digital")
    login("reviewer")
    assert client.get(f"/projects/{secret.pk}/").status_code == 404
    for page in (_deadline_card(client.get("/").content.decode()), client.get("/deadlines/").content.decode()):
        assert "涉密公文传输系统改造" not in page and "CJ-2026-9499" not in page
    assert "逾期 3 项" in _deadline_card(client.get("/").content.decode())
    demo_users["reviewer"].classified_access = True
    demo_users["reviewer"].save(update_fields=["classified_access"])
    card = _deadline_card(client.get("/").content.decode())
    assert "逾期 4 项" in card and f'<a href="/reviews/projects/{secret.pk}/">申报材料完整性审查</a>' in card
    assert "涉密公文传输系统改造" in client.get("/deadlines/").content.decode()
    # The applicant unit still sees the deadline on its own classified project.
    login("applicant")
    assert "涉密公文传输系统改造" in client.get("/deadlines/").content.decode()
