"""Reads of the portfolio, always starting from the register's `projects_visible_to(user)`; what one
may not see is answered as if it did not exist (404)."""

from __future__ import annotations

import threading
from typing import Any

from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import MD5

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, Organisation, OrgKind, User
from tongchou.core_errors import NotFound
from tongchou.portfolio.choices import ManagementMode
from tongchou.portfolio.models import ProjectMode, SharedDocument, SharedProject
from tongchou.projects.models import MaterialKind, Project, ProjectMaterial
from tongchou.projects.selectors import project_get, projects_visible_to

UNCLASSIFIED = "unclassified"
UNCLASSIFIED_LABEL = "未分类"
POINTER_LIMIT = 5  # the most alike unified systems; the rest add nothing to "build on this one"


# ------------------------------------------------------------------ shared projects (Art. 6)

def _participant_jurisdiction(user: User) -> str | None:
    """The county or park a user speaks for, if any (its departments, its bureau, the park's body)."""
    org = getattr(user, "organisation", None)
    if org is None or org.level not in (Level.COUNTY, Level.PARK) or not org.jurisdiction:
        return None
    if user.role in UNIT_ROLES or (user.role in BUREAU_ROLES and org.kind == OrgKind.BUREAU):
        return str(org.jurisdiction)
    return None


participant_jurisdiction = _participant_jurisdiction


def shared_projects_visible_to(user: User) -> QuerySet[SharedProject]:
    """Those whose parent the user may see, and those the user's county or park takes part in."""
    if user is None or not user.is_authenticated or not user.is_active:
        return SharedProject.objects.none()
    scope = Q(parent__in=projects_visible_to(user))
    jurisdiction = _participant_jurisdiction(user)
    if jurisdiction:
        scope |= Q(participants__jurisdiction=jurisdiction)
    return SharedProject.objects.filter(scope).distinct()


def shared_get(*, user: User, pk: Any) -> SharedProject:
    try:
        return shared_projects_visible_to(user).select_related("parent", "parent__unit").get(pk=pk)
    except (SharedProject.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def shared_sees_all_parts(*, user: User, shared: SharedProject) -> bool:
    """The parent's unit (and whoever may see the parent) follows every part's progress; a county
    sees its own part only."""
    return projects_visible_to(user).filter(pk=shared.parent_id).exists()


def shared_parts(*, user: User, shared: SharedProject) -> list[dict[str, Any]]:
    participants = list(shared.participants.select_related("part", "part__unit"))
    if shared_sees_all_parts(user=user, shared=shared):
        visible = {p.part_id for p in participants if p.part_id}
    else:
        ids = [p.part_id for p in participants if p.part_id]
        visible = set(projects_visible_to(user).filter(pk__in=ids).values_list("pk", flat=True))
        own = _participant_jurisdiction(user)
        participants = [p for p in participants if p.jurisdiction == own or p.part_id in visible]
    progress = _milestone_progress(visible)
    rows = []
    for p in participants:
        part = p.part if p.part_id in visible else None
        # Progress only, not the content, of a classified part for one without classified access.
        masked = part is not None and part.classified and not user.classified_access and part.unit_id != user.organisation_id
        rows.append({
            "id": p.pk, "jurisdiction": p.jurisdiction,
            "part": None if part is None else {
                "id": part.pk, "code": part.code, "name": "（涉密项目）" if masked else part.name,
                "unit": part.unit.name,
                "level": part.level, "status": part.status, "status_label": part.get_status_display(),
                "construction_cost": str(part.construction_cost),
                "milestones_done": progress.get(part.pk, (0, 0))[0],
                "milestones_total": progress.get(part.pk, (0, 0))[1],
            },
        })
    return rows


def _milestone_progress(project_ids: set[Any]) -> dict[Any, tuple[int, int]]:
    """Each part's progress as its delivery milestones done / planned (one query for all parts)."""
    if not project_ids:
        return {}
    from tongchou.delivery.models import Milestone

    rows = (Milestone.objects.filter(project_id__in=project_ids).values("project_id")
            .annotate(total=Count("id"), done=Count("id", filter=Q(done_on__isnull=False))).order_by())
    return {r["project_id"]: (r["done"], r["total"]) for r in rows}


def shared_documents(*, shared: SharedProject) -> QuerySet[SharedDocument]:
    return shared.documents.select_related("file")


def shared_document_get(*, user: User, shared_pk: Any, pk: Any) -> SharedDocument:
    shared = shared_get(user=user, pk=shared_pk)
    try:
        return shared_documents(shared=shared).get(pk=pk)
    except (SharedDocument.DoesNotExist, ValueError, TypeError):
        raise NotFound() from None


def shared_of_part(project: Project) -> SharedProject | None:
    participant = getattr(project, "shared_as_part", None)
    return participant.shared if participant is not None else None


# ------------------------------------------------------------------ management mode (Art. 3)

def project_mode(project: Project) -> ProjectMode | None:
    return ProjectMode.objects.filter(project=project).select_related("proposed_by", "confirmed_by").first()


def _record(project: Project) -> dict[str, Any]:
    material = project.materials.filter(kind=MaterialKind.BASIC_INFO).values_list("text", flat=True).first()
    return {"id": str(project.pk), "unit": project.unit.code, "year": int(project.year), "name": project.name,
            "description": (material or "").strip() or project.name,
            "construction_cost": float(project.construction_cost), "category": project.category,
            "classified": bool(project.classified)}


# The unified systems as the split/overlap engine reads them, kept between requests (process-local):
# pk → (the row's signature, its record or None when the engine refuses it, code, name, unit name).
# Each request reads the narrow rows of the unified corpus: every column the record is made of, and the
# MD5 of the basic-information text in place of the text. Only entries whose row changed are rebuilt, so
# an edited, newly confirmed or withdrawn unified system counts at once. See
# docs/adr/0156-unified-corpus-cache.md.
_UNIFIED_COLUMNS = ("pk", "code", "name", "year", "construction_cost", "category", "classified",
                    "unit__code", "unit__name", "basic_info_md5")
_unified_cache: dict[int, tuple[tuple[Any, ...], Any, str, str, str]] = {}
_unified_lock = threading.Lock()


def _unified_projects() -> QuerySet[Project]:
    return (Project.objects.filter(portfolio_mode__mode=ManagementMode.UNIFIED, classified=False)
            .exclude(status__in=("withdrawn", "not_supported", "retired")))


def _unified_corpus() -> dict[int, tuple[Any, str, str, str]]:
    """pk → (ProjectRecord or None, code, name, unit name) of every unified system, from the cache
    where the row is unchanged. A record equals what `_record` + `parse_record` give for the project."""
    from tongchou.demand.splits import RecordError, parse_record

    text_md5 = (ProjectMaterial.objects.filter(project=OuterRef("pk"), kind=MaterialKind.BASIC_INFO)
                .annotate(digest=MD5("text")).values("digest")[:1])
    rows = list(_unified_projects().annotate(basic_info_md5=Subquery(text_md5)).values_list(*_UNIFIED_COLUMNS))
    with _unified_lock:
        cached = dict(_unified_cache)
    stale = [row[0] for row in rows if (hit := cached.get(row[0])) is None or hit[0] != row]
    texts = dict(ProjectMaterial.objects.filter(project_id__in=stale, kind=MaterialKind.BASIC_INFO)
                 .values_list("project_id", "text")) if stale else {}
    fresh: dict[int, tuple[tuple[Any, ...], Any, str, str, str]] = {}
    for row in rows:
        pk, code, name, year, cost, category, classified, unit_code, unit_name, _digest = row
        hit = cached.get(pk)
        if hit is not None and hit[0] == row:
            fresh[pk] = hit
            continue
        try:
            record = parse_record({
                "id": str(pk), "unit": unit_code, "year": int(year), "name": name,
                "description": (texts.get(pk) or "").strip() or name, "construction_cost": float(cost),
                "category": category, "classified": bool(classified)})
        except RecordError:
            record = None
        fresh[pk] = (row, record, code, name, unit_name)
    with _unified_lock:
        _unified_cache.clear()
        _unified_cache.update(fresh)
    return {pk: entry[1:] for pk, entry in fresh.items()}


def unified_systems_overlapping(project: Project) -> list[dict[str, Any]]:
    """Art. 3: the unified (统一建设) systems this need overlaps, most alike first, found by the
    split/overlap engine; the project should build on them rather than alongside them."""
    from tongchou.demand.splits import RecordError, find_similar

    related = {project.pk}
    shared = getattr(project, "shared_as_parent", None)
    if shared is not None:
        related |= set(shared.participants.exclude(part=None).values_list("part_id", flat=True))
    parent = shared_of_part(project)
    if parent is not None:
        related.add(parent.parent_id)
    unified = {pk: entry for pk, entry in _unified_corpus().items() if pk not in related}
    if not unified:
        return []
    records = [entry[0] for entry in unified.values()]
    if any(record is None for record in records):
        return []  # as before: a unified system the engine refuses leaves the pointer out
    try:
        candidate = _record(project)
        # The candidate goes into the corpus too (skipped as itself): the engine learns its word weights
        # from the corpus, and a corpus of one or two unified systems alone weighs nothing.
        matches = find_similar(candidate, [candidate, *records])
    except RecordError:
        return []
    out = []
    for match in matches[:POINTER_LIMIT]:
        _record_of, code, name, unit_name = unified[int(match["id"])]
        out.append({"project_id": int(match["id"]), "code": code, "name": name, "unit": unit_name,
                    "score": match["score"], "finding": match["code"],
                    "message": f"与统一建设的「{name}」（{unit_name}）相似，请依托该系统建设或接入（第三条）。"})
    return out


# ------------------------------------------------------------------ counties and parks (Art. 19, 36)

def park_responsible_organisation(project: Project) -> Organisation | None:
    """Art. 36: a park's projects are run by the prefecture bureau; each park has its body."""
    if project.level != Level.PARK:
        return None
    return Organisation.objects.filter(kind=OrgKind.PARK_BODY, jurisdiction=project.unit.jurisdiction,
                                       is_active=True).first()


# ------------------------------------------------------------------ statistics

def may_see_overview(user: User) -> bool:
    """The 项目统筹 overview is the digital development bureaus' page (the prefecture's, and each county's
    for its own projects, Art. 36); other roles read the same counts, scoped to what they see, from the API."""
    org = getattr(user, "organisation", None)
    return org is not None and user.role in BUREAU_ROLES and org.kind == OrgKind.BUREAU


def totals_by_mode_and_level(user: User, *, year: int | None = None) -> dict[str, Any]:
    """Counts of the projects the user may see, by management mode and level. The prefecture bureau
    sees county and park projects too, so they appear in the prefecture's statistics (Art. 19)."""
    qs = projects_visible_to(user)
    if year:
        qs = qs.filter(year=year)
    rows = qs.values("level", "portfolio_mode__mode").annotate(n=Count("id")).order_by()
    mode_labels = {**dict(ManagementMode.choices), UNCLASSIFIED: UNCLASSIFIED_LABEL}
    level_labels = dict(Level.choices)
    by_mode = {m: 0 for m in mode_labels}
    by_level = {lv: 0 for lv in level_labels}
    cells: dict[tuple[str, str], int] = {}
    for row in rows:
        mode = row["portfolio_mode__mode"] or UNCLASSIFIED
        level = row["level"]
        cells[(mode, level)] = cells.get((mode, level), 0) + row["n"]
        by_mode[mode] = by_mode.get(mode, 0) + row["n"]
        by_level[level] = by_level.get(level, 0) + row["n"]
    return {
        "total": sum(by_mode.values()),
        "by_mode": [{"mode": m, "label": str(mode_labels[m]), "count": by_mode[m]} for m in mode_labels],
        "by_level": [{"level": lv, "label": str(level_labels[lv]), "count": by_level[lv]} for lv in level_labels],
        "by_mode_and_level": [
            {"mode": m, "level": lv, "count": cells.get((m, lv), 0)} for m in mode_labels for lv in level_labels
        ],
    }


# ------------------------------------------------------------------ one project

def funding_route_out(route: Any) -> dict[str, Any] | None:
    if route is None:
        return None
    return {
        "route": route.route, "label": route.get_route_display(), "budget_year": route.budget_year,
        "reference": route.reference, "meeting_name": route.meeting_name,
        "meeting_date": route.meeting_date.isoformat() if route.meeting_date else None,
        "commission_date": route.commission_date.isoformat() if route.commission_date else None,
        "recorded_at": route.recorded_at.isoformat(),
    }


def project_portfolio(*, user: User, pk: Any) -> dict[str, Any]:
    """What this app adds to a project's detail: mode, unified systems it overlaps, the funding route,
    the shared project it belongs to, and (for a park) the responsible organisation."""
    from tongchou.portfolio.budget_holder import budget_holder_of
    from tongchou.portfolio.funding import funding_route_applies
    from tongchou.portfolio.models import FundingRoute

    project = project_get(user=user, pk=pk)
    mode = project_mode(project)
    route = FundingRoute.objects.filter(project=project).first()
    park_body = park_responsible_organisation(project)
    shared_parent = getattr(project, "shared_as_parent", None)
    shared_part = shared_of_part(project)
    return {
        "project": {"id": project.pk, "code": project.code, "name": project.name, "level": project.level,
                    "unit": project.unit.name, "status": project.status},
        "mode": None if mode is None else {
            "mode": mode.mode, "label": mode.get_mode_display(), "proposed": mode.proposed_mode,
            "proposed_by": mode.proposed_by.display_name or mode.proposed_by.username,
            "proposed_at": mode.proposed_at.isoformat(), "confirmed": mode.confirmed,
            "confirmed_by": (mode.confirmed_by.display_name or mode.confirmed_by.username) if mode.confirmed_by else None,
            "confirmed_at": mode.confirmed_at.isoformat() if mode.confirmed_at else None,
        },
        "unified_overlaps": unified_systems_overlapping(project),
        "funding_route_required": funding_route_applies(project),
        "funding_route": funding_route_out(route),
        "shared_project_id": shared_parent.pk if shared_parent else (shared_part.pk if shared_part else None),
        "shared_role": "parent" if shared_parent else ("part" if shared_part else None),
        "park_responsible_organisation": None if park_body is None else {
            "id": park_body.pk, "code": park_body.code, "name": park_body.name},
        "budget_holder": budget_holder_of(project),
    }
