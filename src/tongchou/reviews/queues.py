"""Work queues: what waits on the development and reform commission and finance after the bureau's
opinion (立项批复, 预算安排, and the delivery steps delivery registers here), oldest first, each with the
page where it is done. Reads only, starting from the visibility selectors (ADR 0166). The bureau's
待受理 (Art. 10) and the unit's own steps (补正, 报备, Art. 14, 18) are queues too (ADR 0246).

For a county project the county bureau's lead records the approval and budget on behalf of the county's
own offices (`reviews.access.require_field_owner`), so the approval and budget queues are theirs there."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, MemberRole, OrgKind, Role
from tongchou.obligations.completeness import COMPLETENESS_CHECK
from tongchou.obligations.models import OPEN_STATUSES, Obligation
from tongchou.projects.models import Project, Status
from tongchou.projects.selectors import projects_visible_to
from tongchou.reviews.aspects import task_label
from tongchou.reviews.models import (
    Conclusion,
    ConsolidatedOpinion,
    ConsolidatedStatus,
    ProjectApproval,
    ProjectBudget,
    ProjectRouting,
    ReviewPath,
)
from tongchou.reviews.selectors import authority_projects, supplements_for_unit


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
INTAKE = ("intake", "待受理", "第十条")
SUPPLEMENT = ("supplement", "待补正", "第十四条")
FILING = ("filing", "待报备", "第十八条")
# The order of the sections on the desk and the 工作台.
QUEUE_ORDER = ["intake", "supplement", "filing", "approval", "budget", "acceptance", "om_request", "performance"]


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


def intake_waiting(user: Any) -> list[QueueItem]:
    """Submitted projects waiting for the bureau that runs them (the county's for a county project) to
    受理并启动审查, 登记自行组织实施 or 退回补正 — on the review page, where the stored assessment is shown.
    Each with the Art. 10 completeness check's due date when that obligation is open."""
    if user is None or not user.is_authenticated or user.role not in BUREAU_ROLES:
        return []
    check_due = Subquery(Obligation.objects.filter(project=OuterRef("pk"), code=COMPLETENESS_CHECK,
                                                   status__in=OPEN_STATUSES).values("due_date")[:1])
    rows = (authority_projects(user).filter(status=Status.SUBMITTED).annotate(check_due=check_due)
            .select_related("unit"))
    code, label, article = INTAKE
    return [QueueItem(queue=code, label=label, project=p,
                      since=timezone.localdate(p.submitted_at or p.updated_at),
                      link=f"/reviews/projects/{p.pk}/", article=article,
                      note=f"完整性审查 {p.check_due:%Y-%m-%d} 到期" if p.check_due else "")
            for p in rows]


def supplement_waiting(user: Any) -> list[QueueItem]:
    """The unit's unanswered 补正 requests: the reviewer's clock is stopped until it answers (Art. 14)."""
    code, label, article = SUPPLEMENT
    return [QueueItem(queue=code, label=label, project=s.task.round.project, since=s.requested_on,
                      link=f"/reviews/#supplement-{s.pk}", article=article,
                      note=f"{task_label(s.task.member)}：{s.question[:40]}")
            for s in supplements_for_unit(user).filter(answered_at__isnull=True)
            .select_related("task__round__project__unit")]


def filing_waiting(user: Any) -> list[QueueItem]:
    """Approved (or registered for self-procurement, Art. 16) and not yet filed with the digital bureau:
    the unit's Art. 18 报备, done on the review page (and from the project page)."""
    if user is None or not user.is_authenticated or user.role not in UNIT_ROLES or not user.organisation_id:
        return []
    approved_on = Subquery(ProjectApproval.objects.filter(project=OuterRef("pk")).values("approval_date")[:1])
    doc_number = Subquery(ProjectApproval.objects.filter(project=OuterRef("pk")).values("doc_number")[:1])
    routed_at = Subquery(ProjectRouting.objects.filter(project=OuterRef("pk")).values("routed_at")[:1])
    self_procured = ProjectRouting.objects.filter(review_path=ReviewPath.SELF_PROCUREMENT).values("project_id")
    rows = (projects_visible_to(user).filter(unit_id=user.organisation_id, status=Status.APPROVED)
            .filter(Q(pk__in=ProjectApproval.objects.values("project_id")) | Q(pk__in=self_procured))
            .annotate(approved_on=approved_on, doc_number=doc_number, routed_at=routed_at).select_related("unit"))
    code, label, article = FILING
    return [QueueItem(queue=code, label=label, project=p,
                      since=p.approved_on or timezone.localdate(p.routed_at or p.updated_at),
                      link=f"/reviews/projects/{p.pk}/", article=article,
                      note=f"立项批复 {p.doc_number}" if p.doc_number else "自行组织实施（第十六条）")
            for p in rows]


def work_queue(user: Any) -> list[QueueItem]:
    """Everything waiting on this user's decision, oldest first (ties by project code)."""
    items = (intake_waiting(user) + supplement_waiting(user) + filing_waiting(user) + approval_waiting(user)
             + budget_waiting(user))
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
