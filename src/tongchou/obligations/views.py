from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from tongchou.calendar.selectors import calendar_load
from tongchou.core_errors import DomainError, NotFound
from tongchou.obligations.forms import ServiceLevelForm
from tongchou.obligations.models import OPEN_STATUSES, ServiceLevel
from tongchou.obligations.selectors import obligation_links, obligations_due, obligations_visible_to
from tongchou.obligations.service_levels import may_edit_service_levels, service_level_update


@login_required
def deadlines(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    visible = obligations_visible_to(request.user)
    overdue, soon = obligations_due(as_of=today, within_days=30, rows=visible)
    later = list(visible.filter(status__in=OPEN_STATUSES, due_date__gt=today + timedelta(days=30))[:100])
    cal = calendar_load()
    warnings = set(cal.warnings_for({today.year, today.year + 1}))
    for ob in [*overdue, *soon, *later]:
        warnings.update(w for w in ob.calendar_warning.splitlines() if w)
    return render(request, "obligations/deadlines.html", {
        "today": today, "overdue": obligation_links(request.user, overdue), "soon": obligation_links(request.user, soon),
        "later": obligation_links(request.user, later), "warnings": sorted(warnings),
    })


@login_required
def service_levels(request: HttpRequest) -> HttpResponse:
    """Every level with its article (they are the same prefecture-wide, and nothing in them is secret)."""
    return render(request, "obligations/service_levels.html", {
        "levels": ServiceLevel.objects.all(), "can_edit": may_edit_service_levels(request.user),
    })


def _refused(request: HttpRequest, text: str) -> HttpResponse:
    return render(request, "obligations/service_level_refused.html", {"text": text}, status=403)


@login_required
@require_http_methods(["GET", "POST"])
def service_level_edit(request: HttpRequest, code: str) -> HttpResponse:
    level = ServiceLevel.objects.filter(code=code).first()
    if level is None:
        raise Http404("未找到该办理时限。")
    status = 200
    if request.method == "POST":
        form = ServiceLevelForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = service_level_update(code=code, period=data["period"], unit=data["unit"],
                                             remind_before=data["remind_before"], active=data["active"],
                                             actor=request.user)  # type: ignore[arg-type]
            except NotFound:
                raise Http404("未找到该办理时限。") from None
            except DomainError as exc:
                if exc.status == 403:
                    return _refused(request, exc.message)
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                unit = "个月" if saved.unit == "months" else f"个{saved.get_unit_display()}"
                messages.success(request, f"已修改“{saved.title}”为 {saved.period} {unit}（提前 {saved.remind_before} "
                                          "个工作日提醒）；此后开启的事项按新时限计算，已开启的保持原到期日。")
                return redirect("obligations:service_levels")
    else:
        if not may_edit_service_levels(request.user):
            return _refused(request, "只有州数字化发展局负责人或系统管理员可以修改办理时限。")
        form = ServiceLevelForm(initial={"period": level.period, "unit": level.unit,
                                         "remind_before": level.remind_before, "active": level.active})
    return render(request, "obligations/service_level_edit.html", {"level": level, "form": form}, status=status)
