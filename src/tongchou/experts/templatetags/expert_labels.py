"""Expert categories as people read them: `{{ m.category|category_label:category_names }}`.

Draw records store the stable category code; the Chinese name is editable, so the view passes the current
code → name map (one query) and the filter falls back to the code for a category since removed."""

from __future__ import annotations

from collections.abc import Mapping

from django import template

register = template.Library()


@register.filter
def category_label(code: str, names: Mapping[str, str] | None) -> str:
    return (names or {}).get(code, code)
