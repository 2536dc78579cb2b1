"""Who may take a lifecycle action on a project (role and organisation)."""

from __future__ import annotations

from typing import Any

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, OrgKind, Role
from tongchou.lifecycle.table import (
    AUTHORITY,
    AUTHORITY_LEAD,
    COUNTY_LEAD,
    SYSTEM,
    UNIT,
    UNIT_LEADER,
    Transition,
)


def is_project_authority(user: Any, project: Any) -> bool:
    """The prefecture bureau runs prefecture and park projects; a county bureau its county's (Art. 19, 36)."""
    org = getattr(user, "organisation", None)
    if org is None or org.kind != OrgKind.BUREAU or user.role not in BUREAU_ROLES:
        return False
    if project.level == Level.COUNTY:
        return org.level == Level.COUNTY and org.jurisdiction == project.unit.jurisdiction
    return org.level == Level.PREFECTURE


def is_county_lead(user: Any, project: Any) -> bool:
    """A county project's county bureau lead: records the decisions of the county's own development and
    reform and finance offices, which are not Tongchou organisations (Art. 19, 36; ADR 0165, 0190)."""
    return (project.level == Level.COUNTY and user is not None and getattr(user, "role", None) == Role.BUREAU_LEAD
            and is_project_authority(user, project))


def records_member_decision(user: Any, project: Any, member: str) -> bool:
    """The one rule for who records a deciding member unit's decision on a project (立项批复, 预算, 竣工验收,
    运维经费, 绩效审核): that member unit's reviewers on prefecture and park projects; on a county project the
    county bureau's lead, on behalf of the county's own offices (Art. 19, 36). Nobody else."""
    if user is None:
        return False
    if project.level == Level.COUNTY:
        return is_county_lead(user, project)
    org = getattr(user, "organisation", None)
    return user.role == Role.MEMBER_REVIEWER and org is not None and org.member_role == member


# Who a deciding member's decision is recorded by, in words (headings, prompts): the prefecture's member unit,
# or a county project's county office, whose decision the county bureau lead records (Art. 19, 36).
MEMBER_DECIDERS = {"development_reform": ("州发改委", "县市发改部门"), "finance": ("州财政局", "县市财政部门")}


def member_decision_recorder(project: Any, member: str) -> str:
    """`records_member_decision` in words: "州发改委", or "县市数字化发展局负责人代县市发改部门登记"."""
    prefecture, county = MEMBER_DECIDERS[member]
    if project.level == Level.COUNTY:
        return f"县市数字化发展局负责人代{county}登记"
    return prefecture


def member_decision_recipient(project: Any, member: str) -> str:
    """Who a report for that member's decision goes to, for labels ("报送州财政局"): the prefecture's member
    unit, or on a county project the county bureau's lead, who records the decision (Art. 19, 36)."""
    if project.level == Level.COUNTY:
        return "县市数字化发展局负责人"
    return MEMBER_DECIDERS[member][0]


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
        if actor == COUNTY_LEAD and is_county_lead(user, project):
            return True
        if actor.startswith("member:") and project.level != Level.COUNTY and records_member_decision(
                user, project, actor.split(":", 1)[1]):
            return True
    return False
