from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, login, update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongchou.accounts.services import user_password_changed, user_sessions_end
from tongchou.accounts.totp import (
    provisioning_qr_svg,
    provisioning_uri,
    secret_grouped,
    totp_begin_enrolment,
    totp_verify,
)

OTP_PENDING = "otp_pending_user"
OTP_VERIFIED = "otp_verified"
OTP_PENDING_SECONDS = 300
OTP_MAX_FAILURES = 5


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "账号或密码错误。连续 5 次错误将锁定 15 分钟。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }


class LoginView(auth_views.LoginView):
    """Password first; the three admin roles then give a TOTP code before the session is theirs."""

    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        user = form.get_user()
        if getattr(user, "needs_second_factor", False):
            self.request.session.cycle_key()
            self.request.session[OTP_PENDING] = {
                "user": user.pk, "backend": user.backend, "at": time.time(), "failures": 0,
                "next": self.get_success_url(),
            }
            return redirect("otp")
        return super().form_valid(form)


@never_cache  # the enrolment page carries the secret; the visitor is not logged in yet, so say it here
def otp_view(request: HttpRequest) -> HttpResponse:
    """Second factor: enrol (first time: shows the key as a QR code and as text) or verify a code,
    then complete the login."""
    pending = request.session.get(OTP_PENDING)
    if not pending or time.time() - pending.get("at", 0) > OTP_PENDING_SECONDS:
        request.session.pop(OTP_PENDING, None)
        messages.error(request, "动态口令验证已超时，请重新登录。")
        return redirect("login")
    user = get_user_model().objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(OTP_PENDING, None)
        return redirect("login")
    enrolling = user.totp_confirmed_at is None
    if enrolling:
        totp_begin_enrolment(user=user)
    error = ""
    if request.method == "POST":
        if totp_verify(user=user, code=request.POST.get("code", "")):
            next_url = pending.get("next") or settings.LOGIN_REDIRECT_URL
            request.session.pop(OTP_PENDING, None)
            login(request, user, backend=pending["backend"])
            request.session[OTP_VERIFIED] = True
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = settings.LOGIN_REDIRECT_URL
            return redirect(next_url)
        pending["failures"] = pending.get("failures", 0) + 1
        if pending["failures"] >= OTP_MAX_FAILURES:
            request.session.pop(OTP_PENDING, None)
            messages.error(request, "动态口令连续错误 5 次，请重新登录。")
            return redirect("login")
        request.session[OTP_PENDING] = pending
        error = "动态口令错误或已使用，请输入验证器上当前显示的 6 位数字。"
    context: dict[str, object] = {"enrolling": enrolling, "error": error}
    if enrolling:
        # segno emits only <svg>/<title>/<g>/<path> with module coordinates: nothing user-supplied.
        context["qr_svg"] = mark_safe(provisioning_qr_svg(provisioning_uri(user)))  # noqa: S308
        context["secret"] = secret_grouped(user.totp_secret)
    return render(request, "accounts/otp.html", context, status=400 if error else 200)


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("home")

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        from tongchou.web.middleware import _password_change_due

        return {**super().get_context_data(**kwargs), "change_due": _password_change_due(self.request.user)}

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        with transaction.atomic():
            form.save()
            user_password_changed(user=form.user, actor=form.user)
            # Other sessions die with the old password hash; this one is kept.
            update_session_auth_hash(self.request, form.user)
        messages.success(self.request, "密码已修改。")
        return redirect(self.get_success_url())


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    """Logging out ends every session of the account, not only this browser's."""
    user = request.user
    if user.is_authenticated:
        user_sessions_end(user=user, actor=user, reason="logout")
    return auth_views.LogoutView.as_view()(request)
