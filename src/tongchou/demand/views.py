"""Web pages of the yearly call and plan. Thin: reads through `demand.selectors`, writes through the
services; a refusal is shown as the service words it."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES
from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.core_errors import DomainError, NotFound
from tongchou.demand import modes as mode_services
from tongchou.demand import plan as plan_services
from tongchou.demand import services
from tongchou.demand.columns import NEED_COLUMNS, NEED_FIELDS
from tongchou.demand.findings import call_findings_compute, need_warnings
from tongchou.demand.models import Call, Decision
from tongchou.demand.selectors import call_get, calls_visible_to, is_call_bureau, need_get, needs_visible_to
from tongchou.documents.uploads import XLSX, inspect_upload
from tongchou.documents.xlsx import build_template
from tongchou.portfolio.choices import ManagementMode
from tongchou.projects.models import Category, PriorityBasis, SplitVerdict
from tongchou.projects.splitfindings import split_findings_visible_to

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _call(request: AuthenticatedHttpRequest, pk: int) -> Call:
    try:
        return call_get(user=request.user, pk=pk)
    except NotFound:
        raise Http404("未找到该需求征集，或您无权查看") from None


def _refused(request: HttpRequest, exc: DomainError) -> None:
    messages.error(request, exc.message)
    if exc.hint:
        messages.info(request, exc.hint)


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _datetime(value: str, field: str, label: str) -> datetime.datetime:
    try:
        parsed = datetime.datetime.fromisoformat(value.strip())
    except ValueError:
        raise DomainError(f"「{label}」格式应为 2025-10-31 18:00。", field=field) from None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _money(value: str, field: str, label: str) -> Decimal | None:
    value = (value or "").replace(",", "").strip()
    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise DomainError(f"「{label}」须为数字（单位：元）。", field=field) from None


@login_required
def calls(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.method == "POST":
        try:
            year = int(request.POST.get("year", "0") or 0)
            call = services.call_open(
                actor=request.user, year=year,
                deadline=_datetime(request.POST.get("deadline", ""), "deadline", "截止时间"),
                instructions=request.POST.get("instructions", ""), title=request.POST.get("title", ""),
                budget_cap=_money(request.POST.get("budget_cap", ""), "budget_cap", "年度预算总额上限"))
        except ValueError:
            messages.error(request, "「预算年度」须为年份，如 2026。")
        except DomainError as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"已发布「{call.title}」。")
            return redirect("demand:call", call.pk)
    return render(request, "demand/calls.html", {
        "calls": [(c, services.call_is_open(c)) for c in calls_visible_to(request.user)],
        "is_bureau": request.user.role in BUREAU_ROLES,
        "next_year": timezone.localdate().year + 1,
    })


def _need_context() -> dict[str, Any]:
    return {"categories": Category.choices, "bases": PriorityBasis.choices, "modes": ManagementMode.choices}


@login_required
def call_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    values: dict[str, Any] = {}
    if request.method == "POST":
        values = {k: request.POST.get(k, "") for k in NEED_FIELDS}
        try:
            need = services.need_submit(actor=request.user, call=call, data=values)
        except DomainError as exc:
            _refused(request, exc)
        else:
            messages.success(request, f"需求「{need.name}」已提交。")
            return redirect("demand:call", call.pk)
    return render(request, "demand/call.html", {
        "call": call, "open": services.call_is_open(call), "until": services.call_accepts_until(call),
        "needs": needs_visible_to(request.user, call),
        "is_bureau": is_call_bureau(request.user, call),
        "is_unit": request.user.role in UNIT_ROLES,
        "values": values, **_need_context(),
    })


@login_required
def call_template(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    lines = [f"截止时间：{timezone.localtime(call.deadline):%Y-%m-%d %H:%M}。", "每行填写一个需求；金额单位为元。",
             *call.instructions.splitlines()]
    return _xlsx(build_template(NEED_COLUMNS, f"{call.title} 需求填报表", lines), f"needs-{call.year}.xlsx")


@login_required
@require_POST
def need_check(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """The htmx partial beside the need form: does what is typed look like a piece of our own? Nothing saved."""
    call = _call(request, pk)
    data = {k: request.POST.get(k, "") for k in NEED_FIELDS}
    return render(request, "demand/_warnings.html",
                  {"warnings": need_warnings(user=request.user, call=call, data=data)})


@login_required
@require_POST
def needs_upload(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "请选择要上传的 Excel 文件。")
        return redirect("demand:call", call.pk)
    try:
        check = inspect_upload(upload.name, upload, allowed={XLSX}, max_bytes=settings.UPLOAD_MAX_BYTES)
        created, result = services.needs_import(actor=request.user, call=call, data=check,
                                                only_good_rows=request.POST.get("only_good_rows") == "1")
    except DomainError as exc:
        _refused(request, exc)
        return redirect("demand:call", call.pk)
    if created:
        messages.success(request, f"已导入 {len(created)} 个需求。")
    if result.errors:
        if not created:
            messages.error(request, f"表格中有 {len(result.bad_rows)} 行存在错误，未导入任何数据。"
                                    "请按下列错误修改后重新上传，或勾选“仅导入正确的行”。")
        for line in result.messages()[:50]:
            messages.warning(request, line)
    return redirect("demand:call", call.pk)


@login_required
@require_POST
def call_reopen(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _call(request, pk)
    try:
        until = _datetime(request.POST.get("until", ""), "until", "补报截止时间")
        services.call_reopen(actor=request.user, call=call, until=until,
                             reason=request.POST.get("reason", ""))
    except DomainError as exc:
        _refused(request, exc)
    else:
        messages.success(request, "已重新开放征集。")
    return redirect("demand:call", call.pk)


def _bureau_call(request: AuthenticatedHttpRequest, pk: int) -> Call:
    call = _call(request, pk)
    if not is_call_bureau(request.user, call):
        raise Http404("未找到该需求征集，或您无权查看")
    return call


@login_required
def findings(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _bureau_call(request, pk)
    if request.method == "POST":
        call_findings_compute(actor=request.user, call=call)
        messages.success(request, "已重新检测。")
        return redirect("demand:findings", call.pk)
    splits = split_findings_visible_to(request.user).filter(
        project__year__gte=call.year - 1, project__year__lte=call.year)
    return render(request, "demand/findings.html", {
        "call": call, "f": call.findings or {},
        "project_splits": splits.filter(verdict=SplitVerdict.OPEN)[:50],
        "project_splits_open": splits.filter(verdict=SplitVerdict.OPEN).count(),
    })


def _mode_filter(request: HttpRequest) -> str | None:
    try:
        return mode_services.parse_mode_filter(request.GET.get("mode"))
    except DomainError as exc:
        _refused(request, exc)
        return None


@login_required
def plan(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _bureau_call(request, pk)
    mode = _mode_filter(request)
    rows = plan_services.plan_rows(call)
    return render(request, "demand/plan.html", {
        "call": call, "rows": mode_services.plan_rows_filtered(rows, mode), "mode": mode,
        "mode_filters": list(mode_services.MODE_LABELS.items()), "modes": ManagementMode.choices,
        "totals": mode_services.plan_mode_totals(rows), "decisions": [
            (v, label) for v, label in Decision.choices if v != Decision.MERGED],
        "leads": needs_visible_to(request.user, call).exclude(decision=Decision.MERGED),
    })


@login_required
@require_POST
def plan_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    call = _bureau_call(request, pk)
    actor: Any = request.user
    post = request.POST
    try:
        if action == "rank":
            cap = _money(post.get("budget_cap", ""), "budget_cap", "年度预算总额上限")
            plan_services.plan_rank(actor=actor, call=call, budget_cap=cap, clear_cap=cap is None)
            messages.success(request, "已按第十一条重点支持情形、检测结果和金额重新排序。")
        elif action == "decide":
            need = need_get(user=actor, call=call, pk=int(post.get("need", "0") or 0))
            plan_services.need_decide(actor=actor, need=need, decision=post.get("decision", ""),
                                      reason=post.get("reason", ""))
            messages.success(request, f"已对「{need.name}」作出决定。")
        elif action == "mode":
            need = need_get(user=actor, call=call, pk=int(post.get("need", "0") or 0))
            mode_services.need_mode_confirm(actor=actor, need=need, mode=post.get("mode", ""))
            messages.success(request, f"已确认「{need.name}」的管理模式（第三条）。")
        elif action == "merge":
            lead = need_get(user=actor, call=call, pk=int(post.get("lead", "0") or 0))
            others = [need_get(user=actor, call=call, pk=int(o)) for o in post.getlist("others")
                      if o.isascii() and o.isdecimal()]
            plan_services.needs_merge(actor=actor, lead=lead, others=others, reason=post.get("reason", ""))
            messages.success(request, f"已合并至「{lead.name}」（第三条）。")
        elif action == "drafts":
            created = plan_services.plan_create_drafts(actor=actor, call=call)
            messages.success(request, f"已为 {len(created)} 个纳入计划的需求生成申报草稿。")
        else:
            raise Http404()
    except (NotFound, ValueError):  # ValueError: a need id that is not a number
        messages.error(request, "未找到该需求。")
    except DomainError as exc:
        _refused(request, exc)
    back = post.get("back_mode", "")
    if back in mode_services.MODE_KEYS:  # stay on the filtered view the action came from
        return redirect(f"{reverse('demand:plan', args=[call.pk])}?mode={back}")
    return redirect("demand:plan", call.pk)


@login_required
def plan_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    call = _bureau_call(request, pk)
    try:
        mode = mode_services.parse_mode_filter(request.GET.get("mode"))
    except DomainError as exc:
        _refused(request, exc)
        return redirect("demand:plan", call.pk)
    data = plan_services.plan_export(actor=request.user, call=call, mode=mode)
    return _xlsx(data, f"plan-{call.year}{'-' + mode if mode else ''}.xlsx")
