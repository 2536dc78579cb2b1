from __future__ import annotations

import pytest


@pytest.fixture
def login(client, demo_users):
    """Like the shared `login`, but with force_login: django-axes refuses `client.login(request=None)`."""

    def _login(username: str):
        client.force_login(demo_users[username])
        return demo_users[username]

    return _login
