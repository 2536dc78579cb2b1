from __future__ import annotations

import datetime as dt

import pytest

from tongchou.accounts.models import Organisation
from tongchou.experts.models import Expert
from tongchou.experts.services_registry import ExpertData, categories_seed, expert_save
from tongchou.projects.models import Project

TODAY = dt.date(2026, 12, 1)
REVIEW_DATE = dt.date(2026, 12, 10)

# (code, categories, employer, extra)
POOL = [
    ("E001", ["software"], "新疆大学", {}),
    ("E002", ["software"], "新疆农业大学", {}),
    ("E003", ["software", "data"], "昌吉学院", {}),
    ("E004", ["software"], "州教育局", {}),  # the applicant unit, by its short name
    ("E005", ["security"], "新疆网安测评中心", {}),
    ("E006", ["security"], "新疆信息安全公司", {}),
    ("E007", ["crypto"], "新疆密码测评中心", {}),
    ("E008", ["crypto"], "乌鲁木齐密码公司", {}),
    ("E009", ["investment"], "新疆造价咨询公司", {}),
    ("E010", ["investment"], "昌吉造价事务所", {}),
    ("E011", ["software"], "石河子大学", {"former_employers": [("某软件公司", dt.date(2025, 1, 1))]}),
    ("E012", ["investment"], "新疆审计师事务所", {"status": "suspended"}),
    ("E013", ["software"], "新疆师范大学", {}),
    ("E014", ["security", "crypto"], "新疆大学网安学院", {}),
    ("E015", ["investment"], "昌吉财经学院", {}),
]


def make_expert(actor, code, categories, employer, **extra) -> Expert:
    data = ExpertData(
        code=code, name=f"专家{code}", title="高级工程师", title_level=extra.pop("title_level", "vice_senior"),
        years=extra.pop("years", 12), employer=employer, categories=categories,
        phone=extra.pop("phone", "13912345678"), id_number=extra.pop("id_number", "11010519491231002X"),
        **extra,
    )
    return expert_save(data=data, actor=actor)


@pytest.fixture
def clock():
    import time_machine

    with time_machine.travel(dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC), tick=True) as traveller:
        yield traveller


@pytest.fixture
def pool(demo_users, clock):
    # A transactional test elsewhere may have flushed the categories the data migration seeded.
    categories_seed()
    bureau = demo_users["bureau"]
    experts = {}
    for code, cats, employer, extra in POOL:
        experts[code] = make_expert(bureau, code, cats, employer, **dict(extra))
    # The demo expert account is E001.
    Expert.objects.filter(code="E001").update(user=demo_users["expert"])
    return experts


@pytest.fixture
def project(demo_users):
    return Project.objects.create(
        code="CJ-2026-001", name="州教育局智慧教育平台", unit=Organisation.objects.get(code="cj-edu"), year=2026,
        status="under_review", created_by=demo_users["applicant"],
    )


def joint_payload(project, **kw):
    body = {
        "purpose": "joint_review", "subject": project.name, "review_date": REVIEW_DATE.isoformat(),
        "project_id": project.pk, "vendors": ["某软件公司"], "plan_authors": [], "reserves": 1,
        "needs": [
            {"category": "software", "count": 2}, {"category": "security", "count": 1},
            {"category": "crypto", "count": 1}, {"category": "investment", "count": 1},
        ],
    }
    body.update(kw)
    return body


