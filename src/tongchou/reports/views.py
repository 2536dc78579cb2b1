"""Dashboards, reports, what-if and the open register pages (thin: selectors and services do the work)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES
from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.core_errors import DomainError, NotFound
from tongchou.documents.storage import file_response
from tongchou.documents.uploads import CONTENT_TYPES, XLSX
from tongchou.policy import default_registry
from tongchou.reports import jobs
from tongchou.reports.drill import drill_get
from tongchou.reports.figures import FIGURES, Scope
from tongchou.reports.models import JobKind
from tongchou.reports.open_register import open_page
from tongchou.reports.ratelimit import RATE_LIMIT_MESSAGE, client_address, take_token
from tongchou.reports.unit_overview import unit_overview
from tongchou.reports.whatif import drafts_visible_to, ruleset_draft_upload

EXPORT_KINDS = [(k, str(v)) for k, v in JobKind.choices if k != JobKind.WHATIF]


def _refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except DomainError as exc:
            text = exc.with_article + (f" {exc.hint}" if exc.hint else "")
            if exc.status == 403:
                return render(request, "reports/refused.html", {"text": text}, status=403)
            messages.error(request, text)
            return redirect(request.path)

    return wrapper


def _scope(request: AuthenticatedHttpRequest) -> Scope:
    return Scope(request.user, jobs._year(request.GET.get("year")))


@login_required
@require_GET
@_refusals
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.role in UNIT_ROLES:
        return redirect("reports:unit")
    scope = _scope(request)
    figures = [{"key": key, "src": reverse("api:figure", kwargs={"key": key}) + (f"?year={scope.year}" if scope.year else ""),
                "export": reverse("reports:figure_export", args=[key]) + (f"?year={scope.year}" if scope.year else "")}
               for key in FIGURES]
    return render(request, "reports/dashboard.html", {"figures": figures, "year": scope.year,
                                                      "export_kinds": EXPORT_KINDS})


@login_required
@require_GET
def unit(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "reports/unit.html", {"overview": unit_overview(Scope(request.user))})


@login_required
@require_GET
@_refusals
def drill(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    listing = drill_get(_scope(request), key, request.GET.get("value", ""))
    return render(request, "reports/drill.html", {"listing": listing, "rows": zip(listing.rows, listing.links,
                                                                                 strict=True)})


@login_required
@require_GET
@_refusals
def figure_export(request: AuthenticatedHttpRequest, key: str) -> HttpResponse:
    data, name = jobs.figure_export(key=key, scope=_scope(request), actor=request.user)
    return file_response(data, filename=name, content_type=CONTENT_TYPES[XLSX])


@login_required
@_refusals
def exports(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        job = jobs.report_job_request(kind=request.POST.get("kind", ""), year=request.POST.get("year"),
                                      actor=request.user)
        messages.success(request, f"已提交「{job.get_kind_display()}」，后台生成中。")
        return redirect("reports:job", pk=job.pk)
    return render(request, "reports/exports.html", {
        "jobs": jobs.jobs_visible_to(request.user).defer("result")[:50],
        "export_kinds": EXPORT_KINDS})


@login_required
@require_GET
@_refusals
def job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = jobs.job_get(user=request.user, pk=pk)
    template = "reports/_job_status.html" if request.headers.get("HX-Request") else "reports/job.html"
    return render(request, template, {"job": record, "result": record.result})


@login_required
@require_GET
@_refusals
def job_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = jobs.job_get(user=request.user, pk=pk)
    data, name = jobs.report_job_download(job=record, actor=request.user)
    return file_response(data, filename=name, content_type=CONTENT_TYPES[XLSX])


@login_required
@_refusals
def whatif(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.role not in BUREAU_ROLES:
        raise DomainError("只有数字化发展局可以进行规则集试算", status=403, article="第三十八条")
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload:
            draft = ruleset_draft_upload(data=upload.read(256 * 1024 + 1), display_name=upload.name or "",
                                         actor=request.user)
            messages.success(request, f"规则集草案 {draft.ruleset_id} 已通过校验并保存（未启用）。")
            return redirect("reports:whatif")
        choice = request.POST.get("candidate", "")
        ruleset_id, draft_id = None, None
        if choice.startswith("draft:"):
            try:
                draft_id = int(choice.split(":", 1)[1])
            except ValueError:
                raise DomainError("请选择规则集或草案", field="candidate") from None
        else:
            ruleset_id = choice.removeprefix("ruleset:")
        job = jobs.report_job_request(kind=JobKind.WHATIF, actor=request.user, ruleset_id=ruleset_id,
                                      draft_id=draft_id)
        return redirect("reports:job", pk=job.pk)
    return render(request, "reports/whatif.html", {
        "rulesets": default_registry().rulesets, "drafts": drafts_visible_to(request.user)[:50],
        "recent": jobs.jobs_visible_to(request.user).filter(kind=JobKind.WHATIF).defer("result")[:10]})


@require_GET
def open_register(request: HttpRequest) -> HttpResponse:
    allowed, _wait = take_token(client_address(request))
    if not allowed:
        return render(request, "reports/open_limited.html", {"text": RATE_LIMIT_MESSAGE}, status=429)
    try:
        year = jobs._year(request.GET.get("year"))
        after = int(request.GET["after"]) if request.GET.get("after") else None
    except (DomainError, ValueError):
        year, after = None, None
    page = open_page(year=year, after=after)
    return render(request, "reports/open.html", {"page": page, "year": year})

