from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import connection


@pytest.mark.django_db
def test_the_suite_runs_on_the_database_the_environment_names():
    """CI runs this suite twice; each pass must really be on the database it claims."""
    url = os.environ.get("DATABASE_URL", "")
    expected = "postgresql" if url.startswith(("postgres://", "postgresql://")) else "sqlite"
    assert connection.vendor == expected


@pytest.mark.django_db
def test_healthz_answers_200_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_healthz_answers_503_when_the_database_is_unreachable(tmp_path):
    """A PostgreSQL URL on a port nobody listens on: the health check must fail, not pretend."""
    code = (
        "import django; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(r.status_code, r.json()['database'])"
    )
    env = dict(os.environ, DATABASE_URL="postgres://postgres@127.0.0.1:9/unreachable",
               DJANGO_SETTINGS_MODULE="tongchou.config.settings", TONGCHOU_VAR_DIR=str(tmp_path), HTTPS="0",
               ALLOWED_HOSTS="testserver")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["503", "unreachable"], out.stderr[-2000:]


@pytest.mark.django_db
def test_login_page_is_in_simplified_chinese(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "登录统筹" in body and 'lang="zh-Hans"' in body
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_pages_need_a_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_tongchou_help_lists_commands_in_chinese_and_english():
    out = subprocess.run([sys.executable, "-m", "tongchou", "--help"], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0
    assert "载入演示数据" in out.stdout and "load the demo data" in out.stdout
    for command in ("serve", "worker", "demo", "migrate", "assess"):
        assert f"  {command} " in out.stdout


def test_deploy_check_is_clean_with_debug_off(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env.update(DEBUG="0", SECRET_KEY="x" * 60 + "Yz9!@#", ALLOWED_HOSTS="tongchou.example.gov.cn",
               TONGCHOU_VAR_DIR=str(tmp_path))
    env.pop("HTTPS", None)
    out = subprocess.run([sys.executable, "-m", "tongchou", "check", "--deploy", "--fail-level", "WARNING"],
                         env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
