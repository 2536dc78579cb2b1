"""Split (Art. 8, 16) and duplicate-build (Art. 3, 5) checks on a direct application, with the engine of
`demand.splits` (its public `find_similar`, `parse_record` and `review_path` functions, fed as
`demand.findings` feeds them) — no detection logic of its own (ADR 0170).

`draft_split_warnings` is the applicant's live check beside the form, over what the applicant may see
(the unit's own projects, its inventory, the unified systems); `project_split_evidence` is the check
at submission over the whole register of the neighbouring years, kept for the bureau.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from tongchou.accounts.models import User
from tongchou.projects.models import MaterialKind, Project, Status

DEAD = (Status.WITHDRAWN, Status.NOT_SUPPORTED, Status.LAPSED, Status.RETIRED, Status.EMERGENCY)
TEXT_KINDS = (MaterialKind.BASIC_INFO, MaterialKind.TECHNICAL_PLAN)
YEAR_SPAN = 1  # splits.md: every two members at most one budget year apart
UNIFIED_LIMIT = 5


def _description(name: str, texts: dict[str, str]) -> str:
    return "\n".join(t for k in TEXT_KINDS if (t := (texts.get(k) or "").strip())) or name


def _candidate(project: Project, texts: dict[str, str]) -> dict[str, Any]:
    return {"id": f"project-{project.pk}" if project.pk else "candidate", "unit": project.unit.name,
            "year": int(project.year), "name": project.name.strip(), "description": _description(project.name, texts),
            "construction_cost": float(project.construction_cost or 0), "category": project.category,
            "classified": bool(project.classified)}


def _neighbours(qs: QuerySet[Project], project: Project) -> QuerySet[Project]:
    year = int(project.year)
    qs = qs.filter(year__gte=year - YEAR_SPAN, year__lte=year + YEAR_SPAN).exclude(status__in=DEAD)
    if project.pk:
        qs = qs.exclude(pk=project.pk).exclude(supersedes_id=project.pk)
    if project.supersedes_id:  # a re-application replaces, not splits, its predecessor
        qs = qs.exclude(pk=project.supersedes_id)
    return qs.select_related("unit").prefetch_related("materials")


def _evidence(p: Project, hit: dict[str, Any]) -> dict[str, Any]:
    return {"project_id": p.pk, "code": p.code, "name": p.name, "unit": p.unit.name, "year": p.year,
            "cost": float(p.construction_cost), "status": p.get_status_display(),
            "submitted": p.submitted_at.date().isoformat() if p.submitted_at else "",
            "category": p.category, "classified": bool(p.classified),
            "score": hit["score"], "same_core": hit.get("same_core", False)}


def _compare(candidate: dict[str, Any], others: Iterable[Project]) -> tuple[list[dict], list[dict]]:
    """(same-unit split hits, other-unit overlap hits), most alike first, each with the other project."""
    from tongchou.demand.findings import project_records
    from tongchou.demand.splits import RecordError, find_similar, parse_record

    others = list(others)
    try:
        parse_record(candidate)
    except RecordError:
        return [], []
    by_id = {f"project-{p.pk}": p for p in others}
    splits: list[dict[str, Any]] = []
    overlaps: list[dict[str, Any]] = []
    for hit in find_similar(candidate, [*project_records(others), candidate]):
        other = by_id.get(hit["id"])
        if other is None:
            continue
        (splits if hit["code"] == "ART8-SPLIT" else overlaps).append(_evidence(other, hit))
    return splits, overlaps


def combined_path(candidate: dict[str, Any], members: list[dict[str, Any]]) -> dict[str, Any]:
    """The whole group's amount and the review path it takes under the rule set in force (第十六条、第十七条)."""
    from tongchou.demand.splits import parse_record
    from tongchou.demand.splits.review_path import PATH_LABELS, evades_review, group_path, thresholds_in_force

    records = [parse_record(candidate)] + [
        parse_record({"id": f"m{i}", "unit": m["unit"], "year": m["year"], "name": m["name"], "description": m["name"],
                      "construction_cost": m["cost"], "category": m.get("category", "development"),
                      "classified": m.get("classified", False)})
        for i, m in enumerate(members)]
    path = group_path(records)
    limits = thresholds_in_force()
    return {"combined_cost": sum(r.construction_cost for r in records), "review_path": path,
            "review_path_label": PATH_LABELS[path], "evades_review": evades_review(records),
            "thresholds": {"joint_review_threshold": limits.lower, "security_review_ceiling": limits.upper}}


def _systems(*, user: User | None, project: Project, texts: dict[str, str]) -> list[dict[str, Any]]:
    """Running systems (inventory) and unified systems (Art. 3) the project looks like."""
    out: list[dict[str, Any]] = []
    description = _description(project.name, texts)
    if user is not None:
        try:
            from tongchou.delivery.selectors import inventory_overlaps
        except ImportError:  # the inventory is optional
            inventory_overlaps = None  # type: ignore[assignment]
        if inventory_overlaps is not None:
            for hit in inventory_overlaps(user=user, name=project.name, description=description,
                                          unit=project.unit.name, year=int(project.year)):
                out.append({"kind": "inventory", "name": hit["name"], "unit": hit["owner"], "score": hit["score"],
                            "message": hit["message"]})
    try:
        from tongchou.portfolio.selectors import unified_systems_overlapping
    except ImportError:
        return out
    for hit in unified_systems_overlapping(_DraftView(project, texts))[:UNIFIED_LIMIT]:  # type: ignore[arg-type]
        out.append({"kind": "unified", "name": hit["name"], "unit": hit["unit"], "score": hit["score"],
                    "project_id": hit["project_id"], "message": hit["message"]})
    return out


class _DraftMaterials:
    """Answers the one query `unified_systems_overlapping` makes of `project.materials` with the text
    being typed, so an unsaved draft can be checked with the portfolio's function unchanged."""

    def __init__(self, texts: dict[str, str]) -> None:
        self._texts = texts
        self._kind = ""

    def filter(self, *, kind: str) -> _DraftMaterials:
        self._kind = kind
        return self

    def values_list(self, *_fields: str, flat: bool = False) -> _DraftMaterials:
        return self

    def first(self) -> str | None:
        return self._texts.get(self._kind) or None


class _DraftView:
    def __init__(self, project: Project, texts: dict[str, str]) -> None:
        self.pk = project.pk
        self.unit = project.unit
        self.year = project.year
        self.name = project.name
        self.construction_cost = project.construction_cost
        self.category = project.category
        self.classified = project.classified
        self.materials = _DraftMaterials(texts)


def _messages(result: dict[str, Any]) -> list[str]:
    out = []
    for hit in result["split"]:
        out.append(f"与本单位项目「{hit['name']}」（{hit['code']}，{hit['year']}年，{hit['cost']:.2f} 元）"
                   f"相似度 {hit['score']}，疑似同一项目拆分申报。")
    return out


def draft_split_warnings(*, user: User, project: Project, texts: dict[str, str]) -> dict[str, Any]:
    """The live warning beside the application form; `project` carries the typed (unsaved) values.
    Only what the applicant may already see is compared, so no other unit's project is shown."""
    from tongchou.projects.selectors import projects_visible_to

    empty: dict[str, Any] = {"split": [], "systems": []}
    if not project.name.strip() or user.organisation_id is None:
        return empty
    candidate = _candidate(project, texts)
    own = _neighbours(projects_visible_to(user).filter(unit_id=user.organisation_id), project)
    splits, _ = _compare(candidate, own)
    result: dict[str, Any] = {"split": splits, "systems": _systems(user=user, project=project, texts=texts)}
    if splits:
        result.update(combined_path(candidate, splits))
    result["messages"] = _messages(result)
    return result


def project_split_evidence(*, project: Project, actor: User | None) -> dict[str, Any]:
    """At submission: the register's projects of the neighbouring years (every unit, drafts excluded) —
    same unit → suspected split, another unit → duplicate build — and the systems alike."""
    texts = {m.kind: m.text for m in project.materials.all()}
    candidate = _candidate(project, texts)
    register = _neighbours(Project.objects.exclude(status=Status.DRAFT), project)
    splits, overlaps = _compare(candidate, register)
    result: dict[str, Any] = {"split": splits, "overlap": overlaps,
                              "systems": _systems(user=actor, project=project, texts=texts)}
    if splits:
        result.update(combined_path(candidate, splits))
    return result
