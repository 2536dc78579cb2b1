"""Whether a project came from the yearly plan (Art. 8, 11): a need of a yearly call turned into this
draft (`demand.Need.project`, set by `demand.plan.plan_create_drafts`) — or it is an application
outside the plan (计划外申报). Read-only; the demand app owns the link (ADR 0186).

The demand app imports the register's models, so the register reads `Need` inside the functions here,
never at import time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from tongchou.projects.models import Project

IN_PLAN = "in"
OUT_OF_PLAN = "out"
PLAN_FILTER_LABELS = {IN_PLAN: "计划内", OUT_OF_PLAN: "计划外"}
OUT_OF_PLAN_LABEL = "计划外申报"


@dataclass(frozen=True)
class PlanLink:
    year: int
    need_id: int
    need_name: str
    call_id: int
    bureau: str

    @property
    def label(self) -> str:
        return f"列入 {self.year} 年度计划（需求 #{self.need_id}）"

    def as_dict(self) -> dict[str, Any]:
        return {"in_plan": True, "year": self.year, "need_id": self.need_id, "need_name": self.need_name,
                "call_id": self.call_id, "bureau": self.bureau, "label": self.label, "article": "第八条、第十一条"}


def _needs() -> Any:
    from tongchou.demand.models import Need

    return Need.objects


def plan_links_for(projects: Iterable[Project]) -> dict[int, PlanLink]:
    """Project id → its plan link, for a page of projects in one query (projects without one: absent)."""
    ids = [p.pk for p in projects]
    if not ids:
        return {}
    links: dict[int, PlanLink] = {}
    rows = _needs().filter(project_id__in=ids).select_related("call", "call__bureau").order_by("id")
    for need in rows:
        links.setdefault(need.project_id, PlanLink(
            year=need.call.year, need_id=need.pk, need_name=need.name, call_id=need.call_id,
            bureau=need.call.bureau.name))
    return links


def project_plan_link(*, project: Project) -> PlanLink | None:
    return plan_links_for([project]).get(project.pk)


def project_plan_out(*, project: Project) -> dict[str, Any]:
    """The API's `yearly_plan` field."""
    link = project_plan_link(project=project)
    if link is None:
        return {"in_plan": False, "label": OUT_OF_PLAN_LABEL, "article": "第八条、第十一条"}
    return link.as_dict()


def plan_filter(qs: QuerySet[Project], value: str) -> QuerySet[Project]:
    """计划内 / 计划外 for the register (an EXISTS, so a project is never listed twice)."""
    if value not in PLAN_FILTER_LABELS:
        return qs
    from_plan = Exists(_needs().filter(project_id=OuterRef("pk")))
    return qs.filter(from_plan) if value == IN_PLAN else qs.filter(~from_plan)
