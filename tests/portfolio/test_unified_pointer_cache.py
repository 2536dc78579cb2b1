"""Art. 3: the unified-system pointer reads its corpus from a process-local cache. Same answers as
reading and parsing every unified system on each call; a change counts at once."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.portfolio.helpers import application
from tongchou.accounts.models import Organisation
from tongchou.portfolio.models import ProjectMode
from tongchou.portfolio.selectors import (
    _record,
    _unified_projects,
    shared_of_part,
    unified_systems_overlapping,
)
from tongchou.projects.models import MaterialKind, Project, ProjectMaterial

pytestmark = pytest.mark.django_db

TOPICS = [
    ("统一身份认证平台", "建设全州统一身份认证平台，实现政务服务统一身份认证、单点登录和电子证照共享，对接政务云。"),
    ("电子证照库", "建设全州电子证照库，归集各部门电子证照，支撑证照共享调用和亮证核验。"),
    ("视频监控联网平台", "建设视频监控联网共享平台，汇聚公安、交通、应急视频资源，统一调度。"),
    ("数据共享交换平台", "建设数据共享交换平台，打通部门数据壁垒，实现数据目录编制和共享调用。"),
    ("应急指挥平台", "建设应急指挥调度平台，实现应急值守、预案管理和指挥调度一张图。"),
]
UNITS = ["cj-govservice", "cj-edu", "cj-medins", "changji-edu", "fukang-edu"]


def reference(project: Project) -> list[dict[str, Any]]:
    """The pointer as computed before the cache: every unified system read and parsed on each call."""
    from tongchou.demand.splits import RecordError, find_similar

    related = {project.pk}
    shared = getattr(project, "shared_as_parent", None)
    if shared is not None:
        related |= set(shared.participants.exclude(part=None).values_list("part_id", flat=True))
    parent = shared_of_part(project)
    if parent is not None:
        related.add(parent.parent_id)
    unified = list(_unified_projects().exclude(pk__in=related).select_related("unit"))
    if not unified:
        return []
    by_id = {str(p.pk): p for p in unified}
    try:
        candidate = _record(project)
        matches = find_similar(candidate, [candidate, *(_record(p) for p in unified)])
    except RecordError:
        return []
    return [{"project_id": by_id[m["id"]].pk, "code": by_id[m["id"]].code, "name": by_id[m["id"]].name,
             "unit": by_id[m["id"]].unit.name, "score": m["score"], "finding": m["code"],
             "message": f"与统一建设的「{by_id[m['id']].name}」（{by_id[m['id']].unit.name}）相似，请依托该系统建设或接入（第三条）。"}
            for m in matches[:5]]


def _project(code: str, unit: str, name: str, text: str | None, users, *, mode: str | None = None,
             year: int = 2025, cost: str = "1000000", **fields: Any) -> Project:
    org = Organisation.objects.get(code=unit)
    fields.setdefault("status", "submitted")
    project = Project.objects.create(code=code, name=name, unit=org, level=org.level, year=year,
                                     construction_cost=Decimal(cost), created_by=users["applicant"], **fields)
    if text is not None:
        ProjectMaterial.objects.create(project=project, kind=MaterialKind.BASIC_INFO, text=text)
    if mode:
        ProjectMode.objects.create(project=project, mode=mode, proposed_mode=mode, proposed_by=users["applicant"],
                                   proposed_at=dt.datetime(2025, 3, 1, tzinfo=dt.UTC))
    return project


@pytest.fixture
def corpus(users):
    """Unified systems of five topics by several units and years, a classified, a withdrawn, a
    specialised one and one without a description; needs alike and unlike them."""
    unified = []
    for i, (topic, text) in enumerate(TOPICS):
        for k, unit in enumerate(UNITS[: 2 + i % 3]):
            unified.append(_project(f"U{i}{k}", unit, f"{'全州' if k == 0 else ''}{topic}", text if k != 1 else text[:20],
                                    users, mode="unified", year=2024 + (i + k) % 3, cost=str(500000 * (k + 1)),
                                    category="equipment" if k == 2 else "development"))
    _project("UC", "cj-edu", "统一身份认证平台（涉密）", TOPICS[0][1], users, mode="unified", classified=True)
    _project("UW", "cj-edu", "电子证照库", TOPICS[1][1], users, mode="unified", status="withdrawn")
    _project("US", "cj-edu", "视频监控联网平台", TOPICS[2][1], users, mode="specialised")
    _project("UN", "cj-medins", "应急指挥平台二期", None, users, mode="unified")
    needs = [_project(f"N{i}", UNITS[(i + 2) % len(UNITS)], f"本单位{topic}", text, users)
             for i, (topic, text) in enumerate(TOPICS)]
    needs.append(_project("NX", "cj-medins", "医保基金智能监管系统", "建设医保基金智能监管规则库和违规行为筛查模型。", users))
    needs.append(_project("NE", "cj-edu", "统一身份认证平台", None, users))
    return unified, needs


def test_the_cached_pointer_equals_the_uncached_one(corpus):
    unified, needs = corpus
    found = 0
    for project in [*needs, *unified]:
        expected = reference(project)
        assert unified_systems_overlapping(project) == expected, project.code
        assert unified_systems_overlapping(project) == expected, project.code  # warm
        found += len(expected)
    assert found > len(needs)  # the corpus does point at things


def test_a_warm_pointer_reads_no_description_and_a_constant_number_of_queries(corpus):
    unified, needs = corpus
    unified_systems_overlapping(needs[0])
    with CaptureQueriesContext(connection) as warm:
        unified_systems_overlapping(needs[1])
    assert len(warm) <= 4  # shared parent, shared part, the corpus rows, the need's own description
    texts = [q["sql"] for q in warm.captured_queries if '"text"' in q["sql"] and "MD5" not in q["sql"].upper()]
    assert len(texts) == 1 and " IN (" not in texts[0]  # the need's own; no unified system's is read again


def test_a_newly_confirmed_unified_system_counts_at_once(api, users, clock):
    text = "建设全州统一身份认证平台，实现政务服务统一身份认证、单点登录和电子证照共享，对接政务云。"
    need = _project("N1", "cj-medins", "州医保局统一身份认证平台", text, users)
    assert unified_systems_overlapping(need) == []  # the cache now holds an empty corpus
    status, created = api("applicant", "post", "/projects", application("全州统一身份认证平台", "3000000"))
    assert status == 201, created
    pk = created["id"]
    ProjectMaterial.objects.filter(project_id=pk, kind=MaterialKind.BASIC_INFO).update(text=text)
    assert api("applicant", "post", f"/portfolio/projects/{pk}/mode", {"mode": "unified"})[0] == 200
    assert api("applicant", "post", f"/projects/{pk}/submit", {})[0] == 200
    assert api("reviewer", "post", f"/portfolio/projects/{pk}/mode/confirm", {"mode": "unified"})[0] == 200
    pointers = unified_systems_overlapping(need)
    assert [p["project_id"] for p in pointers] == [pk] and pointers == reference(need)
    status, body = api("applicant2", "get", f"/portfolio/projects/{need.pk}")
    assert [o["project_id"] for o in body["unified_overlaps"]] == [pk]
    # Its description rewritten to another system (same clock, same name: only the text moves).
    ProjectMaterial.objects.filter(project_id=pk, kind=MaterialKind.BASIC_INFO).update(
        text="建设医保基金智能监管规则库和违规行为筛查模型，开展违规行为筛查。")
    assert unified_systems_overlapping(need) == reference(need) == []
    ProjectMaterial.objects.filter(project_id=pk, kind=MaterialKind.BASIC_INFO).update(text=text)
    assert [p["project_id"] for p in unified_systems_overlapping(need)] == [pk]
    # Renamed: the pointer names it by its new name.
    Project.objects.filter(pk=pk).update(name="全州统一身份认证服务平台")
    assert unified_systems_overlapping(need) == reference(need)
    assert unified_systems_overlapping(need)[0]["name"] == "全州统一身份认证服务平台"
    # Confirmed as specialised after all: gone.
    ProjectMode.objects.filter(project_id=pk).update(mode="specialised", confirmed_mode="specialised")
    assert unified_systems_overlapping(need) == []
