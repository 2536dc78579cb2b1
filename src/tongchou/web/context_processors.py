from __future__ import annotations

from django.http import HttpRequest

# The domains' navigation; each entry's url name must exist before it is listed.
NAVIGATION = [
    ("home", "工作台"),
    ("obligations:deadlines", "期限"),
    ("workcalendar:index", "工作日历"),
    ("audit:events", "审计日志"),
]
# Entries only some roles may open; the others do not see them in the menu.
NAVIGATION_ROLES = {"audit:events": {"audit_admin"}, "obligations:deadlines": {
    "applicant", "unit_leader", "bureau_reviewer", "bureau_lead", "member_reviewer"}}


def navigation(request: HttpRequest) -> dict[str, object]:
    from django.urls import NoReverseMatch, reverse

    items = []
    role = getattr(getattr(request, "user", None), "role", None)
    for name, label in NAVIGATION:
        if name in NAVIGATION_ROLES and role not in NAVIGATION_ROLES[name]:
            continue
        try:
            items.append({"url": reverse(name), "label": label, "name": name})
        except NoReverseMatch:
            continue
    return {"nav_items": items}
