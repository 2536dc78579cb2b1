"""Portfolio figures: the totals by management mode and level over a large register, and the
unified-system pointer of one project against many unified systems. Throwaway embedded database;
prints figures, asserts nothing. BENCH_PROJECTS (default 20000), BENCH_UNIFIED (default 500)."""

from __future__ import annotations

import os
import time

import _embedded  # noqa: F401  (Django on a throwaway embedded database; first, before any Django import)
from django.utils import timezone  # noqa: E402

from tongchou.accounts.models import Organisation, User  # noqa: E402
from tongchou.accounts.seed import seed_demo_users, seed_organisations  # noqa: E402
from tongchou.portfolio.models import ProjectMode  # noqa: E402
from tongchou.portfolio.selectors import totals_by_mode_and_level, unified_systems_overlapping  # noqa: E402
from tongchou.projects.models import MaterialKind, Project, ProjectMaterial  # noqa: E402

seed_organisations()
seed_demo_users()
users = {u.username: u for u in User.objects.all()}
units = list(Organisation.objects.filter(kind__in=("department", "park_body")))
N = int(os.environ.get("BENCH_PROJECTS", "20000"))
U = int(os.environ.get("BENCH_UNIFIED", "500"))
TOPICS = ["政务服务", "电子证照", "统一身份认证", "数据共享交换", "视频监控", "应急指挥", "医保结算", "学籍管理",
          "不动产登记", "水资源监测", "市场监管", "社会救助", "交通运输", "生态环境", "档案管理"]

now = timezone.now()
t0 = time.perf_counter()
projects = [Project(code=f"B-{i:06d}", name=f"{TOPICS[i % len(TOPICS)]}系统{i}", unit=units[i % len(units)],
                    level=units[i % len(units)].level, year=2025, created_by=users["applicant"]) for i in range(N)]
Project.objects.bulk_create(projects, batch_size=2000)
ids = list(Project.objects.order_by("id").values_list("id", flat=True))
modes = [ProjectMode(project_id=pk, mode=("unified" if i < U else "specialised"),
                     proposed_mode=("unified" if i < U else "specialised"), proposed_by=users["applicant"],
                     proposed_at=now) for i, pk in enumerate(ids) if i < U or i % 3]
ProjectMode.objects.bulk_create(modes, batch_size=2000)
ProjectMaterial.objects.bulk_create(
    [ProjectMaterial(project_id=pk, kind=MaterialKind.BASIC_INFO,
                     text=f"建设全州{TOPICS[i % len(TOPICS)]}平台，实现{TOPICS[(i + 3) % len(TOPICS)]}业务协同。")
     for i, pk in enumerate(ids[: U + 1])], batch_size=2000)
print(f"set-up: {N} projects, {U} unified, {len(modes)} with a mode: {time.perf_counter() - t0:.1f} s")

bureau = users["bureau"]
for label, user in (("prefecture bureau", bureau), ("county bureau", users["county"]),
                    ("unit", users["applicant"])):
    runs = []
    for _ in range(5):
        t = time.perf_counter()
        totals = totals_by_mode_and_level(user)
        runs.append(time.perf_counter() - t)
    print(f"totals_by_mode_and_level ({label}, {totals['total']} projects): median {sorted(runs)[2] * 1000:.1f} ms")

candidate = Project.objects.get(pk=ids[U])
t, c = time.perf_counter(), time.process_time()
pointers = unified_systems_overlapping(candidate)
print(f"unified pointer against {U} unified systems, first call (corpus read and parsed): "
      f"{(time.perf_counter() - t) * 1000:.0f} ms wall, {(time.process_time() - c) * 1000:.0f} ms CPU")
runs, cpus = [], []
for pk in ids[U : U + 5]:
    other = Project.objects.get(pk=pk)
    t, c = time.perf_counter(), time.process_time()
    unified_systems_overlapping(other)
    runs.append(time.perf_counter() - t)
    cpus.append(time.process_time() - c)
print(f"unified pointer, warm (cached corpus), 5 projects: median {sorted(runs)[2] * 1000:.0f} ms wall, "
      f"{sorted(cpus)[2] * 1000:.0f} ms CPU (load average {os.getloadavg()[0]:.1f}), {len(pointers)} found")
