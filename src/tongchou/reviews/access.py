"""Who may do what in a review: the task's own reviewers, the authority bureau, the member units
that record approvals and budgets (field rules, SECURITY.md)."""

from __future__ import annotations

from typing import Any

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, MemberRole, Organisation, OrgKind, Role
from tongchou.core_errors import DomainError
from tongchou.lifecycle.permissions import is_project_authority, records_member_decision


def authority_for(project: Any) -> Organisation:
    """The prefecture bureau runs prefecture and park projects; a county project's county bureau
    runs its round (Art. 19, 36)."""
    if project.level == Level.COUNTY:
        org = Organisation.objects.filter(
            kind=OrgKind.BUREAU, level=Level.COUNTY, jurisdiction=project.unit.jurisdiction
        ).first()
        if org is None:
            raise DomainError(f"未找到{project.unit.jurisdiction}数字化发展局，无法组织审查。", code="no_authority",
                              article="第十九条")
        return org
    return Organisation.objects.get(member_role=MemberRole.DIGITAL_BUREAU)


def reviewer_org_for(member: str, authority: Organisation) -> Organisation:
    """A county reviews through its own bureau for every aspect (the county's member units are not
    in Tongchou); the prefecture's members review through their own units."""
    if authority.level == Level.COUNTY:
        return authority
    return Organisation.objects.get(member_role=member)


def may_write_task(user: Any, task: Any) -> bool:
    org = task.reviewer_org
    if user is None or user.organisation_id != org.pk:
        return False
    if org.kind == OrgKind.BUREAU:
        return user.role in BUREAU_ROLES
    return user.role == Role.MEMBER_REVIEWER


def is_unit_of(user: Any, project: Any) -> bool:
    return user is not None and user.role in UNIT_ROLES and user.organisation_id == project.unit_id


def require_authority(user: Any, project: Any, what: str, article: str = "第十四条") -> None:
    if not is_project_authority(user, project):
        raise DomainError(f"只有负责该项目审查的数字化发展局可以{what}。", code="forbidden", article=article,
                          status=403)


def require_field_owner(user: Any, project: Any, member: str, what: str, article: str) -> None:
    """立项批复 only by the development and reform commission, the budget only by finance; for a county
    project, the county bureau's lead records them on behalf of the county's own offices."""
    if records_member_decision(user, project, member):
        return
    if project.level == Level.COUNTY:
        raise DomainError(f"县市项目的{what}由县市数字化发展局负责人登记（第十九条、第三十六条）。", code="forbidden",
                          article=article, status=403)
    raise DomainError(f"只有{MemberRole(member).label}可以登记{what}。", code="forbidden", article=article,
                      status=403)
