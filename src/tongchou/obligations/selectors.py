"""Who sees which deadlines: the bureau its jurisdiction's, a unit its own, a member unit what it owes."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q, QuerySet

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, Role
from tongchou.obligations.models import OPEN_STATUSES, Obligation


def obligations_visible_to(user: object) -> QuerySet[Obligation]:
    rows = Obligation.objects.select_related("project", "responsible_org", "project__unit")
    role = getattr(user, "role", None)
    org = getattr(user, "organisation", None)
    if org is None:
        return rows.none()
    if role in BUREAU_ROLES:
        if org.level == Level.COUNTY:
            return rows.filter(project__unit__jurisdiction=org.jurisdiction, project__unit__level=Level.COUNTY)
        return rows
    if role in UNIT_ROLES:
        return rows.filter(Q(project__unit=org) | Q(responsible_org=org))
    if role == Role.MEMBER_REVIEWER:
        return rows.filter(responsible_org=org)
    return rows.none()


def obligations_due(*, as_of: date, within_days: int = 14, rows: QuerySet[Obligation] | None = None
                    ) -> tuple[list[Obligation], list[Obligation]]:
    """(overdue, due soon): still-open items past their date, and those due within `within_days`."""
    base = (rows if rows is not None else Obligation.objects.select_related("project", "responsible_org")
            ).filter(status__in=OPEN_STATUSES)
    overdue = list(base.filter(due_date__lt=as_of).order_by("due_date", "id"))
    soon = list(base.filter(due_date__gte=as_of, due_date__lte=as_of + timedelta(days=within_days))
                .order_by("due_date", "id"))
    return overdue, soon
