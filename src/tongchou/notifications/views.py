from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.core_errors import DomainError
from tongchou.notifications.selectors import notifications_for, notifications_unread_count
from tongchou.notifications.services import notification_mark_read, notifications_mark_all_read


@login_required
def inbox(request: AuthenticatedHttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notifications_for(request.user, unread_only=unread_only), 30).get_page(request.GET.get("page"))
    return render(request, "notifications/inbox.html", {
        "page": page, "unread_only": unread_only, "unread": notifications_unread_count(request.user),
    })


@login_required
@require_POST
def mark_read(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    try:
        row = notification_mark_read(notification_id=pk, actor=request.user)
    except DomainError:
        return render(request, "notifications/inbox.html", {"error": "未找到该通知。"}, status=404)
    if row.link and url_has_allowed_host_and_scheme(row.link, allowed_hosts=None) and request.POST.get("open"):
        return redirect(row.link)
    return redirect("notifications:inbox")


@login_required
@require_POST
def mark_all_read(request: AuthenticatedHttpRequest) -> HttpResponse:
    notifications_mark_all_read(actor=request.user)
    return redirect("notifications:inbox")
