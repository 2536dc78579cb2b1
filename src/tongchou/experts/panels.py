"""Panel templates per review type and the panel-size rule (pure)."""

from __future__ import annotations

# Seeded categories: stable codes (used in draw requests and records), editable names.
SEED_CATEGORIES: list[tuple[str, str]] = [
    ("software", "软件开发"),
    ("integration", "系统集成"),
    ("security", "网络安全"),
    ("crypto", "密码应用"),
    ("data", "数据治理"),
    ("cloud", "云计算"),
    ("hardware", "硬件设备"),
    ("investment", "投资造价"),
    ("finance_audit", "财务审计"),
    ("archives", "档案管理"),
    ("project_mgmt", "项目管理"),
    ("law", "法律"),
]

# Default needs per purpose; the organiser may change categories and counts.
TEMPLATES: dict[str, list[dict[str, int | str]]] = {
    "joint_review": [
        {"category": "software", "count": 2},
        {"category": "security", "count": 1},
        {"category": "crypto", "count": 1},
        {"category": "investment", "count": 1},
    ],
    "project_review": [
        {"category": "software", "count": 1},
        {"category": "integration", "count": 1},
        {"category": "investment", "count": 1},
    ],
    "consultation": [{"category": "software", "count": 1}],
    "internal_review": [{"category": "software", "count": 2}, {"category": "investment", "count": 1}],
    "contract_acceptance": [
        {"category": "software", "count": 1},
        {"category": "project_mgmt", "count": 1},
        {"category": "finance_audit", "count": 1},
    ],
}

MIN_JOINT_PANEL = 5


def panel_size_problem(purpose: str, needs: list[dict[str, object]]) -> str | None:
    """Chinese reason the panel size is refused, or None. Panels are odd; joint review needs ≥ 5."""
    total = sum(int(n["count"]) for n in needs)  # type: ignore[call-overload]
    if total % 2 == 0:
        return f"评审专家组人数应为单数（当前合计 {total} 人），以便表决时形成多数意见"
    if purpose == "joint_review" and total < MIN_JOINT_PANEL:
        return f"联合会审的专家组不少于 {MIN_JOINT_PANEL} 人（当前合计 {total} 人）"
    return None
