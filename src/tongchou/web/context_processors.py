from __future__ import annotations

from django.http import HttpRequest

# The domains' navigation; each entry's url name must exist before it is listed.
NAVIGATION = [
    ("home", "工作台"),
    ("review_desk", "审查工作台"),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    from django.urls import NoReverseMatch, reverse

    items = []
    for name, label in NAVIGATION:
        try:
            items.append({"url": reverse(name), "label": label, "name": name})
        except NoReverseMatch:
            continue
    return {"nav_items": items}
