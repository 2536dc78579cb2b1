from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from tongchou.accounts.models import Organisation, Role, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
API = "/api/v1"


@pytest.fixture
def clock():
    """Monday 2025-03-03 09:00 in Changji; after every rule set in play has taken effect."""
    with time_machine.travel(dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture
def users(demo_users):
    """The demo users plus a second county (阜康市): its bureau's reviewer and lead, and its education bureau."""
    extra = {
        "fkreviewer": ("阜康审核", "fukang-digital", Role.BUREAU_REVIEWER),
        "fklead": ("阜康局长", "fukang-digital", Role.BUREAU_LEAD),
        "fkapp": ("阜康申报", "fukang-edu", Role.APPLICANT),
        "cjlead": ("昌吉市局长", "changji-digital", Role.BUREAU_LEAD),
        "zdapp": ("准东申报", "zhundong-digital", Role.APPLICANT),
    }
    everyone = dict(demo_users)
    for username, (name, org, role) in extra.items():
        everyone[username] = User.objects.create(
            username=username, display_name=name, organisation=Organisation.objects.get(code=org), role=role,
            password_changed_at=timezone.now())
    return everyone


@pytest.fixture
def api(client, users):
    """call(username, method, path, body=None, **extra) → (status, json or bytes), as that user."""

    def call(username: str, method: str, path: str, body: Any = None, **extra: Any) -> tuple[int, Any]:
        user = users[username]
        client.force_login(user)
        if user.needs_second_factor:
            session = client.session
            session["otp_verified"] = True
            session.save()
        url = f"{API}{path}"
        if method == "get":
            response = client.get(url, body or {})
        elif extra.get("multipart"):
            response = client.post(url, body)
        else:
            response = getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")
        try:
            data = response.json()
        except ValueError:
            data = response.content
        return response.status_code, data

    return call


@pytest.fixture
def page(client, users):
    """page(username, method, path, data=None) → the response of a web page, as that user (redirects
    followed, so a refusal's message is in the page it lands on)."""

    def call(username: str, method: str, path: str, data: Any = None, follow: bool = True) -> Any:
        user = users[username]
        client.force_login(user)
        if user.needs_second_factor:
            session = client.session
            session["otp_verified"] = True
            session.save()
        if method == "get":
            return client.get(path, data or {}, follow=follow)
        return client.post(path, data or {}, follow=follow)

    return call
