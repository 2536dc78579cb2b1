"""Portfolio pages (Art. 3, 6, 15, 19, 36). Thin: selectors and `panel` read, the services write and
refuse; a refusal is shown as the service words it. Another organisation's object is a 404."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.core_errors import DomainError, NotFound
from tongchou.documents.services import stored_file_read
from tongchou.documents.storage import file_response
from tongchou.portfolio import funding, modes, panel, rulesets, selectors, shared
from tongchou.portfolio.choices import ManagementMode
from tongchou.projects.models import Level, Project
from tongchou.projects.selectors import project_get, projects_visible_to
from tongchou.reviews.selectors import project_for

T = TypeVar("T")


def _refused(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)
    if exc.hint:
        messages.info(request, exc.hint)


def _attempt(request: HttpRequest, call: Callable[[], T], success: Callable[[T], str]) -> T | None:
    """One page action: a single service call. A refusal becomes the page's error message (and hint);
    success becomes ``success(result)``. Returns the result, or None when refused."""
    try:
        result = call()
    except DomainError as exc:
        _refused(request, exc)
        return None
    messages.success(request, success(result))
    return result


def _project(request: HttpRequest, pk: int) -> Project:
    """As the API reaches it: whoever sees the project, and finance once it records the budget."""
    try:
        return project_for(request.user, pk)
    except NotFound:
        raise Http404("未找到该项目，或您无权查看") from None


def _shared(request: AuthenticatedHttpRequest, pk: int) -> Any:
    try:
        return selectors.shared_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404("未找到该共建共享项目，或您无权查看") from None


def _back_to_project(request: AuthenticatedHttpRequest, project: Project) -> HttpResponse:
    if projects_visible_to(request.user).filter(pk=project.pk).exists():
        return redirect("projects:detail", pk=project.pk)
    return redirect("portfolio:project", pk=project.pk)


# ------------------------------------------------------------------ one project's 统筹 panel

@login_required
@require_GET
def project_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The panel on a page of its own, for those (finance) who reach a project through its review."""
    project = _project(request, pk)
    return render(request, "portfolio/project.html", {"project": project})


@login_required
@require_GET
def project_overlaps(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The unified systems this project overlaps (Art. 3), loaded by htmx after the page: the similarity
    engine is the slow part and the project page does not wait for it."""
    project = _project(request, pk)
    overlaps = selectors.unified_systems_overlapping(project)
    template = "portfolio/_overlaps.html" if request.headers.get("HX-Request") else "portfolio/overlaps.html"
    return render(request, template, {"project": project, "overlaps": overlaps})


@login_required
@require_POST
def mode_propose(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    _attempt(request, lambda: modes.mode_propose(project=project, mode=request.POST.get("mode", ""),
                                                 actor=request.user),
             lambda record: f"已申报管理模式：{record.get_proposed_mode_display()}（第三条）。")
    return _back_to_project(request, project)


@login_required
@require_POST
def mode_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    _attempt(request, lambda: modes.mode_confirm(project=project, mode=request.POST.get("mode", ""),
                                                 actor=request.user),
             lambda record: f"已确认管理模式：{record.get_mode_display()}（第三条）。")
    return _back_to_project(request, project)


def _posted_date(request: HttpRequest, field: str) -> dt.date | None:
    raw = (request.POST.get(field) or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise DomainError("日期格式应为 2025-02-20。", code="invalid", field=field, article=funding.ARTICLE) from None


def _posted_year(request: HttpRequest) -> int | None:
    raw = (request.POST.get("budget_year") or "").strip()
    if not raw:
        return None
    try:
        return int(raw)
    except ValueError:
        raise DomainError("预算年度应为四位数字，如 2025。", code="invalid", field="budget_year",
                          article=funding.ARTICLE) from None


@login_required
@require_POST
def funding_route_record(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    _attempt(request, lambda: funding.funding_route_record(
                 project=project, actor=request.user, route=request.POST.get("route", ""),
                 budget_year=_posted_year(request), reference=request.POST.get("reference", ""),
                 meeting_name=request.POST.get("meeting_name", ""),
                 meeting_date=_posted_date(request, "meeting_date"),
                 commission_date=_posted_date(request, "commission_date")),
             lambda route: f"已登记资金渠道：{route.get_route_display()}（第十五条）。")
    return _back_to_project(request, project)


@login_required
@require_POST
def shared_create(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    project = _project(request, pk)
    item = _attempt(request, lambda: shared.shared_project_create(
                        parent=project, jurisdictions=request.POST.getlist("jurisdictions"), actor=request.user),
                    lambda _: "已设为共建共享项目（第六条）。")
    if item is None:
        return _back_to_project(request, project)
    return redirect("portfolio:shared", pk=item.pk)


# ------------------------------------------------------------------ shared projects (Art. 6, 19)

@login_required
@require_GET
def shared_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    items = (selectors.shared_projects_visible_to(request.user)
             .select_related("parent", "parent__unit").prefetch_related("participants").order_by("-id")[:200])
    return render(request, "portfolio/shared_list.html",
                  {"rows": panel.shared_list_rows(user=request.user, items=list(items))})


@login_required
@require_GET
def shared_page(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _shared(request, pk)
    return render(request, "portfolio/shared.html", panel.shared_page(user=request.user, shared=item))


@login_required
@require_POST
def participant_add(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _shared(request, pk)
    _attempt(request, lambda: shared.shared_participant_add(
                 shared=item, jurisdiction=request.POST.get("jurisdiction", ""), actor=request.user),
             lambda participant: f"{participant.jurisdiction}已加入共建，已通知其数字化发展局（第六条）。")
    return redirect("portfolio:shared", pk=item.pk)


@login_required
@require_POST
def participant_remove(request: AuthenticatedHttpRequest, pk: int, participant_pk: int) -> HttpResponse:
    item = _shared(request, pk)
    _attempt(request, lambda: shared.shared_participant_remove(shared=item, participant_id=participant_pk,
                                                               actor=request.user),
             lambda jurisdiction: f"{jurisdiction}已移出共建名单。")
    return redirect("portfolio:shared", pk=item.pk)


@login_required
@require_POST
def part_link(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _shared(request, pk)

    def link() -> tuple[Any, Project]:
        try:
            part = project_get(user=request.user, pk=int(request.POST.get("project_id") or 0))
        except (NotFound, ValueError):
            raise DomainError("请选择本单位已申报的县市（园区）项目作为子项目。", code="required",
                              field="project_id", article="第六条、第十九条") from None
        return shared.shared_part_link(shared=item, part=part, actor=request.user), part

    _attempt(request, link,
             lambda linked: f"已关联{linked[0].jurisdiction}的子项目 {linked[1].code}，由本县市（园区）审批（第十九条）。")
    return redirect("portfolio:shared", pk=item.pk)


@login_required
@require_POST
def document_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    item = _shared(request, pk)
    upload = request.FILES.get("file")

    def add() -> Any:
        if upload is None:
            raise DomainError("请选择要上传的文件（PDF 或 Word）。", code="required", field="file")
        return shared.shared_document_add(shared=item, title=request.POST.get("title", ""),
                                          file_name=upload.name or "", data=upload, actor=request.user)

    _attempt(request, add, lambda document: f"已上传「{document.title}」（SM3 {document.file.sm3[:12]}…）。")
    return redirect("portfolio:shared", pk=item.pk)


@login_required
@require_GET
def document_download(request: AuthenticatedHttpRequest, pk: int, document_pk: int) -> HttpResponse:
    try:
        document = selectors.shared_document_get(user=request.user, shared_pk=pk, pk=document_pk)
    except NotFound:
        raise Http404() from None
    data = stored_file_read(stored=document.file, actor=request.user)
    return file_response(data, filename=document.file.display_name, content_type=document.file.content_type)


# ------------------------------------------------------------------ county rule sets (Art. 19, 36)

@login_required
def rulesets_page(request: AuthenticatedHttpRequest) -> HttpResponse:
    county = panel.county_bureau_jurisdiction(request.user)
    if county is None and not panel.is_prefecture_bureau(request.user):
        raise Http404("只有数字化发展局可以查看县市规则集")
    status = 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "upload":
                upload = request.FILES.get("file")
                if upload is None:
                    raise DomainError("请上传规则集文件（YAML）。", code="required", field="file")
                record = rulesets.local_ruleset_upload(
                    file_name=upload.name or "", data=upload.read(rulesets.MAX_RULESET_BYTES + 1), actor=request.user)
                messages.success(request, f"规则集「{record.ruleset_id}」已登记，{record.jurisdiction}的项目按其评估。")
            else:
                choice = rulesets.jurisdiction_ruleset_set(ruleset_id=request.POST.get("ruleset_id") or None,
                                                           actor=request.user)
                messages.success(request, f"{county}的项目今后按规则集「{choice.ruleset_id}」评估。" if choice
                                 else f"{county}沿用州规则集。")
        except DomainError as exc:
            _refused(request, exc)
            status = exc.status if exc.status in (400, 403, 409, 422, 503) else 400
        else:
            return redirect("portfolio:rulesets")
    return render(request, "portfolio/rulesets.html", panel.rulesets_page(user=request.user), status=status)


# ------------------------------------------------------------------ overview (Art. 3, 19)

@login_required
@require_GET
def overview(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not selectors.may_see_overview(request.user):
        raise Http404("项目统筹概况仅供数字化发展局查看")
    raw_year = (request.GET.get("year") or "").strip()
    year = int(raw_year) if raw_year.isascii() and raw_year.isdecimal() and len(raw_year) == 4 else None
    totals = selectors.totals_by_mode_and_level(request.user, year=year)
    cells = {(c["mode"], c["level"]): c["count"] for c in totals["by_mode_and_level"]}
    rows = [{"mode": m["mode"], "label": m["label"], "count": m["count"],
             "filterable": m["mode"] in ManagementMode.values,
             "cells": [{"level": lv["level"], "count": cells.get((m["mode"], lv["level"]), 0)}
                       for lv in totals["by_level"]]}
            for m in totals["by_mode"]]
    return render(request, "portfolio/overview.html", {
        "totals": totals, "rows": rows, "year": year, "levels": Level.choices,
        "shared_count": selectors.shared_projects_visible_to(request.user).count(),
    })
