"""Reads of the register, always through the user's role and organisation (Architecture §4).

Every page and endpoint that shows a project starts from `projects_visible_to(user)`; asking for a
project outside it is answered exactly as asking for one that does not exist (404).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from tongchou.accounts.models import (
    ADMIN_ROLES,
    BUREAU_ROLES,
    UNIT_ROLES,
    Level,
    MemberRole,
    OrgKind,
    Role,
    User,
)
from tongchou.core_errors import NotFound
from tongchou.projects.models import Project, ProjectAssessment, Status

# Once a project leaves the unit's hands it is "submitted" for routing purposes.
EDITABLE_STATUSES = (Status.DRAFT, Status.RETURNED)


def _is_prefecture_bureau(user: User) -> bool:
    org = user.organisation
    return org is not None and org.kind == OrgKind.BUREAU and org.level == Level.PREFECTURE


def projects_routed_to_member(member_role: str, org_id: int | None = None) -> Q:
    """The one definition of "routed to a member unit": a submitted prefecture or park project whose latest
    stored assessment names its reviewer code; or any project on which a review task was actually opened
    for this organisation (`org_id`). A county project's review tasks are its county bureau's (Art. 19, 36;
    `reviews.access.reviewer_org_for`), so a prefecture member unit does not see it merely because the
    assessment names the member's aspect (ADR 0192)."""
    routed = Q(reviewer_codes__contains=f",{member_role},") & ~Q(status=Status.DRAFT) & ~Q(level=Level.COUNTY)
    if org_id is None:
        return routed
    tasked = Project.objects.filter(review_rounds__tasks__reviewer_org_id=org_id).values("pk")
    return routed | Q(pk__in=tasked)


# The member units whose decision comes after the bureau's opinion, whatever the review path: the development
# and reform commission's 立项批复 and acceptance (Art. 14(4), 18, 24), finance's budget, O&M funding and
# performance (Art. 15, 21, 25, 28-30). ADR 0165.
DECIDING_MEMBERS = (MemberRole.DEVELOPMENT_REFORM, MemberRole.FINANCE)
DECISION_STATUSES = (
    Status.OPINION_ISSUED, Status.APPROVED, Status.FILED, Status.PROCUREMENT, Status.IMPLEMENTATION,
    Status.TRIAL_OPERATION, Status.ACCEPTANCE_APPLIED, Status.ACCEPTED, Status.OPERATING, Status.RETIRED,
    Status.LAPSED,
)


def projects_awaiting_member_decision(member_role: str) -> Q:
    """The one definition of "awaits or has this member's decision" (ADR 0165): a prefecture or park
    project from the consolidated opinion (or the Art. 16 self-procurement registration) onwards. County
    projects are decided by the county's own offices, recorded by the county bureau (Art. 19, 36), so a
    prefecture member never sees them this way; drafts and projects still in review are not here either."""
    if member_role not in DECIDING_MEMBERS:
        return Q(pk__in=[])
    return Q(status__in=DECISION_STATUSES) & ~Q(level=Level.COUNTY)


def projects_visible_to(user: User) -> QuerySet[Project]:
    """The projects this user may see. Admin roles and experts see none (三权分立; experts only through
    their draws, later)."""
    none = Project.objects.none()
    if user is None or not user.is_authenticated or not user.is_active:
        return none
    if user.role in ADMIN_ROLES or user.role == Role.EXPERT:
        return none
    org = user.organisation
    if org is None:
        return none
    qs = Project.objects.all()
    if user.role in UNIT_ROLES:
        return qs.filter(unit=org)
    if user.role in BUREAU_ROLES and org.kind == OrgKind.BUREAU:
        if org.level == Level.PREFECTURE:
            scope = Q()
        else:
            scope = Q(level=Level.COUNTY, unit__jurisdiction=org.jurisdiction)
        qs = qs.filter(scope)
    elif user.role == Role.MEMBER_REVIEWER and org.member_role:
        qs = qs.filter(projects_routed_to_member(org.member_role, org.pk)
                       | projects_awaiting_member_decision(org.member_role))
    else:
        return none
    if not user.classified_access:
        qs = qs.filter(Q(classified=False) | Q(unit=org))
    return qs


def project_get(*, user: User, pk: int) -> Project:
    try:
        return projects_visible_to(user).select_related("unit", "created_by").get(pk=pk)
    except (Project.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def project_can_edit(*, user: User, project: Project) -> bool:
    """Only the construction unit edits its own application, and only while it is in its hands.
    Everyone else (the prefecture bureau reading a county project included) reads it."""
    return (
        user.role in UNIT_ROLES
        and user.organisation_id == project.unit_id
        and project.status in EDITABLE_STATUSES
    )


def project_latest_assessment(*, project: Project) -> ProjectAssessment | None:
    return project.assessments.select_related("assessed_by").first()


@dataclass(frozen=True)
class TimelineEntry:
    """One line of a project's 时间线, as people read it: who, in which organisation, did what, and for a
    lifecycle step under which article and with what note."""

    at: datetime
    actor: str
    organisation: str
    label: str
    article: str
    note: str
    refused: str  # the outcome in Chinese when the action did not go through, else ""


def project_timeline(*, project: Project) -> list[TimelineEntry]:
    """The project's audit events, oldest first. Lifecycle steps are among them: each transition writes its
    `ProjectTransition` row and its `project.<action>` event, with the same article and note, in one
    transaction, so reading the events alone gives one complete list without doubles (ADR 0240)."""
    from tongchou.audit.labels import actor_display, event_label, lifecycle_action, outcome_label
    from tongchou.audit.models import AuditEvent
    from tongchou.lifecycle.table import BY_ACTION

    rows = (AuditEvent.objects.filter(target_type="projects.project", target_id=str(project.pk))
            .select_related("actor").order_by("at", "id"))
    entries = []
    for ev in rows:
        action = lifecycle_action(ev.event)
        data = ev.data if isinstance(ev.data, dict) else {}
        article = note = ""
        if action is not None:
            article = str(data.get("article") or BY_ACTION[action].article)
            note = str(data.get("note") or "")
        entries.append(TimelineEntry(
            at=ev.at, actor=actor_display(user=ev.actor, actor_name=ev.actor_name), organisation=ev.actor_org,
            label=event_label(ev.event), article=article, note=note,
            refused="" if ev.outcome == "ok" else outcome_label(ev.outcome)))
    return entries


def user_may_create_projects(user: User) -> bool:
    return user.is_authenticated and user.role in UNIT_ROLES and user.organisation_id is not None

