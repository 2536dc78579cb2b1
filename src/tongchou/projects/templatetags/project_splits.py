from __future__ import annotations

from typing import Any

from django import template

from tongchou.projects.splitfindings import split_findings_for

register = template.Library()


@register.inclusion_tag("projects/_split_box.html", takes_context=True)
def split_findings_box(context: Any, project: Any, back: str = "detail") -> dict[str, Any]:
    """The bureau's 疑似拆分 box (Art. 8, 16, 3) for a project the page already reached through the
    register's selector; empty for everyone else."""
    request = context["request"]
    return {"findings": split_findings_for(user=request.user, project=project), "project": project,
            "back": back, "csrf_token": context.get("csrf_token")}
