"""TOTP for the three admin roles: enrolment, verification, replay, and no way around it."""

from __future__ import annotations

import datetime as dt

import pyotp
import pytest
import time_machine
from django.test import Client

from tongchou.accounts.models import User
from tongchou.audit.models import AuditEvent

T0 = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def _password_step(client: Client, username: str, password: str):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_an_admin_enrols_then_logs_in_with_a_code(demo_users, demo_password):
    with time_machine.travel(T0, tick=False) as clock:
        client = Client()
        response = _password_step(client, "sysadmin", demo_password)
        assert response.status_code == 302 and response["Location"] == "/accounts/otp/"
        assert client.get("/").status_code == 302  # not logged in yet
        page = client.get("/accounts/otp/").content.decode()
        secret = User.objects.get(username="sysadmin").totp_secret
        assert secret and secret in page and "otpauth://" in page
        wrong = client.post("/accounts/otp/", {"code": "000000"})
        assert wrong.status_code == 400 and "动态口令错误" in wrong.content.decode()
        ok = client.post("/accounts/otp/", {"code": pyotp.TOTP(secret).now()})
        assert ok.status_code == 302
        assert client.get("/accounts/manage/users/").status_code == 200
        assert User.objects.get(username="sysadmin").totp_confirmed_at is not None
        assert AuditEvent.objects.filter(event="auth.totp_enrolled", actor_name="sysadmin").exists()
        assert AuditEvent.objects.filter(event="auth.second_factor_failed", actor_name="sysadmin").exists()

        # next login: no key shown, a code is asked for; the same code cannot be used twice
        used = pyotp.TOTP(secret).now()
        second = Client()
        _password_step(second, "sysadmin", demo_password)
        page = second.get("/accounts/otp/").content.decode()
        assert secret not in page
        assert second.post("/accounts/otp/", {"code": used}).status_code == 400  # replay
        clock.shift(dt.timedelta(seconds=30))
        assert second.post("/accounts/otp/", {"code": pyotp.TOTP(secret).now()}).status_code == 302
        assert second.get("/accounts/manage/users/").status_code == 200


@pytest.mark.django_db
def test_five_wrong_codes_send_the_admin_back_to_the_password(demo_users, demo_password):
    client = Client()
    _password_step(client, "auditor", demo_password)
    for _ in range(5):
        response = client.post("/accounts/otp/", {"code": "123456"})
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    assert client.get("/accounts/otp/").status_code == 302


@pytest.mark.django_db
def test_a_business_user_needs_no_code(demo_users, demo_password):
    client = Client()
    response = _password_step(client, "applicant", demo_password)
    assert response.status_code == 302 and response["Location"] == "/"


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["sysadmin", "secadmin", "auditor"])
def test_an_admin_session_without_the_second_factor_is_refused_everywhere(demo_users, username):
    client = Client()
    client.force_login(demo_users[username])  # a session made some other way than the login page
    response = client.get("/accounts/manage/users/")
    assert response.status_code == 302 and response["Location"] == "/accounts/login/"
    client.force_login(demo_users[username])
    assert client.get("/api/v1/projects").status_code == 401
