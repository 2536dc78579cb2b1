from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from tongchou.audit.export import audit_export
from tongchou.audit.forms import AuditSearchForm
from tongchou.audit.selectors import AuditFilters, audit_event_names, audit_events_search, require_audit_admin
from tongchou.core_errors import DomainError


def _refused(request: HttpRequest, exc: DomainError) -> HttpResponse:
    return render(request, "audit/refused.html", {"error": exc}, status=exc.status)


@login_required
def events(request: HttpRequest) -> HttpResponse:
    try:
        require_audit_admin(request.user)
    except DomainError as exc:
        return _refused(request, exc)
    form = AuditSearchForm(request.GET or None)
    filters = form.filters() if form.is_bound and form.is_valid() else AuditFilters()
    rows = audit_events_search(user=request.user, filters=filters)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "audit/events.html", {
        "form": form if form.is_bound else AuditSearchForm(), "page": page, "query": query.urlencode(),
        "event_names": audit_event_names(), "filters": filters,
    }, status=200 if not form.is_bound or form.is_valid() else 422)


@login_required
@require_POST
def export(request: HttpRequest) -> HttpResponse:
    form = AuditSearchForm(request.POST)
    try:
        require_audit_admin(request.user)
        filters = form.filters() if form.is_valid() else AuditFilters()
        name, content, _ = audit_export(actor=request.user, filters=filters)
    except DomainError as exc:
        return _refused(request, exc)
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
