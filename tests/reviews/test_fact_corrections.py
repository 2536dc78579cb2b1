"""更正审查事实 (Art. 12, 14; ADR 0220): the reviewing bureau corrects an applicant's Art. 12 answer and the
project is re-assessed on the corrected facts."""

from __future__ import annotations

import json

import pytest

from tests.reviews.helpers import assessment
from tongchou.audit.models import AuditEvent
from tongchou.notifications.models import Notification
from tongchou.projects.models import Project
from tongchou.projects.selectors import project_latest_assessment

API = "/api/v1/reviews"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def as_user(client, demo_users, username):
    client.logout()
    client.force_login(demo_users[username])
    return client


@pytest.fixture
def routed(client, demo_users, make_project, clock):
    project = make_project(name="州教育局智慧校园平台", construction_cost=3_000_000)
    as_user(client, demo_users, "reviewer")
    response = post(client, f"{API}/projects/{project.pk}/route", {"assessment": assessment()})
    assert response.status_code == 200, response.content.decode()
    project.refresh_from_db()
    assert project.status == "under_review"
    return project


@pytest.mark.django_db(transaction=True)
def test_the_bureau_corrects_crypto_compliance_and_the_project_is_reassessed(client, demo_users, routed):
    as_user(client, demo_users, "reviewer")
    response = post(client, f"{API}/projects/{routed.pk}/fact-corrections",
                    {"changes": {"crypto_compliant": False}, "reason": "密码应用方案未通过密评，见审查意见"})
    assert response.status_code == 200, response.content.decode()
    body = response.json()
    assert body["changes"][0]["field"] == "crypto_compliant"
    assert (body["changes"][0]["before"], body["changes"][0]["after"]) == (True, False)

    routed.refresh_from_db()
    assert routed.crypto_compliant is False
    latest = project_latest_assessment(project=routed)
    assert latest.purpose == "fact_correction"
    assert latest.facts["crypto_compliant"] is False
    assert latest.result["support"] == "not_supported"
    assert routed.support == "not_supported"
    assert "第十二条" in json.dumps(latest.result["findings"], ensure_ascii=False)
    # The opened round keeps its path.
    assert routed.review_rounds.get().review_path == "joint_review"

    event = AuditEvent.objects.get(event="project.facts_corrected", target_id=str(routed.pk))
    assert event.actor_name == "reviewer"
    assert event.data["reason"] == "密码应用方案未通过密评，见审查意见"
    assert event.data["changes"] == [{"field": "crypto_compliant", "label": "符合密码应用和网络安全保密要求",
                                      "article": "第十二条第（五）项", "before": True, "after": False}]
    assert event.data["assessment"] == latest.pk

    # The applicant unit is told, and sees the correction with its reason.
    told = Notification.objects.filter(recipient=demo_users["applicant"], subject__contains="审查事实已更正")
    assert told.exists()
    as_user(client, demo_users, "applicant")
    listed = client.get(f"{API}/projects/{routed.pk}/fact-corrections")
    assert listed.status_code == 200
    rows = listed.json()["corrections"]
    assert rows[0]["reason"] == "密码应用方案未通过密评，见审查意见"
    assert rows[0]["changes"][0]["after_label"] == "否"
    page = client.get(f"/reviews/projects/{routed.pk}/").content.decode()
    assert "审查事实更正" in page and "密码应用方案未通过密评" in page
    assert "更正审查事实" not in page  # the form is the bureau's
    detail = client.get(f"/projects/{routed.pk}/").content.decode()
    assert "数字化发展局更正的申报事实" in detail and "密码应用方案未通过密评" in detail


@pytest.mark.django_db
def test_a_missing_reason_is_refused_naming_the_field_and_nothing_changes(client, demo_users, routed):
    before = routed.assessments.count()
    as_user(client, demo_users, "reviewer")
    response = post(client, f"{API}/projects/{routed.pk}/fact-corrections", {"changes": {"crypto_compliant": False}})
    assert response.status_code == 422
    error = response.json()
    assert error["field"] == "reason" and "更正理由" in error["detail"]
    routed.refresh_from_db()
    assert routed.crypto_compliant is True
    assert routed.assessments.count() == before
    assert not AuditEvent.objects.filter(event="project.facts_corrected").exists()

    unknown = post(client, f"{API}/projects/{routed.pk}/fact-corrections",
                   {"changes": {"construction_cost": 1}, "reason": "x"})
    assert unknown.status_code == 422 and unknown.json()["field"] == "changes.construction_cost"


@pytest.mark.django_db
def test_the_applicant_and_another_bureau_cannot_correct(client, demo_users, routed):
    for username, codes in (("applicant", {403}), ("county", {403, 404}), ("applicant2", {404}), ("crypto", {403, 404})):
        as_user(client, demo_users, username)
        response = post(client, f"{API}/projects/{routed.pk}/fact-corrections",
                        {"changes": {"crypto_compliant": False}, "reason": "不符合"})
        assert response.status_code in codes, (username, response.status_code)
    routed.refresh_from_db()
    assert routed.crypto_compliant is True
    assert not AuditEvent.objects.filter(event="project.facts_corrected").exists()


@pytest.mark.django_db
def test_a_different_path_is_shown_to_the_bureau_and_the_round_is_not_rerouted(client, demo_users, make_project, clock):
    # Opened as a joint review although 30万元 on the facts takes another path (Art. 16).
    project = make_project(name="州教育局排课系统升级", construction_cost=300_000, project_type="rebuild")
    as_user(client, demo_users, "reviewer")
    assert post(client, f"{API}/projects/{project.pk}/route", {"assessment": assessment()}).status_code == 200
    response = client.post(f"/reviews/projects/{project.pk}/", {
        "action": "fact_correction", "field": "original_project_accepted", "value": "false",
        "reason": "原项目尚未竣工验收（现场核查）"})
    assert response.status_code == 302
    shown = client.get(f"/reviews/projects/{project.pk}/").content.decode()
    project.refresh_from_db()
    assert project.original_project_accepted is False, shown[shown.find("error"):][:600]
    row = client.get(f"{API}/projects/{project.pk}/fact-corrections").json()["corrections"][0]
    assert row["path_differs"] is True and row["round_path"] == "joint_review"
    assert row["path_notice"].startswith("按更正后的事实应走：")
    page = client.get(f"/reviews/projects/{project.pk}/").content.decode()
    assert row["path_notice"] in page and "原项目尚未竣工验收（现场核查）" in page
    assert Project.objects.get(pk=project.pk).review_rounds.get().review_path == "joint_review"

    # A refused page form names the field and changes nothing.
    client.post(f"/reviews/projects/{project.pk}/", {"action": "fact_correction", "field": "goals_clear",
                                                      "value": "false", "reason": ""})
    project.refresh_from_db()
    assert project.goals_clear is True
    assert "更正理由" in client.get(f"/reviews/projects/{project.pk}/").content.decode()


@pytest.mark.django_db
def test_a_county_bureau_corrects_its_countys_project_and_the_prefecture_bureau_cannot(client, demo_users,
                                                                                    make_project, clock):
    project = make_project(unit_code=demo_users["countyapp"].organisation.code, level="county",
                           submitter="countyapp", name="县教育局智慧校园", construction_cost=3_000_000)
    body = {"changes": {"data_sharing_done": False}, "reason": "未接入共享交换平台"}
    as_user(client, demo_users, "reviewer")
    assert post(client, f"{API}/projects/{project.pk}/fact-corrections", body).status_code in {403, 404}
    as_user(client, demo_users, "county")
    response = post(client, f"{API}/projects/{project.pk}/fact-corrections", body)
    assert response.status_code == 200, response.content.decode()
    project.refresh_from_db()
    assert project.data_sharing_done is False
    assert project_latest_assessment(project=project).purpose == "fact_correction"
