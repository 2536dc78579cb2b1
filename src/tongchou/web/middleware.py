from __future__ import annotations

import time
import uuid
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from tongchou.web.request_context import reset_request_meta, set_request_meta

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class RequestIdMiddleware:
    """Gives each request an id and carries it, with the client address, to the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        token = set_request_meta(
            {"request_id": request_id, "client_address": request.META.get("REMOTE_ADDR", "")}
        )
        try:
            response = self.get_response(request)
        finally:
            reset_request_meta(token)
        response["X-Request-ID"] = request_id
        return response


class SecurityHeadersMiddleware:
    """CSP without inline script, no-store on pages for logged-in users, absolute session lifetime,
    and the forced password change (first login, or 90 days old)."""

    exempt_prefixes = ("/accounts/", "/static/", "/healthz", "/api/", "/open/", "/favicon.ico")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            started = request.session.get("auth_started_at")
            now = time.time()
            if started is None:
                request.session["auth_started_at"] = now
            elif now - started > settings.SESSION_ABSOLUTE_LIFETIME_SECONDS:
                logout(request)
                return redirect(settings.LOGIN_URL)
            if not request.path.startswith(self.exempt_prefixes) and _password_change_due(user):
                return redirect("password_change")
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", CSP)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
        return response


def _password_change_due(user: object) -> bool:
    from django.utils import timezone

    if getattr(user, "must_change_password", False):
        return True
    changed = getattr(user, "password_changed_at", None)
    if changed is None:
        return False
    return (timezone.now() - changed).days >= settings.PASSWORD_MAX_AGE_DAYS
