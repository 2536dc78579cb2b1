"""Art. 25: a monitoring report whose 执行数 exceeds its 预算数 is taken (overspending can be a true fact) but
says so — on the 绩效管理 tab, in the API and in finance's notification; a negative figure is refused."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from tongchou.accounts.models import User
from tongchou.core_errors import DomainError
from tongchou.delivery.models import PerformanceReport
from tongchou.delivery.rules.execution import overspend_warning
from tongchou.delivery.services.performance import monitoring_submit
from tongchou.notifications.models import Notification
from tongchou.projects.models import Status

TZ = dt.timezone(dt.timedelta(hours=8))


@pytest.mark.parametrize(("budget", "spent", "warning"), [
    ("100", "500", "执行数超过预算数 400.00 元（执行率 500%）"),
    ("1200000", "1500000.50", "执行数超过预算数 300,000.50 元（执行率 125%）"),
    ("0", "20", "执行数超过预算数 20.00 元（预算数为 0）"),
    ("100", "100", None), ("100", "0", None), (None, "5", None),
])
def test_the_overspend_warning(budget, spent, warning):
    assert overspend_warning(_decimal(budget), _decimal(spent)) == warning


def _decimal(value):
    return None if value is None else Decimal(value)


def _login(client, user):
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now())
    client.force_login(user)


def _post(client, url, body):
    response = client.post(url, data=json.dumps(body), content_type="application/json")
    return response.status_code, response.json()


@pytest.mark.django_db
def test_an_overspent_monitoring_report_is_taken_with_a_warning(project_in, client, demo_users):
    project = project_in(Status.IMPLEMENTATION)
    api = f"/api/v1/delivery/projects/{project.pk}"
    with time_machine.travel(dt.datetime(2025, 7, 10, 10, tzinfo=TZ), tick=False):
        _login(client, demo_users["finance"])
        assert _post(client, f"{api}/performance-reports", {"kind": "monitoring", "year": 2025, "period": "上半年",
                                                             "due_on": "2025-07-15"})[0] == 201
        _login(client, demo_users["applicant"])
        body = {"year": 2025, "period": "上半年", "progress_percent": "40", "budget": "100", "spent": "-1"}
        # Negative figures: refused by the API's schema, the page's form and the service itself.
        status, data = _post(client, f"{api}/performance/monitoring", body)
        assert status == 422 and [e["field"] for e in data["errors"]] == ["spent"]
        status, data = _post(client, f"{api}/performance/monitoring", {**body, "budget": "-1", "spent": "5"})
        assert status == 422 and [e["field"] for e in data["errors"]] == ["budget"]
        response = client.post(f"/projects/{project.pk}/delivery/monitoring/", {**body, "year": "2025"})
        assert response.status_code == 400 and "执行数" in response.content.decode()
        with pytest.raises(DomainError) as refused:
            monitoring_submit(project=project, actor=demo_users["applicant"], year=2025, period="上半年",
                              progress_percent=Decimal(40), budget=Decimal(100), spent=Decimal(-1))
        assert refused.value.field == "spent" and "不能为负数" in refused.value.message
        assert PerformanceReport.objects.get(project=project).submitted_on is None

        # Through the page: taken, and the message says it.
        response = client.post(f"/projects/{project.pk}/delivery/monitoring/",
                               {"year": "2025", "period": "上半年", "progress_percent": "40", "budget": "100",
                                "spent": "500"}, follow=True)
        page = re.sub(r"\s+", " ", response.content.decode())
        tab = client.get(f"/projects/{project.pk}/delivery/?tab=performance").content.decode()
        overview = client.get(f"/api/v1/delivery/projects/{project.pk}").json()
    assert "运行监控报告已报送" in page and "执行数超过预算数 400.00 元（执行率 500%）" in page
    report = PerformanceReport.objects.get(project=project)
    assert (report.budget, report.spent) == (Decimal("100"), Decimal("500"))
    assert "执行数超过预算数 400.00 元（执行率 500%）" in tab
    [row] = overview["performance_reports"]
    assert row["overspend_warning"] == "执行数超过预算数 400.00 元（执行率 500%）"
    told = Notification.objects.get(recipient=demo_users["finance"], subject__startswith="绩效报告已报送")
    assert "执行数超过预算数 400.00 元（执行率 500%）" in told.subject and "预算数 100.00 元" in told.body


@pytest.mark.django_db
def test_a_report_within_its_budget_carries_no_warning(project_in, client, demo_users):
    project = project_in(Status.IMPLEMENTATION)
    api = f"/api/v1/delivery/projects/{project.pk}"
    with time_machine.travel(dt.datetime(2025, 7, 10, 10, tzinfo=TZ), tick=False):
        _login(client, demo_users["finance"])
        _post(client, f"{api}/performance-reports", {"kind": "monitoring", "year": 2025, "period": "上半年",
                                                      "due_on": "2025-07-15"})
        _login(client, demo_users["applicant"])
        status, data = _post(client, f"{api}/performance/monitoring", {
            "year": 2025, "period": "上半年", "progress_percent": "40", "budget": "1200000", "spent": "400000"})
        tab = client.get(f"/projects/{project.pk}/delivery/?tab=performance").content.decode()
    assert status == 200 and data["overspend_warning"] is None
    assert "执行 400,000.00 / 预算 1,200,000.00 元" in tab
    told = Notification.objects.get(recipient=demo_users["finance"], subject__startswith="绩效报告已报送")
    assert "超过" not in told.subject + told.body
