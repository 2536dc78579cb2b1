"""How long the delivery deadline list takes over many live projects, and how fast scoring is.

Runs on a throwaway embedded database under a temporary directory; prints figures, asserts nothing.
"""

from __future__ import annotations

import os
import time
from datetime import date, timedelta
from decimal import Decimal

import _embedded  # noqa: F401  (Django on a throwaway embedded database; first, before any Django import)

from tongchou.accounts.models import Organisation  # noqa: E402
from tongchou.accounts.seed import seed_organisations  # noqa: E402
from tongchou.delivery.models import CryptoAssessment, PerformanceReport, SecurityProfile  # noqa: E402
from tongchou.delivery.rules.scoring import score  # noqa: E402
from tongchou.delivery.selectors import delivery_due_items  # noqa: E402
from tongchou.projects.models import Project  # noqa: E402

seed_organisations()
unit = Organisation.objects.get(code="cj-edu")
N = int(os.environ.get("BENCH_PROJECTS", "1000"))
start = date(2026, 1, 1)
projects = Project.objects.bulk_create(
    Project(code=f"BENCH-{i:05d}", name=f"基准项目{i}", unit=unit, year=2026, status="operating") for i in range(N))
SecurityProfile.objects.bulk_create(
    SecurityProfile(project=p, crypto_plan="方案", grade=3, go_live_on=start + timedelta(days=i % 300))
    for i, p in enumerate(projects))
CryptoAssessment.objects.bulk_create(
    CryptoAssessment(project=p, assessed_on=start, assessor="机构", result="passed",
                     next_due=start + timedelta(days=300 + i % 120)) for i, p in enumerate(projects))
PerformanceReport.objects.bulk_create(
    PerformanceReport(project=p, kind="monitoring", year=2026, period="1-6月", due_on=date(2026, 7, 15))
    for p in projects)

t0 = time.perf_counter()
items = delivery_due_items(date(2026, 11, 1))
t1 = time.perf_counter()
print(f"delivery_due_items: {N} live projects → {len(items)} items in {t1 - t0:.2f} s "
      f"({(t1 - t0) / N * 1e3:.2f} ms/project)")

M = 100_000
t2 = time.perf_counter()
for i in range(M):
    score(budget_rate=Decimal(i % 100) / 100, outputs_rate=Decimal("0.9"), benefits_rate=Decimal("0.8"),
          satisfaction_rate=Decimal("0.95"))
t3 = time.perf_counter()
print(f"score(): {(t3 - t2) / M * 1e6:.1f} µs each")
