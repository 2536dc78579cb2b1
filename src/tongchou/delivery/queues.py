"""Delivery's part of the member units' work queue (registered with `reviews.queues` in ready()):
acceptance applications waiting on the development and reform commission (Art. 24) and O&M funding
requests waiting on finance (Art. 24, 29, 30), and performance reports waiting on finance's review
(Art. 25, ADR 0191). For a county project the county bureau lead decides all three in their place (Art. 19,
36): the projects come from `reviews.queues.deciding_projects`, the same rule as the approval and budget
queues (ADR 0190)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tongchou.accounts.models import MemberRole
from tongchou.delivery.models import (
    Acceptance,
    OMFundingRequest,
    OMRequestStatus,
    PerformanceReport,
    ReviewStatus,
)
from tongchou.projects.models import Status
from tongchou.reviews.queues import QueueItem, deciding_projects


def _member_projects(user: Any, member: str) -> Any:
    """The projects on which this user records `member`'s delivery decisions (`deciding_projects`)."""
    return deciding_projects(user, member)


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


def performance_waiting(user: Any) -> list[QueueItem]:
    """Submitted (or corrected and resubmitted) performance reports not yet reviewed (Art. 25)."""
    projects = _member_projects(user, MemberRole.FINANCE)
    if projects is None:
        return []
    rows = (PerformanceReport.objects.filter(project__in=projects.values("pk"), submitted_on__isnull=False,
                                             review_status=ReviewStatus.PENDING)
            .select_related("project", "project__unit"))
    return [QueueItem(queue="performance", label="待审核绩效报告", project=r.project, since=r.submitted_on,
                      link=f"/projects/{r.project_id}/delivery/?tab=performance", article="第二十五条",
                      note=f"{r.year}年度{r.period}{r.get_kind_display()}"
                           + (f"（第{r.times_returned + 1}次报送）" if r.times_returned else ""))
            for r in rows if r.submitted_on is not None]


def register() -> None:
    from tongchou.reviews.queues import register_queue_source

    register_queue_source(acceptance_waiting)
    register_queue_source(om_request_waiting)
    register_queue_source(performance_waiting)
