from __future__ import annotations

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tongchou.calendar.selectors import calendar_load
from tongchou.obligations.models import OPEN_STATUSES
from tongchou.obligations.selectors import obligations_due, obligations_visible_to


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
        "today": today, "overdue": overdue, "soon": soon, "later": later, "warnings": sorted(warnings),
    })
