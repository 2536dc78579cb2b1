"""Work queues: what waits on the development and reform commission and finance after the bureau's
opinion (立项批复, 预算安排, and the delivery steps delivery registers here), oldest first, each with the
page where it is done. Reads only, starting from the visibility selectors (ADR 0166).

For a county project the county bureau's lead records the approval and budget on behalf of the county's
own offices (`reviews.access.require_field_owner`), so the approval and budget queues are theirs there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tongchou.accounts.models import Level, MemberRole, OrgKind, Role
from tongchou.projects.models import Project, Status
from tongchou.projects.selectors import projects_visible_to
from tongchou.reviews.models import (
    Conclusion,
    ConsolidatedOpinion,
    ConsolidatedStatus,
    ProjectApproval,
    ProjectBudget,
    ProjectRouting,
)


@dataclass(frozen=True)
class QueueItem:
    queue: str
    label: str
    project: Project
    since: date
    link: str
    article: str
    note: str = ""


QueueSource = Callable[[Any], list[QueueItem]]
_SOURCES: list[QueueSource] = []

APPROVAL = ("approval", "待立项批复", "第十四条第（四）项、第二十一条")
BUDGET = ("budget", "待安排预算", "第十五条、第二十一条")
# The order of the sections on the desk and the 工作台.
QUEUE_ORDER = ["approval", "budget", "acceptance", "om_request", "performance"]


def register_queue_source(source: QueueSource) -> None:
    """Another app adds its queue (delivery: acceptance applications, O&M requests) in its ready()."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def deciding_projects(user: Any, member: str) -> QuerySet[Project] | None:
    """The projects on which this user records `member`'s decision: that member unit's reviewers for
    prefecture and park projects, a county bureau's lead for the county's own. None: not a decider."""
    if user is None or not user.is_authenticated or not user.is_active:
        return None
    org = getattr(user, "organisation", None)
    if org is None:
        return None
    if user.role == Role.MEMBER_REVIEWER and org.member_role == member:
        return projects_visible_to(user).exclude(level=Level.COUNTY)
    if (member in (MemberRole.DEVELOPMENT_REFORM, MemberRole.FINANCE) and user.role == Role.BUREAU_LEAD
            and org.kind == OrgKind.BUREAU and org.level == Level.COUNTY):
        return projects_visible_to(user).filter(level=Level.COUNTY)
    return None


def _latest_issued(field: str) -> Subquery:
    return Subquery(ConsolidatedOpinion.objects.filter(round__project=OuterRef("pk"), status=ConsolidatedStatus.ISSUED)
                    .order_by("-issued_at").values(field)[:1])


def approval_waiting(user: Any) -> list[QueueItem]:
    """Opinion issued, no 立项批复 yet; a 不同意 opinion leaves nothing to approve (the bureau rejects it)."""
    projects = deciding_projects(user, MemberRole.DEVELOPMENT_REFORM)
    if projects is None:
        return []
    rows = (projects.filter(status=Status.OPINION_ISSUED)
            .exclude(pk__in=ProjectApproval.objects.values("project_id"))
            .annotate(opinion_on=_latest_issued("issued_on"), opinion_conclusion=_latest_issued("conclusion"),
                      opinion_number=_latest_issued("doc_number"))
            # not exclude(): NOT (NULL = 'disagree') is NULL in SQL and would drop a project without a row
            .filter(Q(opinion_conclusion__isnull=True) | ~Q(opinion_conclusion=Conclusion.DISAGREE))
            .select_related("unit"))
    code, label, article = APPROVAL
    return [QueueItem(queue=code, label=label, project=p, since=p.opinion_on or timezone.localdate(p.updated_at),
                      link=f"/reviews/projects/{p.pk}/", article=article,
                      note=f"审查意见 {p.opinion_number}" if p.opinion_number else "")
            for p in rows]


def budget_waiting(user: Any) -> list[QueueItem]:
    """Approved (or registered for self-procurement, Art. 16) and not yet filed into procurement, with no
    budget: procurement cannot start without it (Art. 21)."""
    projects = deciding_projects(user, MemberRole.FINANCE)
    if projects is None:
        return []
    approved_on = Subquery(ProjectApproval.objects.filter(project=OuterRef("pk")).values("approval_date")[:1])
    routed_at = Subquery(ProjectRouting.objects.filter(project=OuterRef("pk")).values("routed_at")[:1])
    rows = (projects.filter(status__in=[Status.APPROVED, Status.FILED])
            .exclude(pk__in=ProjectBudget.objects.values("project_id"))
            .annotate(approved_on=approved_on, routed_at=routed_at).select_related("unit"))
    code, label, article = BUDGET
    items = []
    for p in rows:
        since = p.approved_on or timezone.localdate(p.routed_at or p.updated_at)
        note = "已立项批复" if p.approved_on else "自行组织实施（第十六条）"
        items.append(QueueItem(queue=code, label=label, project=p, since=since,
                               link=f"/reviews/projects/{p.pk}/", article=article, note=note))
    return items


def work_queue(user: Any) -> list[QueueItem]:
    """Everything waiting on this user's decision, oldest first (ties by project code)."""
    items = approval_waiting(user) + budget_waiting(user)
    for source in _SOURCES:
        items += source(user)
    return sorted(items, key=lambda i: (i.since, i.project.code, i.queue))


def work_queue_sections(user: Any) -> list[dict[str, Any]]:
    """The queue grouped for the desk: one section per kind that has items, in QUEUE_ORDER."""
    sections: dict[str, dict[str, Any]] = {}
    for item in work_queue(user):
        sections.setdefault(item.queue, {"queue": item.queue, "label": item.label, "items": []})["items"].append(item)
    order = {code: n for n, code in enumerate(QUEUE_ORDER)}
    return sorted(sections.values(), key=lambda s: order.get(s["queue"], len(order)))
