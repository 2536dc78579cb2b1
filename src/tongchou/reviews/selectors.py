"""Reads for the review desk, the round page and the API, filtered by role and organisation: a
reviewer sees the rounds where their organisation has a task, the authority bureau its own rounds,
the unit its project's 补正 requests and issued opinions. Anything else is 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from tongchou.accounts.models import BUREAU_ROLES, Level, OrgKind, Role
from tongchou.core_errors import NotFound
from tongchou.projects.models import MaterialKind, Project, ProjectAttachment
from tongchou.projects.selectors import projects_visible_to
from tongchou.reviews.access import is_unit_of, may_write_task
from tongchou.reviews.aspects import MEMBER_ORDER, task_label
from tongchou.reviews.models import (
    ConsolidatedOpinion,
    ConsolidatedStatus,
    OpinionAttachment,
    OpinionTask,
    ReviewRound,
    RoundStatus,
    SupplementAttachment,
    SupplementRequest,
    TaskStatus,
)


def _classified_ok(user: Any) -> Q:
    return Q() if getattr(user, "classified_access", False) else Q(project__classified=False)


def _authority_q(user: Any, prefix: str = "") -> Q:
    """Rounds (or projects, with prefix) this user's bureau runs."""
    org = getattr(user, "organisation", None)
    if org is None or org.kind != OrgKind.BUREAU or user.role not in BUREAU_ROLES:
        return Q(pk__in=[])
    p = prefix
    if org.level == Level.COUNTY:
        return Q(**{f"{p}level": Level.COUNTY, f"{p}unit__jurisdiction": org.jurisdiction})
    return ~Q(**{f"{p}level": Level.COUNTY})


def rounds_visible_to(user: Any) -> QuerySet[ReviewRound]:
    if user is None or not user.is_authenticated:
        return ReviewRound.objects.none()
    qs = ReviewRound.objects.select_related("project", "project__unit", "authority")
    mine = Q(tasks__reviewer_org_id=user.organisation_id) if user.organisation_id else Q(pk__in=[])
    if user.role not in BUREAU_ROLES and user.role != Role.MEMBER_REVIEWER:
        mine = Q(pk__in=[])
    authority = Q(pk__in=ReviewRound.objects.filter(
        project__in=Project.objects.filter(_authority_q(user))).values("pk"))
    return qs.filter((mine | authority) & _classified_ok(user)).distinct()


def round_for(user: Any, round_id: int) -> ReviewRound:
    review_round = rounds_visible_to(user).filter(pk=round_id).first()
    if review_round is None:
        raise NotFound()
    return review_round


def exception_document(review_round: ReviewRound) -> ProjectAttachment | None:
    """Art. 13: the written consent of the next-higher department the round's exception rests on — the
    newest one the unit had filed when the round opened (the project is not editable while under review).
    None when the round has no exception or no document was filed (ADR 0196)."""
    if not review_round.exception:
        return None
    return (ProjectAttachment.objects.select_related("file", "uploaded_by")
            .filter(project_id=review_round.project_id, material=MaterialKind.SUPERIOR_CONSENT,
                    uploaded_at__lte=review_round.opened_at)
            .order_by("-uploaded_at", "-id").first())


def exception_document_for(user: Any, round_id: int) -> ProjectAttachment:
    """The document for someone who may see the round; anyone else, or no document, is 404."""
    document = exception_document(round_for(user, round_id))
    if document is None:
        raise NotFound()
    return document


def desk_tasks(user: Any, *, today: date) -> list[dict[str, Any]]:
    """My organisation's open tasks: overdue first, then by due date; paused tasks after them."""
    if user is None or not user.organisation_id:
        return []
    tasks = (OpinionTask.objects.filter(reviewer_org_id=user.organisation_id, round__status=RoundStatus.OPEN)
             .exclude(status=TaskStatus.SUBMITTED).select_related("round", "round__project", "reviewer_org"))
    if not getattr(user, "classified_access", False):
        tasks = tasks.filter(round__project__classified=False)
    rows: list[dict[str, Any]] = [
        {"task": t, "overdue": t.status == TaskStatus.OPEN and t.due_date < today,
         "paused": t.status == TaskStatus.PAUSED, "days_left": (t.due_date - today).days,
         "label": task_label(t.member)}
        for t in tasks if may_write_task(user, t)
    ]
    rows.sort(key=lambda r: (not r["overdue"], r["paused"], r["task"].due_date, r["task"].pk))
    return rows


def authority_projects(user: Any) -> QuerySet[Project]:
    """The projects this user's bureau runs (reviews, accepts), as far as the register shows them to the user."""
    return projects_visible_to(user).filter(_authority_q(user))


def authority_rounds(user: Any) -> QuerySet[ReviewRound]:
    return ReviewRound.objects.filter(
        project__in=Project.objects.filter(_authority_q(user)), status=RoundStatus.OPEN
    ).filter(_classified_ok(user)).select_related("project", "project__unit")


def task_for(user: Any, task_id: int) -> OpinionTask:
    task = (OpinionTask.objects.select_related("round", "round__project", "reviewer_org")
            .filter(pk=task_id, round__in=rounds_visible_to(user)).first())
    if task is None:
        raise NotFound()
    return task


def supplements_for_unit(user: Any) -> QuerySet[SupplementRequest]:
    if user is None or user.role not in (Role.APPLICANT, Role.UNIT_LEADER):
        return SupplementRequest.objects.none()
    return (SupplementRequest.objects.filter(task__round__project__unit_id=user.organisation_id)
            .select_related("task", "task__round", "task__round__project").order_by("answered_at", "-requested_at"))


def supplement_for(user: Any, supplement_id: int) -> SupplementRequest:
    row = (SupplementRequest.objects.select_related("task", "task__round", "task__round__project",
                                                    "task__reviewer_org").filter(pk=supplement_id).first())
    if row is None:
        raise NotFound()
    if is_unit_of(user, row.task.round.project) or rounds_visible_to(user).filter(pk=row.task.round_id).exists():
        return row
    raise NotFound()


def round_columns(review_round: ReviewRound) -> list[dict[str, Any]]:
    """The round's tasks in member order, each with its opinion (side by side on the page)."""
    tasks = {t.member: t for t in review_round.tasks.select_related("reviewer_org").all()}
    opinions = {o.member: o for o in review_round.opinions.select_related("author").all()}
    return [{"task": tasks[m], "opinion": opinions.get(m)} for m in MEMBER_ORDER if m in tasks]


def project_for(user: Any, project_id: int) -> Project:
    """A project as seen from reviews: everyone who sees it in the register (its unit, its authority, and
    the development and reform commission and finance once it awaits their approval or budget, whatever
    the review path — `projects_awaiting_member_decision`, ADR 0165), and any organisation with a task on it."""
    project = Project.objects.select_related("unit").filter(pk=project_id).first()
    if project is None or user is None or not user.is_authenticated:
        raise NotFound()
    if projects_visible_to(user).filter(pk=project.pk).exists():
        return project
    if project.classified and not user.classified_access:
        raise NotFound()
    if user.role == Role.MEMBER_REVIEWER and user.organisation_id:
        if OpinionTask.objects.filter(round__project=project, reviewer_org_id=user.organisation_id).exists():
            return project
    raise NotFound()


def panel_seats_for(user: Any) -> list[dict[str, Any]]:
    """An expert's seats on open joint-review rounds (accepted draw memberships)."""
    if user is None or user.role != Role.EXPERT:
        return []
    from tongchou.experts.models import DrawMember, DrawStatus, MemberStatus, Purpose

    seats = []
    members = DrawMember.objects.filter(
        expert__user=user, status=MemberStatus.ACCEPTED, draw__purpose=Purpose.JOINT_REVIEW,
        draw__status__in=[DrawStatus.DRAWN, DrawStatus.CLOSED], draw__project__isnull=False,
    ).select_related("draw", "draw__project")
    for member in members:
        project_id = member.draw.project_id
        if project_id is None:  # excluded by the query above (draw__project__isnull=False); narrows the type
            continue
        review_round = ReviewRound.objects.filter(project_id=project_id, status=RoundStatus.OPEN,
                                                  expert_review=True).select_related("project").first()
        if review_round is not None:
            seats.append({"round": review_round, "member": member})
    return seats


def round_for_expert(user: Any, round_id: int) -> ReviewRound:
    for seat in panel_seats_for(user):
        if seat["round"].pk == round_id:
            return seat["round"]
    raise NotFound()


def issued_opinion_for(user: Any, round_id: int) -> ConsolidatedOpinion:
    """The consolidated opinion of a round for download: everyone who sees the round, and the
    project's own unit once it is issued (it is addressed to them)."""
    row = (ConsolidatedOpinion.objects.select_related("round", "round__project").filter(round_id=round_id).first())
    if row is None:
        raise NotFound()
    if rounds_visible_to(user).filter(pk=round_id).exists():
        return row
    if row.status == ConsolidatedStatus.ISSUED and is_unit_of(user, row.round.project):
        return row
    raise NotFound()


# ---------------------------------------------------------------- attachments (ADR 0130)


def opinion_attachments_visible(user: Any, task: OpinionTask) -> QuerySet[OpinionAttachment]:
    """A task reached through `task_for`: once the opinion is given its files are seen with it by
    everyone who sees the round; before that only by the task's own reviewers (like the opinion)."""
    if task.status != TaskStatus.SUBMITTED and not may_write_task(user, task):
        return OpinionAttachment.objects.none()
    return OpinionAttachment.objects.filter(task=task).select_related("file", "uploaded_by")


def opinion_attachment_for(user: Any, task_id: int, attachment_id: int) -> OpinionAttachment:
    task = task_for(user, task_id)
    row = opinion_attachments_visible(user, task).filter(pk=attachment_id).first()
    if row is None:
        raise NotFound()
    return row


def supplement_attachments_visible(user: Any, row: SupplementRequest) -> QuerySet[SupplementAttachment]:
    """A 补正 request reached through `supplement_for`: its unit sees its files always; once answered,
    everyone who sees the round sees them with the answer (the requesting reviewer, the bureau)."""
    if row.answered_at is None and not is_unit_of(user, row.task.round.project):
        return SupplementAttachment.objects.none()
    return SupplementAttachment.objects.filter(supplement=row).select_related("file", "uploaded_by")


def supplement_attachment_for(user: Any, supplement_id: int, attachment_id: int) -> SupplementAttachment:
    row = supplement_for(user, supplement_id)
    attachment = supplement_attachments_visible(user, row).filter(pk=attachment_id).first()
    if attachment is None:
        raise NotFound()
    return attachment
