"""Art. 25: a performance report is 报送州财政局审核 — finance accepts it or returns it with reasons; the unit
corrects a returned report and resubmits it (ADR 0191). Through the API and the 绩效管理 tab."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from tongchou.accounts.models import Organisation, User
from tongchou.audit.models import AuditEvent
from tongchou.delivery.models import PerformanceReport
from tongchou.notifications.models import Notification
from tongchou.projects.models import Project, Status

TZ = dt.timezone(dt.timedelta(hours=8))
MONITORING = {"year": 2025, "period": "上半年", "progress_percent": "40", "budget": "1200000", "spent": "400000"}


def at(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=TZ), tick=False)


def _queue(client, user) -> list[tuple[str, int, str]]:
    client.force_login(user)
    response = client.get("/api/v1/reviews/queue")
    assert response.status_code == 200
    return [(i["queue"], i["project"], i["note"]) for i in response.json()["items"] if i["queue"] == "performance"]


def _told(subject_part: str) -> set[str]:
    return set(Notification.objects.filter(subject__contains=subject_part)
               .values_list("recipient__username", flat=True))


def _fresh(user) -> None:
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
    user.refresh_from_db()


@pytest.fixture
def submitted(project_in, api):
    """A monitoring report finance scheduled and the unit submitted on 2025-07-10."""
    project = project_in(Status.IMPLEMENTATION)
    with at("2025-06-01"):
        status, body = api("finance", "post", f"/projects/{project.pk}/performance-reports",
                           {"kind": "monitoring", "year": 2025, "period": "上半年", "due_on": "2025-07-15"})
        assert status == 201
    with at("2025-07-10"):
        status, body = api("applicant", "post", f"/projects/{project.pk}/performance/monitoring", MONITORING)
        assert status == 200, body
        assert body["review"]["status"] == "pending"
    return project, body["id"]


@pytest.mark.django_db
def test_a_prefecture_projects_report_deadline_names_finance(submitted):
    from tongchou.obligations.models import Obligation

    project, _ = submitted
    titles = list(Obligation.objects.filter(project=project, code__startswith="DELIVERY-PERF")
                  .values_list("title", flat=True))
    assert titles == ["2025年上半年运行监控报告（报送州财政局）"]


@pytest.mark.django_db
def test_finance_returns_the_unit_resubmits_finance_accepts(submitted, api, client, demo_users,
                                                           django_capture_on_commit_callbacks):
    project, report_id = submitted
    url = f"/projects/{project.pk}/performance-reports/{report_id}/review"
    link = f"/projects/{project.pk}/delivery/?tab=performance"
    others = ["applicant", "applicant2", "reviewer", "bureau", "crypto", "police", "ndrc", "county", "countyapp"]
    assert _queue(client, demo_users["finance"]) == [("performance", project.pk, "2025年度上半年运行监控报告")]
    for username in others:
        assert _queue(client, demo_users[username]) == [], username
    _fresh(demo_users["finance"])
    client.force_login(demo_users["finance"])
    desk = client.get("/reviews/").content.decode()
    assert "待审核绩效报告" in desk and f'href="{link}"' in desk
    with at("2025-07-20"):
        # a return needs its reasons, named on the field; nothing is stored
        status, body = api("finance", "post", url, {"accept": False, "note": "  "})
        assert (status, body["field"]) == (400, "note") and "退回理由" in body["detail"]
        # only finance reviews: the unit and the commission are refused
        for username in ("applicant", "ndrc"):
            status, body = api(username, "post", url, {"accept": True})
            assert status == 403 and "州财政局" in body["detail"], username
        assert PerformanceReport.objects.get(pk=report_id).review_status == "pending"
        with django_capture_on_commit_callbacks(execute=False) as pending:
            status, body = api("finance", "post", url, {"accept": False, "note": "执行数与进度不符，请核实执行数。"})
        assert status == 200, body
        # the unit is told after the commit, not inside the decision's transaction
        assert _told("绩效报告被退回") == set() and len(pending) == 1
        pending[0]()
        assert body["review"] == {"status": "returned", "status_label": "退回修改", "note": "执行数与进度不符，请核实执行数。",
                                  "reviewed_on": "2025-07-20", "times_returned": 1}
        # the unit is told, with the reasons; the queue is empty until the unit resubmits
        assert _told("绩效报告被退回") == {"applicant", "leader"}
        row = Notification.objects.filter(subject__contains="绩效报告被退回").first()
        assert "执行数与进度不符" in row.body and row.link == f"/projects/{project.pk}/delivery/"
        assert _queue(client, demo_users["finance"]) == []
        # a returned report is not reviewed again before it is corrected
        assert api("finance", "post", url, {"accept": True})[0] == 409
        # the tab shows the return and its reasons to the unit
        _fresh(demo_users["applicant"])
        client.force_login(demo_users["applicant"])
        page = client.get(link).content.decode()
        assert "已退回修改" in page and "执行数与进度不符，请核实执行数。" in page and "请修改后重新报送" in page
    with at("2025-07-25"):
        status, body = api("applicant", "post", f"/projects/{project.pk}/performance/monitoring",
                           {**MONITORING, "spent": "380000"})
        assert status == 200, body
        assert (body["spent"], body["submitted_on"], body["review"]["status"]) == ("380000", "2025-07-25", "pending")
        # a pending report is not submitted twice
        assert api("applicant", "post", f"/projects/{project.pk}/performance/monitoring", MONITORING)[0] == 409
        assert _queue(client, demo_users["finance"]) == [
            ("performance", project.pk, "2025年度上半年运行监控报告（第2次报送）")]
        # finance accepts on the page (the 绩效管理 tab's form)
        _fresh(demo_users["finance"])
        client.force_login(demo_users["finance"])
        page = client.get(link).content.decode()
        form = f"/projects/{project.pk}/delivery/performance-review/{report_id}/"
        assert form in page and "第2次报送" in page
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(form, {"accept": "1", "note": "同意。"})
        assert response.status_code == 302 and response["Location"].endswith("?tab=performance")
    report = PerformanceReport.objects.get(pk=report_id)
    assert (report.review_status, report.reviewed_by_id, report.times_returned) == ("accepted", demo_users["finance"].pk, 1)
    assert _told("绩效报告审核通过") == {"applicant", "leader"}
    assert _queue(client, demo_users["finance"]) == []
    reviews = list(AuditEvent.objects.filter(event="delivery.performance.review").order_by("id"))
    assert [(e.data["status"], e.actor_id) for e in reviews] == [
        ("returned", demo_users["finance"].pk), ("accepted", demo_users["finance"].pk)]
    assert AuditEvent.objects.filter(event="delivery.performance.monitoring", data__resubmitted=True).count() == 1
    # an accepted report is closed to the unit and to a second review
    assert api("applicant", "post", f"/projects/{project.pk}/performance/monitoring", MONITORING)[0] == 409
    assert api("finance", "post", f"/projects/{project.pk}/performance-reports/{report_id}/review",
               {"accept": False, "note": "再议"})[0] == 409


@pytest.mark.django_db
def test_a_report_not_yet_submitted_cannot_be_reviewed_and_another_projects_id_is_404(project_in, api, demo_users):
    project = project_in(Status.IMPLEMENTATION)
    with at("2025-06-01"):
        status, body = api("finance", "post", f"/projects/{project.pk}/performance-reports",
                           {"kind": "monitoring", "year": 2025, "period": "上半年", "due_on": "2025-07-15"})
        report_id = body["id"]
        status, body = api("finance", "post", f"/projects/{project.pk}/performance-reports/{report_id}/review",
                           {"accept": True})
        assert (status, body["code"]) == (409, "not_submitted")
        other = Project.objects.create(code="CJ-2025-0902", name="另一项目", unit=project.unit, year=2025,
                                       status=Status.IMPLEMENTATION, created_by=demo_users["applicant"])
        assert api("finance", "post", f"/projects/{other.pk}/performance-reports/{report_id}/review",
                   {"accept": True})[0] == 404


@pytest.mark.django_db
def test_a_county_projects_report_is_reviewed_by_the_county_bureau_lead(demo_users, api, client,
                                                                       django_capture_on_commit_callbacks):
    lead = demo_users["countylead"]
    project = Project.objects.create(code="CJS-2025-0002", name="昌吉市教育云", year=2025, level="county",
                                     status=Status.OPERATING, unit=Organisation.objects.get(code="changji-edu"),
                                     created_by=demo_users["countyapp"])
    with at("2025-06-01"):
        # finance may not schedule a county report: the project does not exist for it
        assert api("finance", "post", f"/projects/{project.pk}/performance-reports",
                   {"kind": "monitoring", "year": 2025, "period": "上半年", "due_on": "2025-07-15"})[0] == 404
        client.force_login(lead)
        response = client.post(f"/api/v1/delivery/projects/{project.pk}/performance-reports",
                               {"kind": "monitoring", "year": 2025, "period": "上半年", "due_on": "2025-07-15"},
                               content_type="application/json")
        assert response.status_code == 201, response.content
        report_id = response.json()["id"]
        # The deadline names who the report goes to: the county bureau lead, not the prefecture's finance.
        _fresh(demo_users["countyapp"])
        client.force_login(demo_users["countyapp"])
        deadlines = client.get("/deadlines/").content.decode()
        assert "2025年上半年运行监控报告（报送县市数字化发展局负责人）" in deadlines and "报送州财政局" not in deadlines
    with at("2025-07-10"):
        assert api("countyapp", "post", f"/projects/{project.pk}/performance/monitoring", MONITORING)[0] == 200
    assert _told("绩效报告已报送") == {"countylead"}
    assert _queue(client, lead) == [("performance", project.pk, "2025年度上半年运行监控报告")]
    assert _queue(client, demo_users["finance"]) == []
    status, body = api("county", "post", f"/projects/{project.pk}/performance-reports/{report_id}/review",
                       {"accept": True})
    assert status == 403 and "县市数字化发展局负责人" in body["detail"]
    with at("2025-07-12"):
        client.force_login(lead)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(f"/api/v1/delivery/projects/{project.pk}/performance-reports/{report_id}/review",
                                   {"accept": True, "note": ""}, content_type="application/json")
        assert response.status_code == 200 and response.json()["review"]["status"] == "accepted"
    assert _told("绩效报告审核通过") == {"countyapp"}
    assert _queue(client, lead) == []
