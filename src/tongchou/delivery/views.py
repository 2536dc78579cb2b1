"""Web pages: a project's 实施与运维 page (one tab per stage, every form of the stage) and the system
inventory. Thin: reads through the selectors, every POST is one service call through `_submit`; a
refusal is shown as the service words it, on the field it names."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongchou.accounts.models import Level
from tongchou.core_errors import DomainError, NotFound
from tongchou.delivery.forms import DeliveryForm, SystemEditForm
from tongchou.delivery.models import InventorySystem
from tongchou.delivery.overview import delivery_overview
from tongchou.delivery.page_actions import ACTIONS, TABS, PageAction, Who, default_tab
from tongchou.delivery.rules.committee import seat_roll
from tongchou.delivery.rules.contract_check import what_to_do
from tongchou.delivery.rules.scoring import WEIGHTS
from tongchou.delivery.seams import contract_thresholds
from tongchou.delivery.selectors import delivery_due_items, inventory_visible_to, project_get, project_owed
from tongchou.delivery.services.om import REASON_TEXT
from tongchou.projects.models import Project


def _project_or_404(request: HttpRequest, pk: int) -> Project:
    try:
        return project_get(user=request.user, project_id=pk)
    except NotFound:
        raise Http404("未找到该项目，或您无权查看") from None


def _refusal_text(exc: DomainError) -> str:
    text = exc.message
    if exc.article and exc.article not in text:
        text += f"（依据{exc.article}）"
    if exc.hint:
        text += f" {exc.hint}"
    return text


def _context(request: HttpRequest, project: Project, tab: str, bound: dict[str, DeliveryForm],
             bound_row: int | None = None) -> dict[str, Any]:
    who = Who.of(request.user, project)
    data = delivery_overview(project)
    for r in data["om_requests"]:
        r["reason_texts"] = [REASON_TEXT.get(code, code) for code in r["reasons"]]
    for c in data["contracts"]:
        c["findings"] = [{**x, "what_to_do": what_to_do(x["code"])} for x in c["findings"]]
    members = data["acceptance"]["members"] if data["acceptance"] else []
    edit = ACTIONS["system-edit"]
    if tab == "om" and edit.shown(who):
        for system in data["systems"]:
            row = InventorySystem.objects.get(pk=system["id"])
            key = f"system_edit_{row.pk}"
            system["form"] = (bound.get(edit.key) if bound_row == row.pk else None) or SystemEditForm(
                project=project, key=key, initial=SystemEditForm.initial_for(row))
    forms = {
        a.key: bound.get(a.key) or a.form(project=project, key=a.key)
        for a in ACTIONS.values() if a.tab == tab and a.lookup is None and a.shown(who)
    }
    return {
        "project": project, "d": data, "tab": tab, "tabs": TABS, "who": who, "forms": forms,
        "bound_errors": [e for form in bound.values() for errors in form.errors.values() for e in errors],
        "due": delivery_due_items(projects=Project.objects.filter(pk=project.pk)),
        "owed": project_owed(project) if tab == "security" else [],
        "seats": seat_roll(((m["seat"], m["name"]) for m in members), county=project.level == Level.COUNTY),
        "weights": WEIGHTS, "today": timezone.localdate(), "limits": contract_thresholds(timezone.localdate()),
    }


@never_cache
@login_required
def project_delivery(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project_or_404(request, pk)
    tab = request.GET.get("tab") or default_tab(project)
    if tab not in {t[0] for t in TABS}:
        tab = default_tab(project)
    return render(request, "delivery/project.html", _context(request, project, tab, {}))


def _submit(request: HttpRequest, project: Project, action: PageAction, obj: Any,
            obj_id: int | None = None) -> HttpResponse:
    """Bind the form → call the service once → message and redirect to the tab; or re-render the tab with
    the errors on the fields they name (400, or the refusal's own status), nothing stored."""
    form = action.form(request.POST, project=project, key=action.key)
    status = 400
    if form.is_valid():
        try:
            result = action.call(request.user, project, obj, form.service_kwargs())
        except NotFound:
            raise Http404("未找到该记录，或您无权查看") from None
        except DomainError as exc:
            if exc.status == 403:
                return render(request, "delivery/refused.html",
                              {"project": project, "text": _refusal_text(exc), "tab": action.tab}, status=403)
            form.add_error(form.form_field_for(exc.field), _refusal_text(exc))
            status = exc.status if exc.status >= 400 else 400
        else:
            messages.success(request, action.done(result))
            url = reverse("delivery:project", args=[project.pk])
            return redirect(url if action.moves else f"{url}?tab={action.tab}")
    project.refresh_from_db()
    return render(request, "delivery/project.html",
                  _context(request, project, action.tab, {action.key: form}, obj_id), status=status)


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str, obj_id: int | None = None) -> HttpResponse:
    project = _project_or_404(request, pk)
    spec = ACTIONS.get(action)
    if spec is None or (spec.lookup is None) != (obj_id is None):
        raise Http404("没有这个操作")
    obj = None
    if spec.lookup is not None and obj_id is not None:
        obj = spec.lookup(project, obj_id)
        if obj is None:
            raise Http404("未找到该记录，或您无权查看")
    return _submit(request, project, spec, obj, obj_id)


@login_required
def inventory(request: HttpRequest) -> HttpResponse:
    systems = inventory_visible_to(request.user)
    return render(request, "delivery/inventory.html", {"systems": systems})
