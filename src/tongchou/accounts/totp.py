"""TOTP second factor for the three admin roles (RFC 6238 through pyotp).

A code is accepted once: the time step it belongs to is remembered, so a code seen over a shoulder
cannot be replayed within its 30 seconds. One step of clock drift either side is tolerated.

Enrolment shows the otpauth:// URI as a QR code drawn on the server (segno) as an ``<svg>`` element in
the page: no script, no inline style, no data: URI, nothing fetched, so the strict CSP holds (ADR 0150).
"""

from __future__ import annotations

import time

import pyotp
import segno
from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import User
from tongchou.audit.services import audit_record

ISSUER = "统筹 Tongchou"
STEP = 30


def totp_begin_enrolment(*, user: User) -> str:
    """A fresh secret for an account without a confirmed factor (kept until confirmed)."""
    if user.totp_confirmed_at is not None:
        raise ValueError("already enrolled")
    if not user.totp_secret:
        with transaction.atomic():
            user.totp_secret = pyotp.random_base32()
            user.save(update_fields=["totp_secret"])
    return user.totp_secret


def provisioning_uri(user: User) -> str:
    return pyotp.TOTP(user.totp_secret).provisioning_uri(name=user.username, issuer_name=ISSUER)


def provisioning_qr_svg(uri: str) -> str:
    """The URI as an inline ``<svg>`` (dark modules on a white square, so it scans on any page theme).

    Only module geometry comes out of segno (no text of the URI), so the markup is safe to embed."""
    return segno.make(uri, error="m", micro=False).svg_inline(
        scale=5, border=4, dark="#000", light="#fff", svgclass="totp-qr", lineclass=None,
        title="动态口令二维码（请用验证器应用扫描）",
    )


def secret_grouped(secret: str) -> str:
    """The Base32 key in groups of four, as authenticator apps print it, for typing it in by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _matching_step(secret: str, code: str, now: float) -> int | None:
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now // STEP)
    for step in (current, current - 1, current + 1):
        if pyotp.utils.strings_equal(totp.at(step * STEP), code):
            return step
    return None


def totp_verify(*, user: User, code: str) -> bool:
    """Checks a code (enrolment or login) and records the outcome; confirms a pending enrolment."""
    if not user.totp_secret:
        return False
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        step = _matching_step(locked.totp_secret, code, time.time())
        if step is None or step <= locked.totp_last_step:
            audit_record(event="auth.second_factor_failed", actor=locked, target=locked, outcome="failed",
                         data={"reason": "replayed" if step is not None else "wrong_code"})
            return False
        locked.totp_last_step = step
        fields = ["totp_last_step"]
        enrolling = locked.totp_confirmed_at is None
        if enrolling:
            locked.totp_confirmed_at = timezone.now()
            fields.append("totp_confirmed_at")
        locked.save(update_fields=fields)
        audit_record(event="auth.totp_enrolled" if enrolling else "auth.second_factor_ok", actor=locked, target=locked)
    user.totp_last_step = locked.totp_last_step
    user.totp_confirmed_at = locked.totp_confirmed_at
    return True
