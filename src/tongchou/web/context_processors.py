from __future__ import annotations

from django.http import HttpRequest

# The domains' navigation; each entry's url name must exist before it is listed.
NAVIGATION = [
    ("home", "工作台"),
    ("projects:register", "项目库"),
    ("projects:new", "新建申报", ("applicant", "unit_leader")),
    ("accounts:organisations", "组织管理", ("system_admin",)),
    ("accounts:users", "账号管理", ("system_admin", "security_admin")),
    ("accounts:security", "安全设置", ("security_admin",)),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    from django.urls import NoReverseMatch, reverse

    items = []
    role = getattr(getattr(request, "user", None), "role", None)
    for name, label, *roles in NAVIGATION:
        if roles and role not in roles[0]:
            continue
        try:
            items.append({"url": reverse(name), "label": label, "name": name})
        except NoReverseMatch:
            continue
    return {"nav_items": items}
