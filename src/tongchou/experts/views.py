"""Pages of the expert pool (thin: forms in, services and selectors, templates out)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongchou.accounts.models import Organisation, Role
from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.core_errors import DomainError, NotFound
from tongchou.experts import selectors
from tongchou.experts.export_xlsx import experts_export_xlsx, fee_ledger_xlsx
from tongchou.experts.forms import DrawForm, ExpertForm, FeeRateForm, ImportForm
from tongchou.experts.import_xlsx import experts_import_xlsx
from tongchou.experts.models import Purpose
from tongchou.experts.panels import TEMPLATES
from tongchou.experts.permissions import is_pool_manager
from tongchou.experts.services_draws import draw_cancel, draw_close, draw_execute, draw_prepare, draw_unseal
from tongchou.experts.services_members import member_rate, member_record_duration, member_respond
from tongchou.experts.services_registry import ExpertData, expert_contact_view, expert_save, fee_rate_save
from tongchou.experts.xlsx_columns import split_list
from tongchou.projects.models import Project
from tongchou.web.errors import page_not_found, permission_denied

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _handles_refusals(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A DomainError on a page: 404 and 403 get the site's error pages (with the refusal's text); other
    refusals come back as a message."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            return page_not_found(request, exc)
        except DomainError as exc:
            text = exc.with_article + (f" {exc.hint}" if exc.hint else "")
            if exc.status == 403:
                return permission_denied(request, PermissionDenied(text))
            messages.error(request, text)
            return HttpResponseRedirect(request.META.get("HTTP_REFERER") or request.path)

    return login_required(never_cache(wrapper))


@_handles_refusals
def pool(request: AuthenticatedHttpRequest) -> HttpResponse:
    if request.user.role == Role.EXPERT:
        return redirect("experts:me")
    if not is_pool_manager(request.user):
        return redirect("experts:draws")
    experts = selectors.experts_visible_to(request.user)
    rows = [(e, selectors.expert_masked_contact(e)) for e in experts]
    return render(request, "experts/pool.html", {"rows": rows, "proposals": selectors.suspension_proposals()})


@_handles_refusals
def expert_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ExpertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            expert = expert_save(actor=request.user, data=ExpertData(
                code=d["code"], name=d["name"], title=d["title"], title_level=d["title_level"], years=d["years"],
                employer=d["employer"], categories=d["categories"], phone=d["phone"], id_number=d["id_number"],
                available=d["available"], former_employers=d["former_employers"], conflicts=split_list(d["conflicts"])))
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已添加专家 {expert}")
            return redirect("experts:detail", pk=expert.pk)
    elif request.method == "GET" and not is_pool_manager(request.user):
        raise DomainError("只有数字化发展局的专家库管理人员可以添加专家", status=403)
    return render(request, "experts/expert_form.html", {"form": form})


@_handles_refusals
def expert_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    expert = selectors.expert_get(user=request.user, pk=pk)
    contact = selectors.expert_masked_contact(expert)
    revealed = False
    if request.method == "POST" and request.POST.get("reveal"):
        contact = expert_contact_view(expert=expert, actor=request.user)
        revealed = True
    return render(request, "experts/expert_detail.html", {
        "expert": expert, "contact": contact, "revealed": revealed,
        "may_reveal": is_pool_manager(request.user),
        "memberships": expert.memberships.select_related("draw").order_by("-review_date")[:50],
        "category_names": selectors.category_names(),
    })


@_handles_refusals
def pool_import(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        report = experts_import_xlsx(upload=form.cleaned_data["file"],
                                     only_good_rows=form.cleaned_data["only_good_rows"], actor=request.user).as_dict()
    elif request.method == "GET" and not is_pool_manager(request.user):
        raise DomainError("只有数字化发展局的专家库管理人员可以导入专家", status=403)
    return render(request, "experts/import.html", {"form": form, "report": report})


def _download(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@_handles_refusals
def pool_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _download(experts_export_xlsx(actor=request.user), "experts.xlsx")


@_handles_refusals
def draws(request: AuthenticatedHttpRequest) -> HttpResponse:
    records = selectors.draws_visible_to(request.user)[:200]
    return render(request, "experts/draws.html", {"records": records, "may_draw": request.user.role != Role.EXPERT})


@_handles_refusals
def draw_new(request: AuthenticatedHttpRequest) -> HttpResponse:
    purpose = request.GET.get("purpose", "joint_review")
    initial = {"purpose": purpose, "reserves": 2}
    for need in TEMPLATES.get(purpose, []):
        initial[f"need_{need['category']}"] = need["count"]
    form = DrawForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        project = None
        unit = None
        if d["project_code"]:
            project = Project.objects.filter(code=d["project_code"].strip()).first()
            if project is None or not (is_pool_manager(request.user)
                                       or project.unit_id == request.user.organisation_id):
                form.add_error("project_code", "未找到该项目，或您无权为其抽取专家")
        elif d["requesting_unit"]:
            unit = Organisation.objects.filter(code=d["requesting_unit"].strip()).first()
            if unit is None:
                form.add_error("requesting_unit", "未找到该单位代码")
        else:
            unit = request.user.organisation
        if form.is_valid():
            vendors, authors = form.org_lists()
            try:
                record = draw_prepare(purpose=d["purpose"], subject=d["subject"], review_date=d["review_date"],
                                      needs=form.needs(), actor=request.user, project=project, requesting_unit=unit,
                                      vendors=vendors, plan_authors=authors, reserves=d["reserves"])
            except DomainError as exc:
                form.add_error(None, exc.with_article)
            else:
                messages.success(request, "已生成并公布承诺值。确认无误后点击“抽取”。")
                return redirect("experts:draw", pk=record.pk)
    # the review types with a panel template, by their Chinese names (the codes stay in the links)
    templates = [(key, Purpose(key).label) for key in TEMPLATES]
    return render(request, "experts/draw_form.html", {"form": form, "templates": templates, "purpose": purpose})


@_handles_refusals
def draw_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    record = selectors.draw_get(user=request.user, pk=pk)
    view = selectors.draw_public_view(user=request.user, record=record)
    organiser = is_pool_manager(request.user) or (
        record.created_by_id == request.user.pk and request.user.role != Role.EXPERT)
    return render(request, "experts/draw_detail.html", {
        "record": record, "view": view, "organiser": organiser,
        "members": selectors.draw_members_for(user=request.user, record=record),
        "supplements": record.supplements.all() if organiser else [],
        "category_names": selectors.category_names(),
    })


@require_POST
@_handles_refusals
def draw_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    record = selectors.draw_get(user=request.user, pk=pk)
    if action == "execute":
        draw_execute(draw_record=record, actor=request.user)
        messages.success(request, "抽取完成。种子已公开，任何人可用记录复核结果。")
    elif action == "unseal":
        draw_unseal(draw_record=record, actor=request.user)
        messages.success(request, "已解除保密，申请单位可查看专家名单。")
    elif action == "close":
        draw_close(draw_record=record, actor=request.user)
        messages.success(request, "评审已结束。")
    elif action == "cancel":
        draw_cancel(draw_record=record, reason=request.POST.get("reason", ""), actor=request.user)
        messages.success(request, "已取消本次抽取（记录保留）。")
    else:
        raise NotFound()
    return redirect("experts:draw", pk=record.pk)


@require_POST
@_handles_refusals
def member_action(request: AuthenticatedHttpRequest, pk: int, action: str) -> HttpResponse:
    member = selectors.member_get(user=request.user, pk=pk)
    if action in ("accept", "decline"):
        replacement = member_respond(member=member, accept=action == "accept", actor=request.user,
                                     reason=request.POST.get("reason", ""))
        if action == "accept":
            messages.success(request, "已接受邀请。")
        else:
            messages.success(request, "已谢绝。" + ("已由备选或补抽专家替补。" if replacement else "暂无可替补的专家，已通知组织者。"))
    elif action == "duration":
        entry = member_record_duration(member=member, minutes=_int(request.POST.get("minutes"), "minutes"),
                                       actor=request.user)
        messages.success(request, f"已登记时长，专家费 {entry.amount} 元（由{entry.payer}支付）。")
    elif action == "rating":
        member_rate(member=member, score=_int(request.POST.get("score"), "score"),
                    comment=request.POST.get("comment", ""), actor=request.user)
        messages.success(request, "已评分。")
    else:
        raise NotFound()
    if request.user.role == Role.EXPERT:
        return redirect("experts:me")
    return redirect("experts:draw", pk=member.draw_id)


def _int(value: str | None, field: str) -> int:
    try:
        return int(value or "")
    except ValueError:
        raise DomainError("请输入整数", field=field) from None


@_handles_refusals
def me(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = timezone.localdate().year
    profile = selectors.experts_visible_to(request.user).filter(user=request.user).first()
    return render(request, "experts/me.html", {
        "profile": profile, "invitations": selectors.invitations_for(request.user),
        "ledger": selectors.fee_ledger(year=year, user=request.user), "year": year,
        "category_names": selectors.category_names(),
    })


@_handles_refusals
def fees(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not is_pool_manager(request.user):
        raise DomainError("专家费台账仅对数字化发展局开放", status=403)
    year = _int(request.GET.get("year") or str(timezone.localdate().year), "year")
    form = FeeRateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        fee_rate_save(actor=request.user, **form.cleaned_data)
        messages.success(request, "已保存专家费标准。")
        return redirect(f"{request.path}?year={year}")
    from tongchou.experts.models import FeeRate

    return render(request, "experts/fees.html", {
        "year": year, "rows": selectors.fee_ledger(year=year, user=request.user), "form": form,
        "rates": FeeRate.objects.all()[:20],
    })


@_handles_refusals
def fees_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _int(request.GET.get("year") or str(timezone.localdate().year), "year")
    return _download(fee_ledger_xlsx(year=year, actor=request.user), f"expert-fees-{year}.xlsx")
