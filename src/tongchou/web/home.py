"""What each person sees first: their own work, most urgent first (reads only, through the selectors)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tongchou.accounts.models import ADMIN_ROLES, Role
from tongchou.notifications.selectors import notifications_for
from tongchou.obligations.selectors import obligation_links, obligations_due, obligations_owed_by
from tongchou.portfolio.panel import workbench_links
from tongchou.projects.selectors import projects_visible_to
from tongchou.reviews.queues import work_queue
from tongchou.reviews.selectors import desk_tasks


def home_panels(user: Any) -> dict[str, Any]:
    today = timezone.localdate()
    panels: dict[str, Any] = {"today": today, "is_admin": user.role in ADMIN_ROLES}
    if user.role in ADMIN_ROLES or user.role == Role.EXPERT:
        panels["notifications"] = list(notifications_for(user, unread_only=True)[:8])
        return panels
    queue = work_queue(user)
    # Only what this organisation must discharge itself (a unit does not own the bureau's Art. 10 check).
    overdue, soon = obligations_due(as_of=today, within_days=30, rows=obligations_owed_by(user))
    panels.update(
        overdue=obligation_links(user, overdue[:10]), overdue_count=len(overdue),
        soon=obligation_links(user, soon[:10]), soon_count=len(soon),
        projects=list(projects_visible_to(user).select_related("unit").order_by("-updated_at", "-id")[:10]),
        tasks=desk_tasks(user, today=today)[:10] if user.role in (
            Role.MEMBER_REVIEWER, Role.BUREAU_REVIEWER, Role.BUREAU_LEAD) else [],
        queue=queue[:10], queue_count=len(queue),
        notifications=list(notifications_for(user, unread_only=True)[:8]),
        portfolio_links=workbench_links(user),
    )
    return panels
