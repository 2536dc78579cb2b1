"""Who may take a lifecycle action on a project (role and organisation)."""

from __future__ import annotations

from typing import Any

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, OrgKind, Role
from tongchou.lifecycle.table import AUTHORITY, AUTHORITY_LEAD, SYSTEM, UNIT, UNIT_LEADER, Transition


def is_project_authority(user: Any, project: Any) -> bool:
    """The prefecture bureau runs prefecture and park projects; a county bureau its county's (Art. 19, 36)."""
    org = getattr(user, "organisation", None)
    if org is None or org.kind != OrgKind.BUREAU or user.role not in BUREAU_ROLES:
        return False
    if project.level == Level.COUNTY:
        return org.level == Level.COUNTY and org.jurisdiction == project.unit.jurisdiction
    return org.level == Level.PREFECTURE


def may_act(user: Any, project: Any, transition: Transition) -> bool:
    if user is None:
        return SYSTEM in transition.actors
    for actor in transition.actors:
        if actor == UNIT and user.role in UNIT_ROLES and user.organisation_id == project.unit_id:
            return True
        if actor == UNIT_LEADER and user.role == Role.UNIT_LEADER and user.organisation_id == project.unit_id:
            return True
        if actor == AUTHORITY and is_project_authority(user, project):
            return True
        if actor == AUTHORITY_LEAD and user.role == Role.BUREAU_LEAD and is_project_authority(user, project):
            return True
        if actor.startswith("member:") and user.role == Role.MEMBER_REVIEWER:
            org = user.organisation
            if org is not None and org.member_role == actor.split(":", 1)[1] and project.level != Level.COUNTY:
                return True
    return False
