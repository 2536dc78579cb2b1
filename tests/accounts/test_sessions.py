"""Sessions: idle timeout, logout and disabling end every session, the 90-day password prompt."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client

from tongchou.audit.models import AuditEvent


def _login(username: str, password: str) -> Client:
    client = Client()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:500]
    assert client.get("/").status_code == 200
    return client


@pytest.mark.django_db
def test_logout_ends_every_session_of_the_account(demo_users, demo_password):
    office, laptop = _login("applicant", demo_password), _login("applicant", demo_password)
    other = _login("applicant2", demo_password)
    response = office.post("/accounts/logout/")
    assert response.status_code == 302
    assert office.get("/").status_code == 302
    assert laptop.get("/").status_code == 302  # the other browser is out too
    assert other.get("/").status_code == 200  # nobody else is
    assert AuditEvent.objects.filter(event="account.sessions_ended", data__reason="logout").exists()


@pytest.mark.django_db
def test_logout_needs_a_post(demo_users, demo_password):
    client = _login("applicant", demo_password)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_the_session_ends_after_30_idle_minutes_and_activity_keeps_it(demo_users, demo_password, settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60 and settings.SESSION_SAVE_EVERY_REQUEST
    start = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client = _login("applicant", demo_password)
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200  # activity refreshes the idle clock
        clock.shift(dt.timedelta(minutes=29))
        assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_the_password_change_is_prompted_after_90_days(demo_users, demo_password):
    from tongchou.accounts.models import User

    start = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        User.objects.filter(username="applicant").update(password_changed_at=start)
        clock.shift(dt.timedelta(days=89))
        client = _login("applicant", demo_password)
        assert client.get("/projects/").status_code == 200
        clock.shift(dt.timedelta(days=1, minutes=1))
        client = Client()
        assert client.post("/accounts/login/", {"username": "applicant", "password": demo_password}).status_code == 302
        response = client.get("/projects/")
        assert response.status_code == 302 and response["Location"] == "/accounts/password/"
        page = client.get("/accounts/password/").content.decode()
        assert "90 天" in page
        new = "Qz7m#Kp2xw"
        done = client.post("/accounts/password/", {"old_password": demo_password, "new_password1": new,
                                                   "new_password2": new})
        assert done.status_code == 302
        assert client.get("/projects/").status_code == 200  # this session survives the change
        user = User.objects.get(username="applicant")
        assert user.password_changed_at == start + dt.timedelta(days=90, minutes=1)


@pytest.mark.django_db
def test_a_new_password_must_pass_the_rules_in_chinese(demo_users, demo_password):
    client = _login("applicant", demo_password)
    response = client.post("/accounts/password/", {"old_password": demo_password, "new_password1": "abcdefgh1",
                                                   "new_password2": "abcdefgh1"})
    assert response.status_code == 200
    assert "三类" in response.content.decode()
