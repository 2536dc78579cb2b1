from __future__ import annotations

from typing import Any

from django import template

from tongchou.portfolio.panel import project_panel

register = template.Library()


@register.inclusion_tag("portfolio/_panel.html", takes_context=True)
def portfolio_panel(context: Any, project: Any) -> dict[str, Any]:
    """The 统筹 section of the project page (Art. 3, 6, 15, 19, 36), for a project the page already reached
    through the register's selector."""
    request = context["request"]
    return {**project_panel(user=request.user, project=project), "request": request,
            "csrf_token": context.get("csrf_token"), "back": "detail"}
