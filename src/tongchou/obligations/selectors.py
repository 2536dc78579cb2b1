"""Who sees which deadlines: the bureau its jurisdiction's, a unit its own, a member unit what it owes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, Role
from tongchou.obligations.models import OPEN_STATUSES, Obligation


def obligations_visible_to(user: object) -> QuerySet[Obligation]:
    """Deadlines this user may read. A classified project's deadlines name the project, so they follow the
    register's clearance rule (`projects_visible_to`): an uncleared reader sees them only for their own
    unit's project — not even as a nameless count; a bureau without a cleared officer is a data problem."""
    rows = Obligation.objects.select_related("project", "responsible_org", "project__unit")
    role = getattr(user, "role", None)
    org = getattr(user, "organisation", None)
    if org is None:
        return rows.none()
    if not getattr(user, "classified_access", False):
        rows = rows.filter(Q(project__classified=False) | Q(project__unit=org))
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


def obligations_owed_by(user: object) -> QuerySet[Obligation]:
    """The items this user's organisation must discharge itself: what the 工作台 counts as its own work.
    A unit sees the bureau's deadline on its project (the Art. 10 completeness check) on the deadlines page
    and the project page, labelled with who is responsible, but not as its own overdue item. The bureau
    supervises every deadline in its jurisdiction (督办), so its 工作台 keeps them all, each labelled."""
    rows = obligations_visible_to(user)
    role = getattr(user, "role", None)
    if role in BUREAU_ROLES:
        return rows
    org_id = getattr(user, "organisation_id", None)
    return rows.filter(responsible_org_id=org_id) if org_id else rows.none()


# Where an obligation is discharged, when that is one clear page (else the project page).
_DISCHARGE_PAGES: dict[str, str] = {
    "SLA-COMPLETENESS-CHECK": "/reviews/projects/{pk}/",  # 受理并启动审查 / 退回补正 (Art. 10)
    "ART18-FILING": "/reviews/projects/{pk}/",  # 报备 (Art. 18)
    "ART26-PROCUREMENT-DEADLINE": "/projects/{pk}/delivery/?tab=procurement",
}


def obligation_links(user: Any, rows: Iterable[Obligation]) -> list[Obligation]:
    """Each row with `.link`: for its responsible organisation the page where it is discharged, for anyone
    else (the supervising bureau, the unit reading the bureau's deadline) the project page — and "" when
    this user may not see the project. One query for the visibility of all the rows' projects."""
    from tongchou.projects.selectors import projects_visible_to

    rows = list(rows)
    ids = {ob.project_id for ob in rows}
    seen = set(projects_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True)) if ids else set()
    org_id = getattr(user, "organisation_id", None)
    for ob in rows:
        if ob.project_id not in seen:
            ob.link = ""  # type: ignore[attr-defined]
            continue
        page = _DISCHARGE_PAGES.get(ob.code)
        if page is None and ob.code.startswith("DELIVERY-"):
            page = "/projects/{pk}/delivery/"
        if page is None or ob.responsible_org_id != org_id:
            page = "/projects/{pk}/"
        ob.link = page.format(pk=ob.project_id)  # type: ignore[attr-defined]
    return rows
