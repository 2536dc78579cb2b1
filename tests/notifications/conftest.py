from __future__ import annotations

import pytest


@pytest.fixture
def login(client, demo_users):
    """The root fixture's client.login(request=None) trips django-axes; force_login skips the backend."""

    def _login(username: str):
        client.force_login(demo_users[username], backend="django.contrib.auth.backends.ModelBackend")
        return demo_users[username]

    return _login
