"""From the 工作台 to where the work is done: each review task named by its member and linked to its column,
the bureau's 待受理 on the desk and the project page, the unit's 补正 and 报备 in its 待我办理."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.reviews.helpers import COMMENTS, assessment
from tongchou.projects.models import Project, Status
from tongchou.reviews.approvals import approval_record
from tongchou.reviews.consolidation import consolidation_draft, consolidation_issue
from tongchou.reviews.opinions import opinion_submit, supplement_request
from tongchou.reviews.routing import review_route

pytestmark = pytest.mark.django_db


def _card(page: str, label: str) -> str:
    assert f'aria-label="{label}"' in page, label
    return page.split(f'aria-label="{label}"')[1].split("</section>")[0]


def _county_round(make_project, users, name="昌吉市社区养老服务信息平台"):
    project = make_project(unit_code="changji-edu", level="county", submitter="countyapp", name=name)
    return project, review_route(project=project, assessment=assessment(
        "security_review", ["crypto_bureau", "public_security"], expert_review=False), actor=users["county"])


def test_each_task_on_the_home_page_names_its_member_and_links_to_its_column(client, demo_users, make_project,
                                                                             clock):
    project, review_round = _county_round(make_project, demo_users)
    tasks = {t.member: t for t in review_round.tasks.all()}
    client.force_login(demo_users["county"])
    card = _card(client.get("/").content.decode(), "待办审查")
    for member, label in (("crypto_bureau", "机要保密局（密码应用·保密·关键部件选型）"),
                          ("public_security", "公安局（安全监管·等级保护）")):
        task = tasks[member]
        assert (f'<a href="/reviews/rounds/{review_round.pk}/#task-{task.pk}">昌吉市社区养老服务信息平台 · {label}</a>'
                in card), member
    assert f'id="task-{tasks["public_security"].pk}"' in client.get(f"/reviews/rounds/{review_round.pk}/").content.decode()
    desk = client.get("/reviews/").content.decode()
    assert "公安局（安全监管·等级保护）" in desk and f"#task-{tasks['crypto_bureau'].pk}" in desk


def test_the_bureau_that_runs_a_submitted_project_finds_it_waiting_for_acceptance(client, demo_users, make_project,
                                                                                 clock):
    older = make_project(name="州教育局先提交项目")
    clock.move_to(timezone.now() + dt.timedelta(days=1))
    newer = make_project(name="州教育局后提交项目")
    county = make_project(unit_code="changji-edu", level="county", submitter="countyapp", name="昌吉市待受理项目")

    for username in ("reviewer", "bureau"):
        client.force_login(demo_users[username])
        section = _card(client.get("/reviews/").content.decode(), "待受理")
        assert section.index("州教育局先提交项目") < section.index("州教育局后提交项目")
        assert f'href="/reviews/projects/{older.pk}/"' in section and "昌吉市待受理项目" not in section
        home = _card(client.get("/").content.decode(), "待我办理")
        assert f'href="/reviews/projects/{newer.pk}/"' in home and "待受理" in home
        detail = client.get(f"/projects/{older.pk}/").content.decode()
        actions = _card(detail, "可办理的操作")
        assert (f'<a href="/reviews/projects/{older.pk}/" class="button primary" data-testid="intake">受理并启动审查</a>'
                in actions) and "退回补正" in actions
    client.force_login(demo_users["county"])
    section = _card(client.get("/reviews/").content.decode(), "待受理")
    assert f'href="/reviews/projects/{county.pk}/"' in section and "州教育局" not in section
    for username in ("applicant", "crypto", "ndrc"):
        client.force_login(demo_users[username])
        assert 'aria-label="待受理"' not in client.get("/reviews/").content.decode(), username
        assert 'data-testid="intake"' not in client.get(f"/projects/{older.pk}/").content.decode(), username

    # Accepting (routing by the assessment) takes the project off the list.
    review_route(project=older, assessment=assessment(), actor=demo_users["reviewer"])
    assert Project.objects.get(pk=older.pk).status == Status.UNDER_REVIEW
    client.force_login(demo_users["reviewer"])
    section = _card(client.get("/reviews/").content.decode(), "待受理")
    assert "州教育局先提交项目" not in section and "州教育局后提交项目" in section


def test_the_unit_finds_its_supplement_and_its_filing_in_its_waiting_work(client, demo_users, make_project, clock):
    project, review_round = _county_round(make_project, demo_users)
    task = review_round.tasks.get(member="public_security")
    asked = supplement_request(task=task, actor=demo_users["county"], question="请补充等级保护定级报告。")
    client.force_login(demo_users["countyapp"])
    card = _card(client.get("/").content.decode(), "待我办理")
    assert "待补正" in card and f'href="/reviews/#supplement-{asked.pk}"' in card
    assert f'id="supplement-{asked.pk}"' in client.get("/reviews/").content.decode()
    client.force_login(demo_users["applicant"])  # another unit
    assert 'aria-label="待我办理"' not in client.get("/").content.decode()

    client.force_login(demo_users["countyapp"])
    client.post(f"/reviews/supplements/{asked.pk}/answer/", {f"a{asked.pk}-answer": "已上传定级报告。"})
    assert 'aria-label="待我办理"' not in client.get("/").content.decode()

    for t in review_round.tasks.all():
        opinion_submit(task=t, actor=demo_users["county"], conclusion="agree", comments=COMMENTS[t.member])
    consolidation_issue(consolidated=consolidation_draft(review_round=review_round, actor=demo_users["county"]),
                        actor=demo_users["countylead"])
    approval_record(project=project, actor=demo_users["countylead"], doc_number="昌市发改〔2025〕3号",
                    approval_date=dt.date(2025, 3, 3), approved_amount="300000")
    card = _card(client.get("/").content.decode(), "待我办理")
    assert "待报备" in card and f'href="/reviews/projects/{project.pk}/"' in card and "昌市发改〔2025〕3号" in card
    detail = client.get(f"/projects/{project.pk}/").content.decode()
    actions = _card(detail, "可办理的操作")
    assert f'action="/reviews/projects/{project.pk}/"' in actions and 'value="file"' in actions
    client.post(f"/reviews/projects/{project.pk}/", {"action": "file"})
    assert Project.objects.get(pk=project.pk).status == Status.FILED
    assert 'aria-label="待我办理"' not in client.get("/").content.decode()
    assert 'value="file"' not in client.get(f"/projects/{project.pk}/").content.decode()


def test_the_waiting_work_is_read_in_a_fixed_number_of_queries(client, demo_users, make_project, clock):
    make_project(name="项目一")
    client.force_login(demo_users["reviewer"])
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    for n in range(4):
        make_project(name=f"项目{n + 2}")
    with CaptureQueriesContext(connection) as many:
        page = client.get("/")
    assert "待受理" in page.content.decode()
    assert len(many) == len(few)
