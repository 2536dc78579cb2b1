"""The bureau's page of service levels: every level with its article; the prefecture bureau's lead (and
the system admin) edit one, in Chinese, through the audited service; nobody else can."""

from __future__ import annotations

import pytest

from tongchou.audit.models import AuditEvent
from tongchou.obligations.models import ServiceLevel

pytestmark = pytest.mark.django_db
URL = "/deadlines/service-levels/"
EDIT = URL + "SLA-MEMBER-OPINION/"
GOOD = {"period": "5", "unit": "working_days", "remind_before": "1", "active": "on"}


def _level():
    return ServiceLevel.objects.get(code="SLA-MEMBER-OPINION")


def test_the_bureau_lists_the_levels_with_their_articles_and_edits_one(client, login):
    login("bureau")
    page = client.get(URL).content.decode()
    for text in ("申报材料完整性审查", "第十条", "联审成员单位出具意见", "第十四条", "第十八条", "第二十六条", EDIT):
        assert text in page, text
    form = client.get(EDIT).content.decode()
    assert 'name="period"' in form and 'value="7"' in form and "csrfmiddlewaretoken" in form

    saved = client.post(EDIT, GOOD)
    assert saved.status_code == 302 and saved["Location"] == URL
    level = _level()
    assert (level.period, level.unit, level.remind_before, level.active) == (5, "working_days", 1, True)
    event = AuditEvent.objects.get(event="service_level.updated")
    assert event.actor.username == "bureau"
    assert event.data["before"]["period"] == 7 and event.data["after"]["period"] == 5
    assert event.data["article"] == "第十四条"
    listed = client.get(URL).content.decode()
    assert "5 个工作日" in listed and "12 个月" in listed and "已修改“联审成员单位出具意见”为 5 个工作日" in listed


@pytest.mark.parametrize(("field", "value", "words"), [
    ("period", "", "请填写期限"),
    ("period", "0", "期限应在 1 到 366 之间"),
    ("period", "七", "期限须为整数"),
    ("unit", "weeks", "期限单位无效"),
    ("remind_before", "9", "提前提醒的工作日数（9）应小于期限"),
    ("active", "", "不能停用"),
])
def test_bad_input_is_refused_in_chinese_on_the_field_and_nothing_changes(client, login, field, value, words):
    login("bureau")
    body = {**GOOD, field: value}
    if field == "active":
        body.pop("active")
    response = client.post(EDIT, body)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert _level().period == 7 and not AuditEvent.objects.filter(event="service_level.updated").exists()


@pytest.mark.parametrize("username", ["applicant", "reviewer", "county", "crypto"])
def test_anyone_else_is_refused_and_nothing_changes(client, login, username):
    login(username)
    assert client.get(URL).status_code == 200  # the time limits themselves are no secret
    assert EDIT not in client.get(URL).content.decode()
    assert client.get(EDIT).status_code == 403
    refused = client.post(EDIT, GOOD)
    assert refused.status_code == 403 and "无权修改办理时限" in refused.content.decode()
    assert _level().period == 7 and not AuditEvent.objects.filter(event="service_level.updated").exists()


def test_the_system_admin_may_still_edit_and_the_bureau_lead_now_may_through_the_api(client, login):
    login("sysadmin")
    assert client.post(EDIT, GOOD).status_code == 302
    client.logout()
    login("bureau")
    done = client.put("/api/v1/obligations/service-levels/SLA-COMPLETENESS-CHECK",
                      {"period": 3, "unit": "working_days", "remind_before": 1}, content_type="application/json")
    assert done.status_code == 200 and done.json()["period"] == 3
    assert AuditEvent.objects.filter(event="service_level.updated").count() == 2
