"""The unit's own page: its projects, what falls due this month, what is overdue."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Count, Sum

from tongchou.obligations.models import OPEN_STATUSES, Obligation
from tongchou.projects.models import Status
from tongchou.reports.figures import Scope, register_link

LIST_LIMIT = 100


@dataclass
class UnitOverview:
    total: int
    amount: Any
    by_status: list[dict[str, Any]]
    due_this_month: list[Obligation]
    overdue: list[Obligation]
    month_end: date


def unit_overview(scope: Scope) -> UnitOverview:
    today = scope.as_of
    month_end = today.replace(day=calendar.monthrange(today.year, today.month)[1])
    labels = {k: str(v) for k, v in Status.choices}
    projects = scope.projects()
    grouped = list(projects.values("status").annotate(n=Count("id"), amount=Sum("construction_cost")).order_by())
    order = list(labels)
    grouped.sort(key=lambda r: order.index(r["status"]) if r["status"] in order else len(order))
    by_status = [{"status": r["status"], "label": labels.get(r["status"], r["status"]), "n": r["n"],
                  "amount": r["amount"] or 0, "link": register_link(scope, status=r["status"])} for r in grouped]
    # The unit's own projects are already its visible ones: no need for the deadline selector's wider OR.
    open_items = (Obligation.objects.select_related("project").filter(project__in=projects, status__in=OPEN_STATUSES)
                  .order_by("due_date", "id"))
    return UnitOverview(
        total=sum(r["n"] for r in grouped),
        amount=sum((r["amount"] or 0) for r in grouped),
        by_status=by_status,
        due_this_month=list(open_items.filter(due_date__gte=today, due_date__lte=month_end)[:LIST_LIMIT]),
        overdue=list(open_items.filter(due_date__lt=today)[:LIST_LIMIT]),
        month_end=month_end,
    )
