"""Web pages: a project's delivery page under its detail, and the system inventory. Thin: reads through
the selectors, writes through the services; a refusal is shown as the service words it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tongchou.core_errors import DomainError, NotFound
from tongchou.delivery.models import OMFundingRequest
from tongchou.delivery.overview import delivery_overview
from tongchou.delivery.selectors import (
    delivery_due_items,
    inventory_visible_to,
    project_get,
    projects_visible_to,
)
from tongchou.delivery.services.access import is_member, is_unit_member
from tongchou.delivery.services.om import REASON_TEXT, om_request_decide, om_request_submit
from tongchou.delivery.services.security import crypto_assessment_record


def _project_or_404(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    try:
        return project_get(user=request.user, project_id=pk)
    except NotFound:
        raise Http404("未找到该项目，或您无权查看") from None


@login_required
def project_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    data = delivery_overview(project)
    for r in data["om_requests"]:
        r["reason_texts"] = [REASON_TEXT.get(code, code) for code in r["reasons"]]
    due = delivery_due_items(projects=projects_visible_to(request.user).filter(pk=project.pk))
    return render(request, "delivery/project.html", {
        "project": project, "d": data, "due": due,
        "is_unit": is_unit_member(request.user, project),
        "is_finance": is_member(request.user, "finance", project),
    })


def _decimal(value: str, field: str, label: str) -> Decimal:
    try:
        return Decimal((value or "").strip())
    except InvalidOperation:
        raise DomainError(f"{label}应为数字。", code="invalid", field=field) from None


@login_required
@require_POST
def om_request_new(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    try:
        year = int(request.POST.get("year", "0") or 0)
        om_request_submit(
            project=project, actor=request.user, year=year,
            amount=_decimal(request.POST.get("amount", ""), "amount", "申请金额"),
            justification=request.POST.get("justification", ""),
            data_sharing_done=request.POST.get("data_sharing_done") == "on",
            duplicate_data_collection=request.POST.get("duplicate_data_collection") == "on",
            major_security_risk=request.POST.get("major_security_risk") == "on",
        )
        messages.success(request, f"{year}年度运维经费申请已提交，并已按《办法》评估。")
    except ValueError:
        messages.error(request, "运维年度应为数字。")
    except DomainError as exc:
        messages.error(request, exc.message + (f"（{exc.article}）" if exc.article and exc.article not in exc.message else ""))
    return redirect("delivery:project", pk=project.pk)


@login_required
@require_POST
def om_request_decision(request: HttpRequest, pk: int, request_id: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    om = OMFundingRequest.objects.filter(project=project, pk=request_id).first()
    if om is None:
        raise Http404("未找到该申请")
    try:
        granted = request.POST.get("granted_amount", "").strip()
        om_request_decide(request=om, actor=request.user, approve=request.POST.get("approve") == "1",
                          granted_amount=_decimal(granted, "granted_amount", "安排金额") if granted else None,
                          note=request.POST.get("note", ""))
        messages.success(request, "决定已记录。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("delivery:project", pk=project.pk)


@login_required
@require_POST
def crypto_assessment_new(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    try:
        assessed_on = _date(request.POST.get("assessed_on", ""), "assessed_on", "评估日期")
        next_due_text = request.POST.get("next_due", "").strip()
        record = crypto_assessment_record(
            project=project, actor=request.user, assessed_on=assessed_on, assessor=request.POST.get("assessor", ""),
            result=request.POST.get("result", ""),
            next_due=_date(next_due_text, "next_due", "下次评估到期日") if next_due_text else None)
        messages.success(request, f"密评记录已登记，下次评估到期日 {record.next_due:%Y-%m-%d}。")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("delivery:project", pk=project.pk)


def _date(value: str, field: str, label: str) -> date:
    try:
        return date.fromisoformat((value or "").strip())
    except ValueError:
        raise DomainError(f"{label}应为 YYYY-MM-DD 格式的日期。", code="invalid", field=field) from None


@login_required
def inventory(request: HttpRequest) -> HttpResponse:
    systems = inventory_visible_to(request.user)
    return render(request, "delivery/inventory.html", {"systems": systems})
