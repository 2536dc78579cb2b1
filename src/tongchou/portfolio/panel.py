"""What the web pages show of the portfolio, and which of its actions this user may take now (reads only;
the services decide again when the action is taken)."""

from __future__ import annotations

from typing import Any

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, OrgKind
from tongchou.lifecycle.permissions import is_project_authority
from tongchou.portfolio.choices import FundingRouteKind, ManagementMode
from tongchou.portfolio.funding import funding_route_applies, may_record_funding_route
from tongchou.portfolio.models import FundingRoute, JurisdictionRuleset, LocalRuleset, SharedProject
from tongchou.portfolio.selectors import park_responsible_organisation, project_mode, shared_of_part
from tongchou.portfolio.shared import may_manage_participants, participating_jurisdictions
from tongchou.projects.models import Project
from tongchou.projects.selectors import EDITABLE_STATUSES, projects_visible_to


def project_panel(*, user: Any, project: Project) -> dict[str, Any]:
    """The 统筹 panel of a project the user already reached through a selector."""
    mode = project_mode(project)
    route = FundingRoute.objects.filter(project=project).select_related("recorded_by").first()
    shared_parent = SharedProject.objects.filter(parent=project).first()
    shared_part = shared_of_part(project)
    is_unit = user.role in UNIT_ROLES and user.organisation_id == project.unit_id
    authority = is_project_authority(user, project)
    route_required = funding_route_applies(project)
    return {
        "project": project,
        "modes": ManagementMode.choices,
        "mode": mode,
        "may_propose": is_unit and project.status in EDITABLE_STATUSES,
        "may_confirm": authority and mode is not None,
        "funding_route": route,
        "funding_route_required": route_required,
        "funding_routes": FundingRouteKind.choices,
        "may_record_funding": route is None and route_required and may_record_funding_route(user, project),
        "park_body": park_responsible_organisation(project),
        "shared_parent": shared_parent,
        "shared_part": shared_part,
        "part_visible_parent": shared_part is not None and projects_visible_to(user).filter(
            pk=shared_part.parent_id).exists(),
        "may_make_shared": (is_unit and project.level == Level.PREFECTURE and shared_parent is None
                            and shared_part is None),
        "jurisdictions": participating_jurisdictions(),
    }


def shared_page(*, user: Any, shared: SharedProject) -> dict[str, Any]:
    """The shared project as the user may see it: every part for the parent's side, the own part for a
    participating county or park."""
    from tongchou.portfolio.selectors import (
        participant_jurisdiction,
        shared_documents,
        shared_parts,
        shared_sees_all_parts,
    )

    parent = shared.parent
    manager = may_manage_participants(user, parent)
    participants = shared_parts(user=user, shared=shared)
    taken = {p.jurisdiction for p in shared.participants.all()} if manager else set()
    own = participant_jurisdiction(user)
    own_row = next((row for row in participants if row["jurisdiction"] == own), None)
    linkable: list[Project] = []
    if own_row is not None and own_row["part"] is None and user.role in UNIT_ROLES:
        linkable = list(
            Project.objects.filter(unit_id=user.organisation_id, level__in=(Level.COUNTY, Level.PARK),
                                   shared_as_part__isnull=True, shared_as_parent__isnull=True)
            .exclude(status__in=("withdrawn", "not_supported", "retired")).order_by("-id")[:50]
        )
    return {
        "shared": shared,
        "parent": parent,
        "parent_visible": shared_sees_all_parts(user=user, shared=shared),
        "sees_all_parts": shared_sees_all_parts(user=user, shared=shared),
        "participants": participants,
        "documents": list(shared_documents(shared=shared)),
        "may_manage": manager,
        "may_upload": user.role in UNIT_ROLES and user.organisation_id == parent.unit_id,
        "addable": [j for j in participating_jurisdictions() if j not in taken] if manager else [],
        "own_jurisdiction": own,
        "own_missing_part": own_row is not None and own_row["part"] is None,
        "may_create_part": user.role in UNIT_ROLES,
        "linkable": linkable,
    }


def county_bureau_jurisdiction(user: Any) -> str | None:
    org = getattr(user, "organisation", None)
    if org is None or user.role not in BUREAU_ROLES or org.kind != OrgKind.BUREAU or org.level != Level.COUNTY:
        return None
    return str(org.jurisdiction)


def is_prefecture_bureau(user: Any) -> bool:
    org = getattr(user, "organisation", None)
    return (org is not None and user.role in BUREAU_ROLES and org.kind == OrgKind.BUREAU
            and org.level == Level.PREFECTURE)


def rulesets_page(*, user: Any) -> dict[str, Any]:
    """Art. 36: a county bureau's choice and the rule sets it may choose; the prefecture bureau sees every
    county's choice (read only)."""
    from tongchou.policy import default_registry

    jurisdiction = county_bureau_jurisdiction(user)
    local = {r.ruleset_id: r for r in LocalRuleset.objects.select_related("uploaded_by")}
    registered = sorted(default_registry().rulesets, key=lambda r: r.valid_from)
    if jurisdiction is not None:
        # A county may choose the prefecture's rule sets and its own, never another county's.
        choosable = [r for r in registered if r.id not in local or local[r.id].jurisdiction == jurisdiction]
        choice = JurisdictionRuleset.objects.filter(jurisdiction=jurisdiction).first()
        return {"jurisdiction": jurisdiction, "choice": choice, "choosable": choosable,
                "own": [v for v in local.values() if v.jurisdiction == jurisdiction], "local_ids": set(local)}
    choices = {c.jurisdiction: c for c in JurisdictionRuleset.objects.all()}
    parks = _park_names()
    counties = [j for j in participating_jurisdictions() if j not in parks]
    return {"jurisdiction": None, "counties": [(j, choices.get(j)) for j in counties],
            "local": sorted(local.values(), key=lambda r: (r.jurisdiction, r.ruleset_id)), "registered": registered}


def _park_names() -> set[str]:
    from tongchou.accounts.models import Organisation

    return set(Organisation.objects.filter(kind=OrgKind.PARK_BODY).values_list("jurisdiction", flat=True))


def workbench_links(user: Any) -> list[dict[str, str]]:
    """The 工作台 card: where a bureau counts and filters by mode, and where units follow shared projects."""
    links: list[dict[str, str]] = []
    org = getattr(user, "organisation", None)
    if org is not None and user.role in BUREAU_ROLES and org.kind == OrgKind.BUREAU:
        links.append({"name": "portfolio:overview", "label": "项目统筹概况（按管理模式和层级）"})
    if user.role in (*BUREAU_ROLES, *UNIT_ROLES) and org is not None:
        links.append({"name": "portfolio:shared_list", "label": "共建共享项目"})
    if county_bureau_jurisdiction(user) is not None:
        links.append({"name": "portfolio:rulesets", "label": "本县市适用的规则集"})
    return links


def shared_list_rows(*, user: Any, items: Any) -> list[dict[str, Any]]:
    """The shared projects the user sees, each with the participants the user may know of: all of them for
    the parent's side, the own county or park only for a participant (as on the shared page)."""
    from tongchou.portfolio.selectors import participant_jurisdiction

    parents = set(projects_visible_to(user).filter(pk__in=[i.parent_id for i in items]).values_list("pk", flat=True))
    own = participant_jurisdiction(user)
    rows = []
    for item in items:
        names = [p.jurisdiction for p in item.participants.all()]
        rows.append({"shared": item, "parent": item.parent,
                     "jurisdictions": names if item.parent_id in parents else [n for n in names if n == own]})
    return rows
