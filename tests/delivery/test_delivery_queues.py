"""Delivery steps that wait on a member unit reach it (ADR 0166, 0167): the acceptance application the
development and reform commission (Art. 24), the O&M funding request and the performance report finance
(Art. 24, 25, 29, 30) — as a notice, in the queue (desk, 工作台, API) and on the page the link opens."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tongchou.accounts.models import Organisation
from tongchou.delivery.models import OMFundingRequest, TrialRun
from tongchou.notifications.models import Notification
from tongchou.projects.models import Project, Status

TZ = dt.timezone(dt.timedelta(hours=8))
MEMBERS = ["applicant", "applicant2", "reviewer", "bureau", "crypto", "police", "ndrc", "finance", "county",
           "countyapp"]


def _told(subject_part: str) -> set[str]:
    return set(Notification.objects.filter(subject__contains=subject_part)
               .values_list("recipient__username", flat=True))


def _page_login(client, demo_users, username):
    """Pages under a moved clock: the 90-day password prompt would otherwise answer first."""
    from django.utils import timezone

    from tongchou.accounts.models import User

    User.objects.filter(username=username).update(password_changed_at=timezone.now())
    demo_users[username].refresh_from_db()
    client.force_login(demo_users[username])


def _queue(client, demo_users, username):
    client.force_login(demo_users[username])
    response = client.get("/api/v1/reviews/queue")
    assert response.status_code == 200
    return [(i["queue"], i["project"], i["link"]) for i in response.json()["items"]]


@pytest.fixture
def eligible_engine(monkeypatch):
    monkeypatch.setattr("tongchou.delivery.services.om.assess",
                        lambda facts: {"om_funding": {"eligible": True, "reasons": []}, "findings": []})


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 4, 15, 10, tzinfo=TZ), tick=False)
def test_an_acceptance_application_reaches_ndrc_and_its_queue(project_in, api, client, demo_users):
    project = project_in(Status.TRIAL_OPERATION)
    TrialRun.objects.create(project=project, started_on=dt.date(2026, 1, 12), ended_on=dt.date(2026, 4, 10),
                            normal=True, summary="运行正常")
    status, body = api("applicant", "post", f"/projects/{project.pk}/acceptance/apply", {"report": "竣工验收报告全文"})
    assert status == 200 and body["status"] == "acceptance_applied"
    assert _told("竣工验收申请") == {"ndrc"}
    link = f"/projects/{project.pk}/delivery/"
    for username in MEMBERS:
        expected = [("acceptance", project.pk, link)] if username == "ndrc" else []
        assert _queue(client, demo_users, username) == expected, username
    _page_login(client, demo_users, "ndrc")
    desk = client.get("/reviews/").content.decode()
    assert "待受理验收申请" in desk and f'href="{link}"' in desk and "待组建验收委员会" in desk
    home = client.get("/").content.decode()
    assert "待我办理" in home and f'href="{link}"' in home
    assert client.get(link).status_code == 200


@pytest.mark.django_db
def test_a_county_acceptance_application_tells_its_county_bureau_lead_not_a_prefecture_member(demo_users, client):
    project = Project.objects.create(code="CJS-2025-0001", name="昌吉市教育云", year=2025, level="county",
                                     status=Status.TRIAL_OPERATION, unit=Organisation.objects.get(code="changji-edu"),
                                     created_by=demo_users["countyapp"])
    from tongchou.delivery.services.acceptance import acceptance_apply

    TrialRun.objects.create(project=project, started_on=dt.date(2025, 1, 12), ended_on=dt.date(2025, 4, 10),
                            normal=True, summary="运行正常")
    acceptance_apply(project=project, actor=demo_users["countyapp"], report="报告")
    assert _told("竣工验收申请") == {"countylead"}
    assert _queue(client, demo_users, "ndrc") == []


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2027, 4, 20, 10, tzinfo=TZ), tick=False)
def test_an_om_request_reaches_finance_and_leaves_the_queue_once_decided(project_in, api, client, demo_users,
                                                                        eligible_engine):
    project = project_in(Status.OPERATING)
    status, body = api("applicant", "post", f"/projects/{project.pk}/om-requests", {"year": 2027, "amount": "80000"})
    assert status == 201, body
    assert _told("运维经费申请") == {"finance"}
    link = f"/projects/{project.pk}/delivery/"
    for username in MEMBERS:
        expected = [("om_request", project.pk, link)] if username == "finance" else []
        assert _queue(client, demo_users, username) == expected, username
    _page_login(client, demo_users, "finance")
    desk = client.get("/reviews/").content.decode()
    assert "待审核运维经费" in desk and "2027年度 80000.00 元" in desk
    page = client.get(link).content.decode()
    request_id = OMFundingRequest.objects.get().pk
    assert f"/om-requests/{request_id}/decision/" in page  # the decision form is on the linked page
    status, body = api("finance", "post", f"/projects/{project.pk}/om-requests/{request_id}/decision",
                       {"approve": True})
    assert body["status"] == "approved"
    assert _queue(client, demo_users, "finance") == []


@pytest.mark.django_db
def test_a_performance_report_reaches_finance_only(project_in, api, demo_users):
    project = project_in(Status.IMPLEMENTATION)
    with time_machine.travel(dt.datetime(2025, 6, 1, 10, tzinfo=TZ), tick=False):
        status, _ = api("finance", "post", f"/projects/{project.pk}/performance-reports",
                        {"kind": "monitoring", "year": 2025, "period": "上半年", "due_on": "2025-07-15"})
        assert status == 201
        assert _told("绩效报告") == set()  # scheduling is not a report
        status, body = api("applicant", "post", f"/projects/{project.pk}/performance/monitoring", {
            "year": 2025, "period": "上半年", "progress_percent": "40", "budget": "1200000", "spent": "400000"})
        assert status == 200, body
    assert _told("绩效报告已报送") == {"finance"}
    row = Notification.objects.get(subject__contains="绩效报告已报送")
    assert "2025年度上半年运行监控报告" in row.subject and row.link == f"/projects/{project.pk}/delivery/"


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2027, 4, 20, 10, tzinfo=TZ), tick=False)
def test_a_classified_projects_om_request_reaches_only_an_entitled_finance_reviewer(project_in, api, demo_users,
                                                                                   eligible_engine):
    project = project_in(Status.OPERATING)
    Project.objects.filter(pk=project.pk).update(classified=True)
    status, _ = api("applicant", "post", f"/projects/{project.pk}/om-requests", {"year": 2027, "amount": "80000"})
    assert status == 201
    assert _told("运维经费申请") == set()
    OMFundingRequest.objects.all().delete()
    finance = demo_users["finance"]
    finance.classified_access = True
    finance.save()
    status, _ = api("applicant", "post", f"/projects/{project.pk}/om-requests", {"year": 2027, "amount": "80000"})
    assert status == 201
    assert _told("运维经费申请") == {"finance"}
