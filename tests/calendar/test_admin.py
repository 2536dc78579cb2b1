from __future__ import annotations

import logging
from datetime import date

import pytest
import time_machine
from django.core.management import call_command

from tongchou.audit.models import AuditEvent
from tongchou.calendar.models import CalendarDay, CalendarYear, DaySource
from tongchou.calendar.selectors import calendar_load, working_days_add
from tongchou.calendar.services import calendar_seed

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(db):
    calendar_seed()


def test_the_seed_is_idempotent_and_keeps_the_admins_corrections(seeded, demo_users):
    day = CalendarDay.objects.get(date=date(2026, 10, 1))
    day.name, day.source = "国庆节（管理员更正）", DaySource.ADMIN
    day.save()
    before = CalendarDay.objects.count()
    again = calendar_seed()
    assert again.created == 0 and again.kept_admin >= 1
    assert CalendarDay.objects.count() == before
    assert CalendarDay.objects.get(date=date(2026, 10, 1)).name == "国庆节（管理员更正）"
    assert CalendarDay.objects.get(date=date(2026, 2, 14)).name == "春节"


def test_calendar_seed_command_reports_in_chinese(capsys, db):
    CalendarDay.objects.all().delete()
    call_command("calendar", "seed")
    out = capsys.readouterr().out
    assert "工作日历已载入" in out and "2026" in out
    assert CalendarDay.objects.filter(date=date(2026, 2, 14), kind="workday").exists()


def test_the_system_admin_enters_a_2027_holiday_through_the_api(client, login, seeded):
    login("sysadmin")
    response = client.put("/api/v1/calendar/days", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
                          content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["source"] == "admin"
    event = AuditEvent.objects.filter(event="calendar.day_set").latest("id")
    assert event.actor_name == "sysadmin" and event.data["after"]["name"] == "元旦"
    # Entered but the year not confirmed: the holiday counts, the warning stays.
    result = client.get("/api/v1/calendar/working-days/add", {"start": "2026-12-31", "n": 1}).json()
    assert result["date"] == "2027-01-04"
    assert any("2027" in w for w in result["warnings"])


@pytest.mark.parametrize("username", ["reviewer", "applicant", "auditor", "secadmin"])
def test_nobody_but_the_system_admin_edits_the_calendar(client, login, seeded, username):
    login(username)
    response = client.put("/api/v1/calendar/days", {"date": "2027-01-01", "kind": "holiday"},
                          content_type="application/json")
    assert response.status_code == 403
    assert "系统管理员" in response.json()["detail"]
    assert not CalendarDay.objects.filter(date=date(2027, 1, 1)).exists()


def test_bad_input_names_the_field_in_chinese(client, login, seeded):
    login("sysadmin")
    wrong_kind = client.put("/api/v1/calendar/days", {"date": "2027-01-01", "kind": "party"},
                            content_type="application/json")
    assert wrong_kind.status_code == 400 and wrong_kind.json()["field"] == "kind"
    weekday_makeup = client.put("/api/v1/calendar/days", {"date": "2027-01-04", "kind": "workday"},
                                content_type="application/json")
    assert weekday_makeup.status_code == 400 and "周一至周五" in weekday_makeup.json()["detail"]
    bad_date = client.put("/api/v1/calendar/days", {"date": "2027-13-01", "kind": "holiday"},
                          content_type="application/json")
    assert bad_date.status_code == 422 and bad_date.json()["errors"][0]["field"] == "date"


def test_confirming_2027_ends_the_fallback(client, login, seeded):
    login("sysadmin")
    refused = client.post("/api/v1/calendar/years/2027/confirm", {"note": ""}, content_type="application/json")
    assert refused.status_code == 400 and "还没有录入" in refused.json()["detail"]
    client.put("/api/v1/calendar/days", {"date": "2027-01-01", "kind": "holiday", "name": "元旦"},
               content_type="application/json")
    ok = client.post("/api/v1/calendar/years/2027/confirm", {"note": "国办发明电〔2026〕1号"},
                     content_type="application/json")
    assert ok.status_code == 200 and ok.json()["scheduled"] is True and ok.json()["warning"] is None
    assert working_days_add(date(2027, 1, 5), 1).warnings == ()
    assert CalendarYear.objects.get(year=2027).confirmed_by.username == "sysadmin"


def test_a_2027_deadline_falls_back_and_the_log_says_so(seeded, caplog):
    with caplog.at_level(logging.WARNING, logger="tongchou.calendar"):
        result = working_days_add(date(2027, 3, 1), 5)
    assert result.date == date(2027, 3, 8)
    assert result.warnings
    assert any("2027 年的节假日安排尚未录入" in r.getMessage() for r in caplog.records)


@time_machine.travel("2026-11-30 10:00 +0800", tick=False)
def test_the_calendar_page_shows_the_fallback_warning_and_only_the_admin_gets_the_form(client, login, seeded):
    login("reviewer")
    page = client.get("/calendar/?year=2026").content.decode()
    assert "2027 年的节假日安排尚未录入" in page
    assert "春节" in page and "调休上班" in page
    assert "录入或修改一天" not in page
    client.logout()
    login("sysadmin")
    page = client.get("/calendar/?year=2027").content.decode()
    assert "录入或修改一天" in page and "确认 2027 年安排已录入完整" in page


def test_the_calendar_page_names_the_years_source_once(client, login, seeded):
    login("reviewer")
    page = client.get("/calendar/?year=2026").content.decode()
    assert "2026 年安排已录入（chinese-calendar 程序包：国务院办公厅节假日安排）。" in page
    # A year seeded when the note still carried the source says it once too.
    CalendarYear.objects.filter(year=2026).update(note="国务院办公厅节假日安排（chinese-calendar 程序包）")
    page = client.get("/calendar/?year=2026").content.decode()
    assert "2026 年安排已录入（国务院办公厅节假日安排（chinese-calendar 程序包））。" in page
    assert "程序包：国务院办公厅节假日安排（chinese-calendar" not in page


def test_the_admin_form_saves_and_refuses_with_the_field_named(client, login, seeded):
    login("sysadmin")
    response = client.post("/calendar/days/", {"date": "2027-02-06", "kind": "workday", "name": "春节调休"})
    assert response.status_code == 302
    assert calendar_load().makeup_workdays >= {date(2027, 2, 6)}
    response = client.post("/calendar/days/", {"date": "2027-02-08", "kind": "workday"})
    assert response.status_code == 400
    assert "不需要登记为调休上班" in response.content.decode()
    client.logout()
    login("applicant")
    response = client.post("/calendar/days/", {"date": "2027-02-13", "kind": "workday"})
    assert response.status_code == 403
    assert not CalendarDay.objects.filter(date=date(2027, 2, 13)).exists()
