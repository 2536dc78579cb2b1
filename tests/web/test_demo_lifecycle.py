"""`tongchou demo` builds its lifecycle projects through the services: every queue has its item for the
right demo user, the delivery stages have something to show, the audit chain verifies, and a second run
changes nothing (ADR 0205)."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from tongchou.accounts.models import User
from tongchou.audit.models import AuditEvent
from tongchou.audit.verify import audit_verify
from tongchou.delivery.models import Contract, Milestone, RectificationOrder, TrialRun
from tongchou.projects.models import Project, SplitFinding
from tongchou.reviews.queues import work_queue
from tongchou.web.home import home_panels

USERS = ["applicant", "leader", "applicant2", "reviewer", "bureau", "crypto", "police", "ndrc", "finance", "county",
         "countylead", "countyapp"]


def _queue(username: str) -> set[tuple[str, str]]:
    return {(i.queue, i.project.name) for i in work_queue(User.objects.get(username=username))}


def _load() -> tuple[str, str, dict[str, int]]:
    first, second = io.StringIO(), io.StringIO()
    call_command("demo", stdout=first)
    counts = {"events": AuditEvent.objects.count(), "projects": Project.objects.count()}
    call_command("demo", stdout=second)
    return first.getvalue(), second.getvalue(), counts


@pytest.mark.django_db
def test_the_demo_is_a_working_prefecture_built_through_the_services(client):
    """One load (it takes seconds), every check on it."""
    demo_output = _load()
    _each_queue_has_its_item_for_the_right_user()
    _the_delivery_stages_have_something_to_show()
    _every_demo_workbench_has_something_to_do()
    _the_chain_verifies_and_a_second_run_creates_nothing(demo_output)
    _the_pages_show_it(client)  # last: visiting pages writes audit events of its own


def _the_pages_show_it(client) -> None:
    implementation = Project.objects.get(name="州智慧校园综合管理平台")
    client.force_login(User.objects.get(username="applicant"))
    for tab in ("procurement", "implementation", "security", "acceptance", "performance", "om"):
        response = client.get(f"/projects/{implementation.pk}/delivery/?tab={tab}")
        assert response.status_code == 200, tab
    assert "免费运维" in client.get(f"/projects/{implementation.pk}/delivery/?tab=procurement").content.decode()
    for username in USERS:
        client.force_login(User.objects.get(username=username))
        assert client.get("/").status_code == 200, username


def _each_queue_has_its_item_for_the_right_user() -> None:
    assert ("approval", "州医保电子凭证全场景应用平台") in _queue("ndrc")
    assert ("budget", "州教育督导评估信息系统") in _queue("finance")
    assert ("performance", "州中小学学生综合素质评价系统") in _queue("finance")
    assert ("om_request", "州中小学学生综合素质评价系统") in _queue("finance")
    assert ("approval", "昌吉市教师研修管理平台") in _queue("countylead")
    # the county's queue is the county lead's alone (Art. 19, 36)
    assert not {name for _, name in _queue("ndrc") | _queue("finance")} & {"昌吉市教师研修管理平台"}


def _the_delivery_stages_have_something_to_show() -> None:
    by_name = {p.name: p for p in Project.objects.all()}
    assert by_name["州智慧校园综合管理平台"].status == "implementation"
    contract = Contract.objects.get(project=by_name["州智慧校园综合管理平台"])
    assert "ART23-FREE-OM" in str(contract.findings)
    assert Milestone.objects.filter(project=by_name["州智慧校园综合管理平台"]).count() == 3
    ready = by_name["州医保经办服务综合管理平台"]
    assert ready.status == "trial_operation" and TrialRun.objects.get(project=ready).normal
    assert by_name["州中小学学生综合素质评价系统"].status == "operating"
    assert RectificationOrder.objects.filter(project=by_name["州中小学学生综合素质评价系统"]).exists()
    county = by_name["昌吉市中小学校园安全视频监控平台"]
    assert county.status == "implementation"
    assert AuditEvent.objects.filter(target_id=str(county.pk), actor__username="countylead",
                                     event__startswith="reviews.").exists()
    assert SplitFinding.objects.filter(project__name__startswith="州医保定点机构移动稽核系统").exists()
    from tongchou.projects.splitfindings import split_findings_visible_to

    assert split_findings_visible_to(User.objects.get(username="bureau")).exists()


def _every_demo_workbench_has_something_to_do() -> None:
    for username in USERS:
        panels = home_panels(User.objects.get(username=username))
        todo = panels["queue_count"] + panels["overdue_count"] + panels["soon_count"] + len(panels["tasks"])
        assert todo, username


def _the_chain_verifies_and_a_second_run_creates_nothing(demo_output: tuple[str, str, dict[str, int]]) -> None:
    first, second, counts = demo_output
    assert audit_verify().broken is None
    assert (AuditEvent.objects.count(), Project.objects.count()) == (counts["events"], counts["projects"])
    assert "全流程演示项目：新建 9 个" in first and "全流程演示项目：新建 0 个，已有 9 个" in second
    assert "各演示账号登录后可以看到" in first and "countylead" in first.split("各演示账号")[1]
