from __future__ import annotations

import pytest

from tongchou.audit.models import AuditEvent


@pytest.mark.django_db
def test_a_demo_user_logs_in_and_the_login_is_audited(client, demo_users, demo_password):
    response = client.post("/accounts/login/", {"username": "reviewer", "password": demo_password})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    event = AuditEvent.objects.filter(event="auth.login").latest("id")
    assert event.actor_name == "reviewer"
    assert event.actor_role == "bureau_reviewer"
    assert event.request_id


@pytest.mark.django_db
def test_five_failures_lock_the_account_even_for_the_right_password(client, demo_users, demo_password):
    for _ in range(5):
        response = client.post("/accounts/login/", {"username": "applicant", "password": "wrong-Pass1"})
    assert AuditEvent.objects.filter(event="auth.login_failed", actor_name="applicant").count() >= 4
    response = client.post("/accounts/login/", {"username": "applicant", "password": demo_password})
    assert response.status_code in (403, 429)
    assert "锁定" in response.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_wrong_password_is_answered_in_chinese(client, demo_users):
    response = client.post("/accounts/login/", {"username": "applicant", "password": "nope"})
    assert response.status_code == 200
    assert "账号或密码错误" in response.content.decode()


@pytest.mark.parametrize(
    ("password", "ok"),
    [("Qz7mKp2xw", True), ("qz7mkp2x!w", True), ("abcdefgh1", False), ("ABCDEFGH", False), ("Ab1!", False)],
)
def test_password_needs_three_of_four_character_classes(password, ok):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    try:
        validate_password(password)
        passed = True
    except ValidationError:
        passed = False
    assert passed is ok
