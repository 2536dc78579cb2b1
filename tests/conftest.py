from __future__ import annotations

import pytest

from tongchou.accounts.seed import DEMO_PASSWORD, seed_demo_users, seed_organisations


@pytest.fixture
def orgs(db):
    seed_organisations()


@pytest.fixture
def demo_users(orgs):
    seed_demo_users()
    from tongchou.accounts.models import User

    return {u.username: u for u in User.objects.all()}


@pytest.fixture
def demo_password() -> str:
    return DEMO_PASSWORD


@pytest.fixture
def login(client, demo_users, demo_password):
    """Logs the test client in as one of the demo users and returns that user."""

    def _login(username: str):
        assert client.login(username=username, password=demo_password, request=None), username
        return demo_users[username]

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2's production cost makes every demo login take most of a second; tests do not need it."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
