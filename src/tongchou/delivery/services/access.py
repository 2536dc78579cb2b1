"""Who may write which delivery record. Refusals name the role that may, and why."""

from __future__ import annotations

from typing import Any

from django.db.models import Model

from tongchou.accounts.models import UNIT_ROLES, Level, Role
from tongchou.core_errors import DomainError
from tongchou.lifecycle.permissions import is_project_authority, records_member_decision
from tongchou.projects.models import Project, Status

CLOSED = {Status.RETIRED, Status.WITHDRAWN, Status.NOT_SUPPORTED, Status.LAPSED, Status.EMERGENCY}


def is_unit_member(user: Any, project: Project) -> bool:
    return user is not None and user.role in UNIT_ROLES and user.organisation_id == project.unit_id


def is_member(user: Any, member_role: str, project: Project) -> bool:
    """A 联审 member unit's reviewer (prefecture and park projects; counties run their own, Art. 19)."""
    org = getattr(user, "organisation", None)
    return (
        user is not None and user.role == Role.MEMBER_REVIEWER and org is not None
        and org.member_role == member_role and project.level != Level.COUNTY
    )


def is_decider(user: Any, member_role: str, project: Project) -> bool:
    """Who records the development and reform commission's or finance's delivery decision (acceptance, O&M
    funding, performance review): the reviews rule for 立项批复 and 预算 (`records_member_decision`) — the
    member's reviewers on prefecture and park projects, the county bureau lead on a county project (Art. 19,
    36; ADR 0190)."""
    return user is not None and getattr(user, "is_authenticated", False) and records_member_decision(
        user, project, member_role)


DECIDER_NAMES = {"development_reform": "州发改委", "finance": "州财政局"}


def require_decider(user: Any, project: Project, member_role: str, what: str, article: str) -> None:
    if is_decider(user, member_role, project):
        return
    if project.level == Level.COUNTY:
        raise DomainError(f"县市项目由县市数字化发展局负责人{what}（第十九条、第三十六条；{article}）。",
                          code="forbidden", article=f"{article}、第十九条、第三十六条", status=403)
    raise DomainError(f"只有{DECIDER_NAMES[member_role]}可以{what}（{article}）。", code="forbidden",
                      article=article, status=403)


def require_unit(user: Any, project: Project, what: str, article: str) -> None:
    if not is_unit_member(user, project):
        raise DomainError(f"只有项目建设单位可以{what}。", code="forbidden", article=article, status=403)


def require_unit_or_authority(user: Any, project: Project, what: str, article: str) -> None:
    if not (is_unit_member(user, project) or is_project_authority(user, project)):
        raise DomainError(f"只有项目建设单位或数字化发展部门可以{what}。", code="forbidden", article=article, status=403)


def require_member(user: Any, project: Project, member_role: str, who: str, what: str, article: str) -> None:
    if not is_member(user, member_role, project):
        raise DomainError(f"只有{who}可以{what}（{article}）。", code="forbidden", article=article, status=403)


def require_open(project: Project) -> None:
    if project.status in CLOSED:
        raise DomainError(
            f"项目状态为「{Status(project.status).label}」，不能再登记实施或运维记录。", code="project_closed"
        )


def sync_register(project: Project, **facts: Any) -> None:
    """Copy delivery facts onto the register's columns (procurement_start_date, accepted, …) where the
    register has them, so the policy facts of the project stay true (Art. 23, 24, 26)."""
    names = {f.name for f in Project._meta.get_fields()}
    present = {k: v for k, v in facts.items() if k in names}
    if present:
        Project.objects.filter(pk=project.pk).update(**present)


def changed_fields(obj: Model, values: dict[str, Any]) -> dict[str, Any]:
    """Apply `values` to `obj` and return {field: [before, after]} for the audit record."""
    diff = {}
    for key, value in values.items():
        before = getattr(obj, key)
        if before != value:
            diff[key] = [str(before) if before is not None else None, str(value) if value is not None else None]
            setattr(obj, key, value)
    return diff
