"""Pages for the system admin (organisations, accounts) and the security admin (roles, security)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tongchou.accounts import services
from tongchou.accounts.manage_forms import OrganisationForm, RoleForm, UserCreateForm, UserEditForm
from tongchou.accounts.models import Organisation, Role, User
from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.core_errors import DomainError


def role_required(*roles: str) -> Callable[[Callable[..., HttpResponse]], Callable[..., HttpResponse]]:
    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: AuthenticatedHttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.user.role not in roles:
                return render(request, "accounts/forbidden.html", status=403)
            from tongchou.web.middleware import _password_change_due

            if _password_change_due(request.user):
                # The site-wide prompt exempts /accounts/; management pages must not be a way round it.
                return redirect("password_change")
            return view(request, *args, **kwargs)
        return wrapped
    return decorator


ACCOUNT_MANAGERS = (Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN)


@role_required(*ACCOUNT_MANAGERS)
def user_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    q = (request.GET.get("q") or "").strip()
    users = User.objects.select_related("organisation").order_by("username")
    if q:
        users = users.filter(username__icontains=q) | users.filter(display_name__icontains=q)
    return render(request, "accounts/manage/users.html", {"users": users[:500], "q": q})


@role_required(Role.SYSTEM_ADMIN)
def user_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = UserCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, password = services.user_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            # Shown once, never stored in clear or written to the audit log.
            return render(request, "accounts/manage/issued.html", {"target": user, "password": password})
    return render(request, "accounts/manage/user_form.html", {"form": form, "target": None},
                  status=400 if form.errors else 200)


@role_required(*ACCOUNT_MANAGERS)
def user_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User.objects.select_related("organisation"), pk=pk)
    edit_form = UserEditForm(initial={"display_name": target.display_name, "organisation": target.organisation,
                                      "email": target.email})
    if request.method == "POST":
        if request.user.role != Role.SYSTEM_ADMIN:
            return render(request, "accounts/forbidden.html", status=403)
        edit_form = UserEditForm(request.POST)
        if edit_form.is_valid():
            try:
                services.user_update(actor=request.user, user=target, **edit_form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "账号信息已保存。")
                return redirect("accounts:user", pk=target.pk)
    return render(request, "accounts/manage/user_form.html", {
        "form": edit_form, "target": target, "role_form": RoleForm(initial={"role": target.role}),
    })


def _action(request: AuthenticatedHttpRequest, pk: int, run: Callable[[User, User], str]) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    try:
        message = run(request.user, target)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)
    return redirect("accounts:user", pk=target.pk)


@require_POST
@role_required(Role.SYSTEM_ADMIN)
def user_disable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda a, u: (services.user_disable(actor=a, user=u), "账号已停用，其所有会话已结束。")[1])


@require_POST
@role_required(Role.SYSTEM_ADMIN)
def user_enable(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda a, u: (services.user_enable(actor=a, user=u), "账号已启用。")[1])


@require_POST
@role_required(Role.SYSTEM_ADMIN)
def user_password_reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(User, pk=pk)
    try:
        password = services.user_password_reset(actor=request.user, user=target)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("accounts:user", pk=target.pk)
    return render(request, "accounts/manage/issued.html", {"target": target, "password": password})


@require_POST
@role_required(Role.SECURITY_ADMIN)
def user_role(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "角色：请选择有效的角色。")
        return redirect("accounts:user", pk=pk)
    return _action(request, pk, lambda a, u: (services.user_role_set(actor=a, user=u, role=form.cleaned_data["role"]),
                                              "角色已调整，该账号的所有会话已结束。")[1])


@require_POST
@role_required(Role.SECURITY_ADMIN)
def user_classified(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    allowed = request.POST.get("allowed") == "1"
    return _action(request, pk, lambda a, u: (services.user_classified_access_set(actor=a, user=u, allowed=allowed),
                                              "涉密项目查看权限已更新。")[1])


@require_POST
@role_required(Role.SECURITY_ADMIN)
def user_totp_reset(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda a, u: (services.user_totp_reset(actor=a, user=u),
                                              "动态口令已重置，该账号下次登录时重新绑定。")[1])


@require_POST
@role_required(Role.SECURITY_ADMIN)
def user_unlock(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    return _action(request, pk, lambda a, u: f"已解除锁定（清除 {services.user_unlock(actor=a, user=u)} 条失败记录）。")


@role_required(Role.SECURITY_ADMIN)
def security_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    from axes.models import AccessAttempt

    params = [
        ("登录失败锁定", f"连续 {settings.AXES_FAILURE_LIMIT} 次失败锁定 {int(settings.AXES_COOLOFF_TIME * 60)} 分钟"),
        ("空闲超时", f"{settings.SESSION_COOKIE_AGE // 60} 分钟无操作自动退出"),
        ("会话最长时间", f"{settings.SESSION_ABSOLUTE_LIFETIME_SECONDS // 3600} 小时"),
        ("密码有效期", f"{settings.PASSWORD_MAX_AGE_DAYS} 天后提示修改"),
        ("密码规则", "至少 8 位，包含大写字母、小写字母、数字、特殊符号中的三类，且不是常见密码"),
        ("第二重验证", "系统管理员、安全管理员、审计管理员登录须输入动态口令（TOTP）"),
    ]
    locked = AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT).order_by("-attempt_time")
    accounts = {u.username: u for u in User.objects.filter(username__in=[a.username for a in locked])}
    return render(request, "accounts/manage/security.html", {
        "params": params, "locked": [(a, accounts.get(a.username)) for a in locked],
    })


@role_required(Role.SYSTEM_ADMIN)
def organisation_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    orgs = Organisation.objects.select_related("parent").order_by("level", "jurisdiction", "kind", "code")
    return render(request, "accounts/manage/organisations.html", {"orgs": orgs})


@role_required(Role.SYSTEM_ADMIN)
def organisation_edit(request: AuthenticatedHttpRequest, pk: int | None = None) -> HttpResponse:
    org = get_object_or_404(Organisation, pk=pk) if pk else None
    form = OrganisationForm(request.POST or None, instance=org)
    if request.method == "POST" and form.is_valid():
        fields = dict(form.cleaned_data)
        try:
            if org is None:
                org = services.organisation_create(actor=request.user, **fields)
            else:
                org.refresh_from_db()
                services.organisation_update(actor=request.user, organisation=org, **fields)
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"组织「{org.name}」已保存。")
            return redirect("accounts:organisations")
    return render(request, "accounts/manage/organisation_form.html", {"form": form, "org": org},
                  status=400 if form.errors else 200)
