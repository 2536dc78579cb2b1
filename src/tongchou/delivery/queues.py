"""Delivery's part of the member units' work queue (registered with `reviews.queues` in ready()):
acceptance applications waiting on the development and reform commission (Art. 24) and O&M funding
requests waiting on finance (Art. 24, 29, 30). Performance reports have no "reviewed" state in the
model, so they are announced (delivery.notices) but not queued (ADR 0166)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tongchou.accounts.models import Level, MemberRole, Role
from tongchou.delivery.models import Acceptance, OMFundingRequest, OMRequestStatus
from tongchou.delivery.selectors import projects_visible_to
from tongchou.projects.models import Status
from tongchou.reviews.queues import QueueItem


def _member_projects(user: Any, member: str) -> Any:
    """Delivery decisions are the prefecture members' on prefecture and park projects (is_member)."""
    org = getattr(user, "organisation", None)
    if (user is None or not user.is_authenticated or user.role != Role.MEMBER_REVIEWER or org is None
            or org.member_role != member):
        return None
    return projects_visible_to(user).exclude(level=Level.COUNTY)


def acceptance_waiting(user: Any) -> list[QueueItem]:
    projects = _member_projects(user, MemberRole.DEVELOPMENT_REFORM)
    if projects is None:
        return []
    rows = (Acceptance.objects.filter(project__in=projects.values("pk"), project__status=Status.ACCEPTANCE_APPLIED,
                                      passed__isnull=True).select_related("project", "project__unit"))
    return [QueueItem(queue="acceptance", label="待受理验收申请", project=a.project, since=a.applied_on,
                      link=f"/projects/{a.project_id}/delivery/", article="第二十四条",
                      note="待组建验收委员会" if a.convened_on is None else "待登记验收结论")
            for a in rows]


def om_request_waiting(user: Any) -> list[QueueItem]:
    projects = _member_projects(user, MemberRole.FINANCE)
    if projects is None:
        return []
    rows = (OMFundingRequest.objects.filter(project__in=projects.values("pk"), status=OMRequestStatus.SUBMITTED)
            .select_related("project", "project__unit"))
    return [QueueItem(queue="om_request", label="待审核运维经费", project=r.project,
                      since=timezone.localdate(r.submitted_at), link=f"/projects/{r.project_id}/delivery/",
                      article="第二十四条、第二十九条、第三十条",
                      note=f"{r.year}年度 {r.amount} 元" + ("" if r.eligible else "（评估不符合安排条件）"))
            for r in rows]


def register() -> None:
    from tongchou.reviews.queues import register_queue_source

    register_queue_source(acceptance_waiting)
    register_queue_source(om_request_waiting)
