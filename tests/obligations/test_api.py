from __future__ import annotations

from datetime import date

import pytest

from tongchou.accounts.models import Organisation
from tongchou.audit.models import AuditEvent
from tongchou.obligations.models import Obligation
from tongchou.obligations.services import obligation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_units(make_project, calendar_seeded):
    edu = make_project(unit="cj-edu")
    medins = make_project(unit="cj-medins", name="医保平台")
    a = obligation_create(project=edu, code="ART18-FILING", title="报备", article="第十八条", due_date=date(2026, 3, 1))
    b = obligation_create(project=medins, code="ART18-FILING", title="报备", article="第十八条",
                          due_date=date(2026, 3, 1))
    psb = obligation_create(project=edu, code="SLA-MEMBER-OPINION", title="成员单位意见", article="第十四条",
                            due_date=date(2026, 3, 3), responsible_org=Organisation.objects.get(code="cj-psb"))
    return a, b, psb


def test_each_role_sees_only_its_own_deadlines(client, login, two_units):
    a, b, psb = two_units
    login("applicant")
    assert {o["id"] for o in client.get("/api/v1/obligations").json()} == {a.pk, psb.pk}
    client.logout()
    login("applicant2")
    assert {o["id"] for o in client.get("/api/v1/obligations").json()} == {b.pk}
    client.logout()
    login("police")
    assert {o["id"] for o in client.get("/api/v1/obligations").json()} == {psb.pk}
    client.logout()
    login("reviewer")
    assert {o["id"] for o in client.get("/api/v1/obligations").json()} == {a.pk, b.pk, psb.pk}
    client.logout()
    login("county")
    assert client.get("/api/v1/obligations").json() == []
    client.logout()
    login("auditor")
    assert client.get("/api/v1/obligations").json() == []


def test_another_units_obligation_is_404_and_nothing_changes(client, login, two_units):
    a, b, _ = two_units
    login("applicant")
    response = client.post(f"/api/v1/obligations/{b.pk}/fulfil", {"note": "x"}, content_type="application/json")
    assert response.status_code == 404
    assert Obligation.objects.get(pk=b.pk).status == "open"


def test_the_unit_fulfils_its_own_and_it_is_audited(client, login, two_units):
    a, _, _ = two_units
    login("applicant")
    response = client.post(f"/api/v1/obligations/{a.pk}/fulfil", {"note": "已报备"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "done"
    assert AuditEvent.objects.filter(event="obligation.fulfilled", target_id=str(a.pk), actor_name="applicant").exists()
    again = client.post(f"/api/v1/obligations/{a.pk}/fulfil", {}, content_type="application/json")
    assert again.status_code == 409


def test_only_the_bureau_waives_and_must_say_why(client, login, two_units):
    a, _, _ = two_units
    login("applicant")
    assert client.post(f"/api/v1/obligations/{a.pk}/waive", {"note": "不需要"},
                       content_type="application/json").status_code == 403
    client.logout()
    login("reviewer")
    empty = client.post(f"/api/v1/obligations/{a.pk}/waive", {"note": " "}, content_type="application/json")
    assert empty.status_code == 400 and empty.json()["field"] == "reason"
    ok = client.post(f"/api/v1/obligations/{a.pk}/waive", {"note": "项目已撤回"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["status"] == "waived"


def test_the_deadlines_page_lists_the_units_items(client, login, two_units):
    login("applicant")
    page = client.get("/deadlines/").content.decode()
    assert "期限与督办" in page and "报备" in page and "医保平台" not in page


def test_the_system_admin_changes_a_service_level_as_data(client, login, make_project, calendar_seeded):
    login("reviewer")
    refused = client.put("/api/v1/obligations/service-levels/SLA-MEMBER-OPINION",
                         {"period": 5, "unit": "working_days", "remind_before": 1}, content_type="application/json")
    assert refused.status_code == 403
    client.logout()
    login("sysadmin")
    bad = client.put("/api/v1/obligations/service-levels/SLA-MEMBER-OPINION",
                     {"period": 5, "unit": "weeks", "remind_before": 1}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "unit"
    ok = client.put("/api/v1/obligations/service-levels/SLA-MEMBER-OPINION",
                    {"period": 5, "unit": "working_days", "remind_before": 1}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["period"] == 5
    event = AuditEvent.objects.get(event="service_level.updated")
    assert event.data["before"]["period"] == 7 and event.data["after"]["period"] == 5
    from tongchou.obligations.services import obligation_open_from_service_level

    ob = obligation_open_from_service_level(project=make_project(), level_code="SLA-MEMBER-OPINION",
                                            start=date(2026, 2, 13),
                                            responsible_org=Organisation.objects.get(code="cj-psb"))
    assert ob.due_date == date(2026, 2, 27)
