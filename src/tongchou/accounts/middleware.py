"""The three admin roles need the second factor in this session, however the session was made."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect

from tongchou.accounts.views import OTP_VERIFIED


class SecondFactorMiddleware:
    exempt_prefixes = ("/accounts/login/", "/accounts/otp/", "/static/", "/healthz")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated and getattr(user, "needs_second_factor", False)
                and not request.session.get(OTP_VERIFIED) and not request.path.startswith(self.exempt_prefixes)):
            logout(request)
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": "管理员账号须先完成动态口令验证，请重新登录"}, status=401)
            return redirect("login")
        return self.get_response(request)
