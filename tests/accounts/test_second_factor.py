"""TOTP for the three admin roles: enrolment, verification, replay, and no way around it."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pyotp
import pytest
import segno
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
        assert secret and _shown_secret(page) == secret and "<svg" in page
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
        assert secret not in page and secret[:4] not in page and "<svg" not in page
        assert second.post("/accounts/otp/", {"code": used}).status_code == 400  # replay
        clock.shift(dt.timedelta(seconds=30))
        assert second.post("/accounts/otp/", {"code": pyotp.TOTP(secret).now()}).status_code == 302
        assert second.get("/accounts/manage/users/").status_code == 200


def _shown_secret(page: str) -> str:
    match = re.search(r'data-testid="totp-secret">([A-Z2-7 ]+)<', page)
    assert match, "no secret on the enrolment page"
    groups = match.group(1).split(" ")
    assert all(len(g) == 4 for g in groups[:-1]) and 0 < len(groups[-1]) <= 4  # typed in fours
    return "".join(groups)


def _modules_from_svg(svg: str) -> list[list[bool]]:
    """Reads the dark modules back out of segno's path (M x y / h n / m dx dy, one module a unit)."""
    scale = re.search(r'transform="scale\((\d+)\)"', svg)
    width = re.search(r'<svg width="(\d+)"', svg)
    dark_path = re.search(r'<path stroke="#000" d="([^"]+)"', svg)
    assert scale and width and dark_path
    size = int(width.group(1)) // int(scale.group(1))
    grid = [[False] * size for _ in range(size)]
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?: (-?[\d.]+))?", dark_path.group(1)):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for col in range(int(x), int(x + float(a))):
                grid[int(y)][col] = True
            x += float(a)
    return grid


class _MarkupScan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.inline_scripts = self.styles = self.data_images = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.inline_scripts += tag == "script" and not a.get("src")
        self.styles += tag == "style" or "style" in a
        self.data_images += any((v or "").startswith("data:") for k, v in attrs if k in ("src", "href"))


@pytest.mark.django_db
def test_the_enrolment_page_shows_the_key_as_a_qr_code_the_csp_allows(demo_users, demo_password):
    client = Client()
    _password_step(client, "secadmin", demo_password)
    response = client.get("/accounts/otp/")
    page = response.content.decode()
    secret = User.objects.get(username="secadmin").totp_secret
    assert _shown_secret(page) == secret

    # the picture holds exactly the otpauth:// URI an authenticator needs, built here independently
    uri = pyotp.TOTP(secret).provisioning_uri(name="secadmin", issuer_name="统筹 Tongchou")
    svg = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert svg, "no QR code on the enrolment page"
    expected = segno.make(uri, error="m", micro=False)
    border = 4
    read = [row[border:-border] for row in _modules_from_svg(svg.group(0))[border:-border]]
    assert read == [[bool(m) for m in row] for row in expected.matrix]
    assert uri not in page  # the key is not spelled out twice; the picture carries the URI

    # strict CSP: nothing inline that it would block, no data: image, and the secret is never cached
    scan = _MarkupScan()
    scan.feed(page)
    assert (scan.inline_scripts, scan.styles, scan.data_images) == (0, 0, 0)
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


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
