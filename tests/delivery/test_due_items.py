"""Reminders: 密评 and 等保 obligations (Art. 22), performance reports (Art. 25), cloud migration (Art. 5),
with a frozen clock."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from tongchou.delivery.models import InventorySystem, PerformanceReport
from tongchou.delivery.selectors import delivery_due_items
from tongchou.projects.models import Status

TZ = dt.timezone(dt.timedelta(hours=8))


def frozen(day: str):
    return time_machine.travel(dt.datetime.fromisoformat(day).replace(hour=9, tzinfo=TZ), tick=False)


def kinds(items):
    return {(i.kind, i.due_on.isoformat(), i.overdue) for i in items}


@pytest.fixture
def live(project_in, api):
    """Gone live on 2026-01-12 (trial operation), 等保 grade 3, crypto plan recorded."""
    project = project_in(Status.IMPLEMENTATION)
    with frozen("2026-01-12"):
        api("applicant", "put", f"/projects/{project.pk}/security", {"crypto_plan": "方案", "grade": 3})
        status, body = api("applicant", "post", f"/projects/{project.pk}/trial/start", {"started_on": "2026-01-12"})
        assert body["status"] == "trial_operation"
    return project


@pytest.mark.django_db
def test_the_dengbao_filing_is_due_30_days_after_going_live(live, api):
    with frozen("2026-01-13"):
        items = delivery_due_items()
        assert ("djcp_filing", "2026-02-11", False) in kinds(items)
        assert [i.days_left for i in items if i.kind == "djcp_filing"] == [29]
    with frozen("2026-02-11"):
        assert ("djcp_filing", "2026-02-11", False) in kinds(delivery_due_items())  # the last day is still in time
    with frozen("2026-02-12"):
        assert ("djcp_filing", "2026-02-11", True) in kinds(delivery_due_items())
        api("applicant", "put", f"/projects/{live.pk}/security", {"filed_on": "2026-02-12", "filing_number": "X1"})
        assert "djcp_filing" not in {i.kind for i in delivery_due_items()}


@pytest.mark.django_db
def test_the_first_miping_is_due_at_going_live_and_then_yearly(live, api):
    with frozen("2026-01-20"):
        assert ("crypto_assessment", "2026-01-12", True) in kinds(delivery_due_items())
        api("applicant", "post", f"/projects/{live.pk}/crypto-assessments",
            {"assessed_on": "2026-01-20", "assessor": "某密评机构", "result": "passed"})
        assert "crypto_assessment" not in {i.kind for i in delivery_due_items()}
    with frozen("2026-12-21"):  # 30 days before the anniversary: the reminder appears
        assert ("crypto_assessment", "2027-01-20", False) in kinds(delivery_due_items())
    with frozen("2026-12-20"):
        assert "crypto_assessment" not in {i.kind for i in delivery_due_items()}
    with frozen("2027-01-21"):
        assert ("crypto_assessment", "2027-01-20", True) in kinds(delivery_due_items())


@pytest.mark.django_db
def test_grade_three_is_assessed_every_year_grade_two_is_not(live, api):
    with frozen("2026-12-20"):
        assert ("grade_assessment", "2027-01-12", False) in kinds(delivery_due_items())
        api("applicant", "post", f"/projects/{live.pk}/grade-assessments",
            {"assessed_on": "2026-12-20", "assessor": "某测评机构", "result": "passed"})
        assert "grade_assessment" not in {i.kind for i in delivery_due_items()}
    with frozen("2027-12-21"):
        assert ("grade_assessment", "2027-12-20", True) in kinds(delivery_due_items())
        api("applicant", "put", f"/projects/{live.pk}/security", {"grade": 2})
        assert "grade_assessment" not in {i.kind for i in delivery_due_items()}


@pytest.mark.django_db
def test_performance_reports_and_cloud_migration_come_due(live, api, demo_users):
    api("finance", "post", f"/projects/{live.pk}/performance-reports",
        {"kind": "monitoring", "year": 2026, "period": "1-6月", "due_on": "2026-07-15"})
    InventorySystem.objects.create(name="旧学籍系统", purpose="学籍", owner=live.unit, deployment="self_hosted",
                                   migration_status="planned", migration_due="2026-07-31", built_by=live)
    with frozen("2026-07-10"):
        assert {("performance_monitoring", "2026-07-15", False), ("cloud_migration", "2026-07-31", False)} <= kinds(
            delivery_due_items())
    with frozen("2026-07-16"):
        status, body = api("applicant", "post", f"/projects/{live.pk}/performance/monitoring", {
            "year": 2026, "period": "1-6月", "progress_percent": "55", "budget": "1000000", "spent": "480000"})
        assert status == 200 and body["submitted_on"] == "2026-07-16"
        assert PerformanceReport.objects.get().submitted_on == dt.date(2026, 7, 16)
        assert "performance_monitoring" not in {i.kind for i in delivery_due_items()}


@pytest.mark.django_db
def test_due_items_through_the_api_are_only_the_callers(live, api):
    with frozen("2026-01-20"):
        status, body = api("applicant", "get", "/due-items")
        assert status == 200 and {i["kind"] for i in body} >= {"djcp_filing", "crypto_assessment"}
        assert api("applicant2", "get", "/due-items")[1] == []
        status, body = api("bureau", "get", "/due-items", {"as_of": "2026-02-20"})
        assert any(i["kind"] == "djcp_filing" and i["overdue"] for i in body)


@pytest.mark.django_db
def test_the_records_open_and_close_obligations_that_the_sweep_reminds_and_escalates(live, api, demo_users):
    from tongchou.notifications.models import Notification
    from tongchou.obligations.models import Obligation
    from tongchou.obligations.sweep import obligations_sweep

    def open_codes():
        return {o.code: o.due_date.isoformat() for o in Obligation.objects.filter(project=live,
                                                                                 status__in=["open", "overdue"])}

    assert open_codes() == {"DELIVERY-DJCP-FILING": "2026-02-11", "DELIVERY-MIPING": "2026-01-12",
                            "DELIVERY-GRADE-ASSESSMENT": "2027-01-12"}
    with frozen("2026-02-05"):
        report = obligations_sweep()
    filing = Obligation.objects.get(project=live, code="DELIVERY-DJCP-FILING")
    miping = Obligation.objects.get(project=live, code="DELIVERY-MIPING")
    assert filing.pk in report.reminded and miping.pk in report.escalated
    assert Notification.objects.filter(recipient=demo_users["applicant"], subject__contains="等保备案").exists()
    with frozen("2026-02-06"):
        api("applicant", "put", f"/projects/{live.pk}/security", {"filed_on": "2026-02-06", "filing_number": "X1"})
        api("applicant", "post", f"/projects/{live.pk}/crypto-assessments",
            {"assessed_on": "2026-02-06", "assessor": "某密评机构", "result": "passed"})
    assert open_codes() == {"DELIVERY-MIPING": "2027-02-06", "DELIVERY-GRADE-ASSESSMENT": "2027-01-12"}
    assert Obligation.objects.get(pk=filing.pk).status == "done"
    assert Obligation.objects.get(pk=miping.pk).status == "done"
