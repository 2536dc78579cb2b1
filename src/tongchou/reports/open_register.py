"""The open project register (Art. 35): what the public may see, with no login.

Non-classified projects that have left the drafts; name, unit, year, amounts, status and review path
only — never a person (applicant, reviewer, expert), never a classified project.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F, QuerySet

from tongchou.accounts.models import Level
from tongchou.projects.models import Project, ReviewPath, Status

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
CSV_MAX_ROWS = 100_000
FIELDS = ("code", "name", "unit", "level", "year", "construction_cost", "approved_amount", "status", "review_path")
HEADERS = ["项目编号", "项目名称", "建设单位", "层级", "预算年度", "项目资金（元）", "批复金额（元）", "状态", "审查路径"]
_STATUS = {k: str(v) for k, v in Status.choices}
_PATH = {k: str(v) for k, v in ReviewPath.choices}
_LEVEL = {k: str(v) for k, v in Level.choices}


def open_projects(*, year: int | None = None) -> QuerySet[Project]:
    qs = Project.objects.filter(classified=False).exclude(status=Status.DRAFT)
    return qs.filter(year=year) if year else qs


def _values(qs: QuerySet[Project]) -> QuerySet:
    return (qs.annotate(unit_name=F("unit__name"), approved=F("approval__approved_amount"))
            .values("id", "code", "name", "unit_name", "level", "year", "construction_cost", "approved", "status",
                    "review_path"))


def public_row(r: dict[str, Any]) -> dict[str, Any]:
    return {
        "code": r["code"], "name": r["name"], "unit": r["unit_name"], "level": r["level"],
        "level_label": _LEVEL.get(r["level"], r["level"]), "year": r["year"],
        "construction_cost": r["construction_cost"], "approved_amount": r["approved"],
        "status": r["status"], "status_label": _STATUS.get(r["status"], r["status"]),
        "review_path": r["review_path"] or None, "review_path_label": _PATH.get(r["review_path"], "") or None,
    }


def csv_row(item: dict[str, Any]) -> list[Any]:
    return [item["code"], item["name"], item["unit"], item["level_label"], item["year"], item["construction_cost"],
            item["approved_amount"], item["status_label"], item["review_path_label"] or ""]


@dataclass
class OpenPage:
    items: list[dict[str, Any]]
    next_after: int | None
    total: int


def open_page(*, year: int | None = None, after: int | None = None, limit: int = PAGE_SIZE) -> OpenPage:
    """Newest first, keyset by id ("after" is the last id seen), so any page costs the same."""
    limit = max(1, min(limit, MAX_PAGE_SIZE))
    qs = open_projects(year=year)
    total = qs.count()
    if after:
        qs = qs.filter(id__lt=after)
    rows = list(_values(qs.order_by("-id"))[: limit + 1])
    next_after = rows[limit - 1]["id"] if len(rows) > limit else None
    return OpenPage([public_row(r) for r in rows[:limit]], next_after, total)


def open_rows_all(*, year: int | None = None) -> Any:
    for r in _values(open_projects(year=year).order_by("-id"))[:CSV_MAX_ROWS].iterator(chunk_size=2000):
        yield csv_row(public_row(r))
