from __future__ import annotations

import io

import pytest
import time_machine
from openpyxl import load_workbook

from tongchou.audit.models import AuditEvent
from tongchou.audit.services import audit_record

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(demo_users):
    with time_machine.travel("2026-03-01 10:00 +0800", tick=False):
        audit_record(event="auth.login", actor=demo_users["applicant"], target=demo_users["applicant"])
    with time_machine.travel("2026-03-05 10:00 +0800", tick=False):
        audit_record(event="project.submitted", actor=demo_users["applicant"], data={"project": "CJ-2026-0001"},
                     actor_name="")
        audit_record(event="auth.login_failed", outcome="failed", actor_name="=cmd|' /C calc'!A0")
    with time_machine.travel("2026-03-09 10:00 +0800", tick=False):
        audit_record(event="auth.login", actor=demo_users["reviewer"], target=demo_users["reviewer"])


@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "reviewer", "bureau", "applicant", "expert"])
def test_nobody_but_the_audit_admin_reads_the_log(client, login, history, username):
    login(username)
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "只有审计管理员" in response.content.decode()
    assert client.post("/audit/export/").status_code == 403
    assert not AuditEvent.objects.filter(event="audit.exported").exists()
    assert "审计日志" not in client.get("/").content.decode()  # not in the menu either


def test_anonymous_visitors_are_sent_to_login(client, history):
    assert client.get("/audit/")["Location"].startswith("/accounts/login/")


def test_the_audit_admin_searches_by_time_user_event_and_target(client, login, history, demo_users):
    login("auditor")
    assert "审计日志" in client.get("/").content.decode()
    page = client.get("/audit/", {"event": "auth.login", "date_from": "2026-03-01", "date_to": "2026-03-05"})
    body = page.content.decode()
    assert page.status_code == 200
    assert "共 2 条" in body  # login and login_failed (prefix), within the dates
    body = client.get("/audit/", {"user": "reviewer", "date_from": "2026-03-09"}).content.decode()
    assert "共 1 条" in body
    body = client.get("/audit/", {"target": str(demo_users["applicant"].pk), "event": "auth."}).content.decode()
    assert "共 1 条" in body
    body = client.get("/audit/", {"outcome": "failed"}).content.decode()
    assert "共 1 条" in body
    bad = client.get("/audit/", {"date_from": "2026-03-09", "date_to": "2026-03-01"})
    assert bad.status_code == 422 and "截止日期不能早于起始日期" in bad.content.decode()


def test_exporting_the_log_is_itself_audited_and_formula_safe(client, login, history):
    login("auditor")
    response = client.post("/audit/export/", {"event": "auth.", "date_to": "2026-03-31"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="audit-')
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("编号", "时间", "事件")
    assert len(rows) == 1 + 3
    names = [r[4] for r in rows[1:]]
    assert "=cmd|' /C calc'!A0" in names  # stored as text
    cell = next(c for c in sheet["E"] if c.value == "=cmd|' /C calc'!A0")
    assert cell.data_type == "s"
    event = AuditEvent.objects.get(event="audit.exported")
    assert event.actor_name == "auditor"
    assert event.data == {"filters": {"event": "auth.", "date_to": "2026-03-31"}, "rows": 3}


def test_the_log_names_events_outcomes_and_roles_in_chinese_and_keeps_the_code(client, login, history):
    login("auditor")
    body = client.get("/audit/", {"date_to": "2026-03-31"}).content.decode()
    assert '登录失败<br><code class="small">auth.login_failed</code>' in body
    assert '提交申报<br><code class="small">project.submitted</code>' in body
    assert ">失败</span>" in body and ">成功</span>" in body and "<td>申报人</td>" in body
    assert "登录<code>auth.login</code>" in body  # the list of event types
    response = client.post("/audit/export/", {"event": "auth.login_failed"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][-1] == "事件说明" and rows[1][2] == "auth.login_failed" and rows[1][-1] == "登录失败"
