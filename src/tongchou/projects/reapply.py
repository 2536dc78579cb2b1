"""重新申报: Art. 26 — an approval whose procurement did not start within a year lapses and the project
"应重新进行项目申报". The same way back is open after 不予支持 (Art. 12) and 撤回 (Art. 9), so the unit can
correct and apply again (ADR 0185).

The new application is an ordinary draft made by `project_create` (the unit's next code, race-safe),
with the old one's application facts and Art. 10 texts, linked to it by `Project.supersedes`. The old
project is not changed: its status, version and record stay as decided; its timeline gets one event.
The draft is assessed at once under the rule set in force today, not the one the old project had.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongchou.accounts.models import UNIT_ROLES, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError, NotFound
from tongchou.projects.models import Project, ProjectMaterial, Status
from tongchou.projects.services import FACT_FIELDS, assessment_store, project_create


@dataclass(frozen=True)
class ReapplyReason:
    label: str  # the old project's ending, as the new draft's banner says it
    article: str


# The endings from which a unit may apply again, and the article each rests on.
REAPPLY_FROM: dict[str, ReapplyReason] = {
    Status.LAPSED: ReapplyReason("原项目因第二十六条失效", "第二十六条"),
    Status.NOT_SUPPORTED: ReapplyReason("原项目不予支持", "第十二条"),
    Status.WITHDRAWN: ReapplyReason("原项目已撤回", "第九条"),
}
ACTION = "reapply"
LABEL = "重新申报"

# Facts of the old project's course rather than of its application: a new application starts without
# them (the application date is set on submission; the old approval date would make the new draft lapse).
NOT_COPIED = frozenset({"application_date", "approval_date", "procurement_start_date", "work_start_date",
                        "accepted"})
COPIED_FACTS = tuple(f for f in FACT_FIELDS if f not in NOT_COPIED)


def reapply_reason(project: Project) -> ReapplyReason | None:
    return REAPPLY_FROM.get(project.status)


def project_successor(project: Project) -> Project | None:
    try:
        return project.superseded_by
    except Project.DoesNotExist:
        return None


def project_lineage_out(*, project: Project) -> dict[str, Any]:
    """The API's `lineage` field: what this application re-applies for, and what re-applied for it."""
    before, after = project.supersedes, project_successor(project)
    reason = REAPPLY_FROM.get(before.status) if before is not None else None
    return {
        "supersedes": None if before is None else {
            "id": before.pk, "code": before.code, "status": before.status,
            "reason": reason.label if reason else "", "article": reason.article if reason else ""},
        "superseded_by": None if after is None else {"id": after.pk, "code": after.code, "status": after.status},
    }


def may_reapply(*, user: Any, project: Project) -> bool:
    """The project's own unit, on a lapsed, not supported or withdrawn project not yet re-applied."""
    return (
        getattr(user, "is_authenticated", False)
        and user.role in UNIT_ROLES
        and user.organisation_id == project.unit_id
        and project.status in REAPPLY_FROM
        and project_successor(project) is None
    )


def project_reapply(*, project: Project, actor: User) -> Project:
    """A new draft of the same application, linked to `project`; one transaction with its audit events.
    Refused (in Chinese, with the article) for another state, another role, or a second re-application."""
    try:
        with transaction.atomic():
            old = Project.objects.select_for_update().select_related("unit").filter(pk=project.pk).first()
            if old is None:
                raise NotFound()
            _check(old, actor)
            new = project_create(
                actor=actor,
                data={**{f: getattr(old, f) for f in COPIED_FACTS},
                      "year": max(old.year, timezone.localdate().year)},
                texts={m.kind: m.text for m in ProjectMaterial.objects.filter(project=old)},
                supersedes=old,
            )
            reason = REAPPLY_FROM[old.status]
            _copy_proposed_mode(old, new, actor)
            assessment = _assess_now(new, actor)
            audit_record(event="project.reapplied", actor=actor, target=old, data={
                "successor": new.code, "successor_id": new.pk, "status": old.status,
                "article": reason.article,
            })
            audit_record(event="project.reapply_created", actor=actor, target=new, data={
                "supersedes": old.code, "supersedes_id": old.pk, "reason": reason.label,
                "article": reason.article, "assessment": assessment.pk if assessment else None,
                "ruleset": assessment.ruleset_id if assessment else None,
                "attachments_not_copied": old.attachments.count(),
            })
    except IntegrityError:
        # Two clicks at once: the one-to-one link let exactly one through.
        if Project.objects.filter(supersedes_id=project.pk).exists():
            raise _already(project) from None
        raise
    return new


def _check(old: Project, actor: User) -> None:
    if actor.role not in UNIT_ROLES or actor.organisation_id != old.unit_id:
        raise DomainError("只有项目建设单位可以重新申报本单位的项目（第二十六条）。", code="forbidden",
                          article="第二十六条", status=403)
    if old.status not in REAPPLY_FROM:
        raise Conflict(
            f"项目当前状态为「{Status(old.status).label}」，不能重新申报。只有批复已失效（第二十六条）、"
            "不予支持（第十二条）或已撤回（第九条）的项目可以重新申报。",
            code="invalid_state", article="第二十六条",
            hint="草稿或退回补正的项目请直接修改后提交。",
        )
    if project_successor(old) is not None:
        raise _already(old)


def _already(project: Project) -> Conflict:
    successor = Project.objects.filter(supersedes_id=project.pk).values_list("code", flat=True).first()
    return Conflict(
        f"项目 {project.code} 已重新申报{f'为 {successor}' if successor else ''}，不能再次重新申报。",
        code="already_reapplied", article="第二十六条",
        hint="请在新的申报项目上修改和提交；如新项目也被撤回，可对新项目重新申报。",
    )


def _copy_proposed_mode(old: Project, new: Project, actor: User) -> None:
    """Art. 3: the unit's proposed management mode goes with the application (review confirms it anew)."""
    from tongchou.portfolio.models import ProjectMode
    from tongchou.portfolio.modes import mode_propose

    proposed = ProjectMode.objects.filter(project=old).values_list("proposed_mode", flat=True).first()
    if proposed:
        mode_propose(project=new, mode=proposed, actor=actor)


def _assess_now(new: Project, actor: User) -> Any:
    """The engine under today's rule set. Facts the current rules refuse do not stop the re-application:
    the unit corrects them in the draft, and submission assesses again."""
    try:
        with transaction.atomic():
            return assessment_store(project=new, actor=actor, purpose="reapply")
    except DomainError:
        return None
