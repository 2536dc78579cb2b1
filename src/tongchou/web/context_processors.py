from __future__ import annotations

from django.http import HttpRequest

BUSINESS_ROLES = ("applicant", "unit_leader", "bureau_reviewer", "bureau_lead", "member_reviewer")

# The domains' navigation: (url name, label[, roles that see it]). An entry whose url does not
# resolve is left out, so a domain appears in the menu only once it exists.
NAVIGATION: list[tuple] = [
    ("home", "工作台"),
    ("projects:register", "项目库"),
    ("projects:new", "新建申报", ("applicant", "unit_leader")),
    ("reviews:desk", "审查工作台", BUSINESS_ROLES),
    ("demand:calls", "需求征集", ("applicant", "unit_leader", "bureau_reviewer", "bureau_lead")),
    ("obligations:deadlines", "期限", BUSINESS_ROLES),
    ("obligations:service_levels", "办理时限", ("bureau_reviewer", "bureau_lead", "system_admin")),
    ("delivery:inventory", "应用系统台账", BUSINESS_ROLES),
    ("portfolio:overview", "项目统筹", ("bureau_reviewer", "bureau_lead")),
    ("portfolio:shared_list", "共建项目", ("applicant", "unit_leader", "bureau_reviewer", "bureau_lead")),
    ("workcalendar:index", "工作日历"),
    ("accounts:organisations", "组织管理", ("system_admin",)),
    ("accounts:users", "账号管理", ("system_admin", "security_admin")),
    ("accounts:security", "安全设置", ("security_admin",)),
    ("audit:events", "审计日志", ("audit_admin",)),
    ("experts:pool", "专家库"),
    ("experts:draws", "专家抽取"),
    ("reports:dashboard", "统计分析", ("bureau_reviewer", "bureau_lead", "member_reviewer")),
    ("reports:unit", "本单位概况", ("applicant", "unit_leader")),
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
