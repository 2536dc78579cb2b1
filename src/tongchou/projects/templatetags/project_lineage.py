"""`{% plan_badge project %}`: 列入 N 年度计划 or 计划外申报 (Art. 8, 11), for any page that shows a project
it reached through a selector (the project page, the review pages)."""

from __future__ import annotations

from typing import Any

from django import template

from tongchou.projects.plan_link import OUT_OF_PLAN_LABEL, project_plan_link

register = template.Library()

_UNSET = object()


@register.inclusion_tag("projects/_plan_badge.html")
def plan_badge(project: Any, link: Any = _UNSET) -> dict[str, Any]:
    """`link`: the plan link when the view already read it (None: out of plan); otherwise read here."""
    if link is _UNSET:
        link = project_plan_link(project=project)
    return {"link": link, "out_label": OUT_OF_PLAN_LABEL}
