from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tongchou.accounts.models import Role
from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.calendar.forms import ConfirmForm, DayForm
from tongchou.calendar.selectors import calendar_days_for_year, calendar_load, calendar_year_status
from tongchou.calendar.services import calendar_day_delete, calendar_day_set, calendar_year_confirm
from tongchou.core_errors import DomainError


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    return min(max(year, 2000), 2100)


def _back(year: int) -> HttpResponse:
    return redirect(f"{reverse('workcalendar:index')}?year={year}")


@login_required
def index(request: AuthenticatedHttpRequest, form: DayForm | None = None, status: int = 200) -> HttpResponse:
    year = _year(request)
    cal = calendar_load()
    this_year = timezone.localdate().year
    return render(request, "workcalendar/index.html", {
        "year": year,
        "days": calendar_days_for_year(year),
        "year_status": calendar_year_status(year),
        "warnings": cal.warnings_for({year, this_year, this_year + 1}),
        "can_edit": getattr(request.user, "role", None) == Role.SYSTEM_ADMIN,
        "form": form or DayForm(),
        "confirm_form": ConfirmForm(),
        "years": range(this_year - 2, this_year + 3),
    }, status=status)


@login_required
@require_POST
def day_set(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DayForm(request.POST)
    if not form.is_valid():
        return index(request, form=form, status=422)
    day = form.cleaned_data["date"]
    try:
        calendar_day_set(day=day, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"],
                         actor=request.user)
    except DomainError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return index(request, form=form, status=exc.status)
    messages.success(request, f"已保存 {day:%Y-%m-%d}。")
    return _back(day.year)


@login_required
@require_POST
def day_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = DayForm({"date": request.POST.get("date"), "kind": "holiday"})
    year = _year(request)
    if form.is_valid():
        try:
            calendar_day_delete(day=form.cleaned_data["date"], actor=request.user)
            messages.success(request, f"已删除 {form.cleaned_data['date']:%Y-%m-%d} 的登记。")
        except DomainError as exc:
            messages.error(request, exc.message)
    return _back(year)


@login_required
@require_POST
def year_confirm(request: AuthenticatedHttpRequest) -> HttpResponse:
    year = _year(request)
    form = ConfirmForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        calendar_year_confirm(year=year, note=note, actor=request.user)
        messages.success(request, f"{year} 年的节假日安排已确认。")
    except DomainError as exc:
        messages.error(request, exc.message + (f"（{exc.hint}）" if exc.hint else ""))
    return _back(year)
