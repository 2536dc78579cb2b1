"""Reads for the review desk, the round page and the API, filtered by role and organisation: a
reviewer sees the rounds where their organisation has a task, the authority bureau its own rounds,
the unit its project's 补正 requests and issued opinions. Anything else is 404."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from tongchou.accounts.models import BUREAU_ROLES, Level, OrgKind, Role
from tongchou.core_errors import NotFound
from tongchou.projects.models import Project
from tongchou.projects.selectors import projects_visible_to
from tongchou.reviews.access import is_unit_of, may_write_task
from tongchou.reviews.aspects import MEMBER_ORDER
from tongchou.reviews.models import OpinionTask, ReviewRound, RoundStatus, SupplementRequest, TaskStatus


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


def desk_tasks(user: Any, *, today: date) -> list[dict[str, Any]]:
    """My organisation's open tasks: overdue first, then by due date; paused tasks after them."""
    if user is None or not user.organisation_id:
        return []
    tasks = (OpinionTask.objects.filter(reviewer_org_id=user.organisation_id, round__status=RoundStatus.OPEN)
             .exclude(status=TaskStatus.SUBMITTED).select_related("round", "round__project", "reviewer_org"))
    if not getattr(user, "classified_access", False):
        tasks = tasks.filter(round__project__classified=False)
    rows = [
        {"task": t, "overdue": t.status == TaskStatus.OPEN and t.due_date < today,
         "paused": t.status == TaskStatus.PAUSED, "days_left": (t.due_date - today).days}
        for t in tasks if may_write_task(user, t)
    ]
    rows.sort(key=lambda r: (not r["overdue"], r["paused"], r["task"].due_date, r["task"].pk))
    return rows


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
    """A project as seen from reviews: its unit, its authority, any organisation with a task on it,
    and the development and reform commission and finance once it has an opinion (they record the
    approval and budget)."""
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
        if (user.organisation.member_role in ("development_reform", "finance")
                and project.level != Level.COUNTY and hasattr(project, "routing")):
            return project
    raise NotFound()
