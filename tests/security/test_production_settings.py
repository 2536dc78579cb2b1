"""Production mode (DEBUG off): `check --deploy` clean at WARNING and the cookie/HSTS settings that make it so."""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({k: getattr(s, k) for k in [
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "SESSION_COOKIE_SAMESITE", "SESSION_COOKIE_AGE",
    "SESSION_SAVE_EVERY_REQUEST", "CSRF_COOKIE_SECURE", "CSRF_COOKIE_SAMESITE", "SECURE_HSTS_SECONDS",
    "SECURE_SSL_REDIRECT", "SECURE_CONTENT_TYPE_NOSNIFF", "SECURE_REFERRER_POLICY", "X_FRAME_OPTIONS",
    "SESSION_ABSOLUTE_LIFETIME_SECONDS", "AXES_FAILURE_LIMIT"]}, default=str))
"""


def _env(tmp_path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "HTTPS", "DATABASE_URL")}
    env.update(DEBUG="0", SECRET_KEY="x" * 60 + "Yz9!@#", ALLOWED_HOSTS="tongchou.example.gov.cn",
               TONGCHOU_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="tongchou.config.settings",
               PYTHONPATH=os.pathsep.join(["src", env.get("PYTHONPATH", "")]))
    return env


def test_production_cookies_are_secure_httponly_samesite_and_short_lived(tmp_path):
    out = subprocess.run([sys.executable, "-c", PROBE], env=_env(tmp_path), capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 0, out.stderr
    s = json.loads(out.stdout.strip().splitlines()[-1])
    assert s["DEBUG"] is False
    assert s["SESSION_COOKIE_SECURE"] and s["SESSION_COOKIE_HTTPONLY"] and s["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert s["CSRF_COOKIE_SECURE"] and s["CSRF_COOKIE_SAMESITE"] in ("Lax", "Strict")
    assert s["SESSION_COOKIE_AGE"] <= 30 * 60 and s["SESSION_SAVE_EVERY_REQUEST"]  # idle 30 min, refreshed
    assert 0 < s["SESSION_ABSOLUTE_LIFETIME_SECONDS"] <= 24 * 3600
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_SSL_REDIRECT"]
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] and s["SECURE_REFERRER_POLICY"] and s["X_FRAME_OPTIONS"] == "DENY"
    assert s["AXES_FAILURE_LIMIT"] == 5


def test_deploy_check_is_clean_at_warning_level(tmp_path):
    out = subprocess.run([sys.executable, "-m", "tongchou", "check", "--deploy", "--fail-level", "WARNING"],
                         env=_env(tmp_path), capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stdout + out.stderr
