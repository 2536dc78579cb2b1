"""The plain lifecycle decisions through the API: who may take them, with the article and the reason."""

from __future__ import annotations

import json

import pytest

from tongchou.accounts.models import Organisation
from tongchou.lifecycle.models import ProjectTransition
from tongchou.lifecycle.services import project_transition
from tongchou.projects.models import Project, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(demo_users):
    project = Project.objects.create(code="CJ-2025-9101", name="州教育局教育资源公共服务平台", year=2025,
                                     unit=Organisation.objects.get(code="cj-edu"), created_by=demo_users["applicant"])
    return project_transition(project=project, action="submit", actor=demo_users["applicant"])


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_bureau_returns_an_application_for_completion_with_a_reason(client, login, submitted):
    login("reviewer")
    offered = client.get(f"/api/v1/projects/{submitted.pk}/actions").json()
    assert {a["action"] for a in offered["actions"]} >= {"return", "start_review"}
    refused = post(client, f"/api/v1/projects/{submitted.pk}/actions/return", {"version": submitted.version})
    assert refused.status_code == 400
    assert refused.json()["field"] == "note" and "理由" in refused.json()["detail"]
    done = post(client, f"/api/v1/projects/{submitted.pk}/actions/return",
                {"note": "可行性研究报告缺少投资估算", "version": submitted.version})
    assert done.status_code == 200 and done.json()["status"] == Status.RETURNED
    step = ProjectTransition.objects.filter(project=submitted).latest("id")
    assert (step.action, step.note, step.article) == ("return", "可行性研究报告缺少投资估算", "第十条")


def test_the_unit_withdraws_but_another_unit_sees_nothing(client, login, submitted):
    login("applicant2")
    assert client.get(f"/api/v1/projects/{submitted.pk}/actions").status_code == 404
    assert post(client, f"/api/v1/projects/{submitted.pk}/actions/withdraw").status_code == 404
    login("applicant")
    assert [a["action"] for a in client.get(f"/api/v1/projects/{submitted.pk}/actions").json()["actions"]] == [
        "withdraw"]
    assert post(client, f"/api/v1/projects/{submitted.pk}/actions/withdraw").json()["status"] == Status.WITHDRAWN


def test_the_unit_may_not_reject_its_own_project(client, login, submitted):
    login("applicant")
    response = post(client, f"/api/v1/projects/{submitted.pk}/actions/reject", {"note": "不想做了"})
    assert response.status_code == 403
    assert Project.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_actions_with_records_of_their_own_are_sent_to_their_page(client, login, submitted):
    login("reviewer")
    response = post(client, f"/api/v1/projects/{submitted.pk}/actions/start_review")
    assert response.status_code == 400
    assert response.json()["code"] == "use_domain_service" and "审查工作台" in response.json()["detail"]


def test_a_stale_version_is_a_conflict(client, login, submitted):
    login("reviewer")
    response = post(client, f"/api/v1/projects/{submitted.pk}/actions/reject", {"note": "第十二条", "version": 1})
    assert response.status_code == 409


def test_the_project_page_offers_the_decision_and_takes_it(client, login, submitted):
    """The bureau sees 退回补正 and 不予支持 on the project page with their articles; the unit sees 撤回."""
    login("reviewer")
    page = client.get(f"/projects/{submitted.pk}/").content.decode()
    assert "退回补正" in page and "依据第十条" in page and "不予支持" not in page  # 不予支持 is the lead's
    response = client.post(f"/projects/{submitted.pk}/decide/return/",
                           {"note": "请补充数据共享分析", "version": submitted.version})
    assert response.status_code == 302
    assert Project.objects.get(pk=submitted.pk).status == Status.RETURNED
    login("bureau")
    assert "不予支持" not in client.get(f"/projects/{submitted.pk}/").content.decode()  # returned: only the unit acts
    login("applicant")
    page = client.get(f"/projects/{submitted.pk}/").content.decode()
    assert "撤回" in page
