"""Benchmark of the dashboards and the open register (prints figures, never asserts).

Seeds 100,000 projects (with approvals, review opinions, obligations and O&M requests) into the
PostgreSQL database named on the command line, then measures the median warm response time of every
dashboard endpoint and of the public list, in process through Django's test client.
Target: < 300 ms each.

Run: `PYTHONPATH=src python bench/dashboards.py postgres://postgres@127.0.0.1:5432/tc_reports_bench [N]`
(the database is created if missing and migrated; an already seeded database is reused).
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

TZ = timezone(timedelta(hours=8))
STATUSES = ["draft", "submitted", "under_review", "opinion_issued", "approved", "implementation", "accepted",
            "operating", "not_supported", "withdrawn"]
PATHS = ["self_procurement", "security_review", "joint_review"]
CATEGORIES = ["development", "development", "development", "equipment", "security_assessment"]
MEMBERS = [("crypto_bureau", "cj-crypto"), ("public_security", "cj-psb"), ("development_reform", "cj-ndrc"),
           ("finance", "cj-finance"), ("digital_bureau", "cj-digital")]


def setup(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", (name,)).fetchone():
            conn.execute(f'create database "{name}"')
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.config.settings")
    os.environ.setdefault("TONGCHOU_MEDIA_ROOT", "/tmp/tc_reports_bench_media")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def seed(n: int) -> None:
    from tongchou.accounts.models import Organisation, OrgKind
    from tongchou.accounts.seed import seed_demo_users, seed_organisations
    from tongchou.delivery.models import OMFundingRequest
    from tongchou.obligations.models import Obligation
    from tongchou.projects.models import Project
    from tongchou.reviews.models import Opinion, OpinionTask, ProjectApproval, ReviewRound

    if Project.objects.count() >= n:
        print(f"reusing {Project.objects.count()} projects already seeded")
        return
    seed_organisations()
    seed_demo_users()
    from tongchou.accounts.models import User

    bureau = User.objects.get(username="bureau")
    units = list(Organisation.objects.filter(kind=OrgKind.DEPARTMENT))
    rng = random.Random(20250117)
    started = time.perf_counter()
    batch = []
    for i in range(n):
        unit = units[i % len(units)]
        status = rng.choice(STATUSES)
        cost = Decimal(rng.choice([rng.randint(50_000, 499_999), rng.randint(500_000, 1_999_999),
                                   rng.randint(2_000_000, 9_000_000)]))
        batch.append(Project(
            code=f"B-{i:07d}", name=f"基准项目{i}", unit=unit, level=unit.level, year=2023 + i % 4, status=status,
            classified=(i % 50 == 0), construction_cost=cost, category=rng.choice(CATEGORIES),
            review_path="" if status == "draft" else rng.choice(PATHS), support="" if status == "draft" else "normal",
            application_date=date(2025, 1, 20) + timedelta(days=i % 300), annual_om_cost=cost / 20))
        if len(batch) == 5000:
            Project.objects.bulk_create(batch)
            batch = []
    Project.objects.bulk_create(batch)
    print(f"seeded {n} projects in {time.perf_counter() - started:.1f} s")
    ids = list(Project.objects.exclude(status="draft").values_list("id", "construction_cost", "unit_id"))
    now = datetime(2025, 6, 1, 9, tzinfo=TZ)
    ndrc = User.objects.get(username="ndrc")
    ProjectApproval.objects.bulk_create([
        ProjectApproval(project_id=pk, doc_number=f"昌发改〔2025〕{pk}号", approval_date=date(2025, 6, 1),
                        approved_amount=(cost * Decimal("0.9")).quantize(Decimal("0.01")),
                        procurement_deadline=date(2026, 6, 1), recorded_by=ndrc, recorded_at=now)
        for pk, cost, _u in ids[::4]], batch_size=5000)
    orgs = {code: Organisation.objects.get(code=code) for _m, code in MEMBERS}
    digital = orgs["cj-digital"]
    rounds = ReviewRound.objects.bulk_create([
        ReviewRound(project_id=pk, number=1, review_path="joint_review", authority=digital, opened_at=now,
                    opened_by=bureau, status="closed") for pk, _c, _u in ids[::5]], batch_size=5000)
    tasks, opinions = [], []
    for k, rnd in enumerate(rounds):
        member, code = MEMBERS[k % len(MEMBERS)]
        opened = date(2025, 3, 3) + timedelta(days=k % 200)
        tasks.append(OpinionTask(round=rnd, member=member, reviewer_org=orgs[code], status="submitted",
                                 opened_on=opened, due_date=opened + timedelta(days=14), paused_working_days=k % 3))
    OpinionTask.objects.bulk_create(tasks, batch_size=5000)
    for k, task in enumerate(tasks):
        opinions.append(Opinion(task=task, round=task.round, member=task.member, conclusion="agree",
                                cost_reduction=Decimal(k % 7 * 10000), author=bureau,
                                submitted_at=datetime.combine(task.opened_on + timedelta(days=3 + k % 10),
                                                              datetime.min.time(), tzinfo=TZ)))
    Opinion.objects.bulk_create(opinions, batch_size=5000)
    Obligation.objects.bulk_create([
        Obligation(project_id=pk, code="BENCH", title="报送材料", article="第二十一条", source="manual",
                   due_date=date(2025, 1, 1) + timedelta(days=pk % 500), remind_on=date(2025, 1, 1),
                   responsible_org_id=unit) for pk, _c, unit in ids[::3]], batch_size=5000)
    OMFundingRequest.objects.bulk_create([
        OMFundingRequest(project_id=pk, year=2024 + pk % 3, amount=(cost * Decimal("0.12")).quantize(Decimal("1")),
                         eligible=True, cap_exceeded=True) for pk, cost, _u in ids[::6]], batch_size=5000)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seeded related rows in {time.perf_counter() - started:.1f} s total")


def median_ms(client, url: str, runs: int = 15, *, fresh: bool = False, **extra) -> float:
    """Median of `runs` requests after two warm-up requests; `fresh` empties the cache before each
    request, so the figure is computed by the database every time."""
    from django.core.cache import cache

    times = []
    for k in range(runs + 2):
        if fresh:
            cache.clear()
        started = time.perf_counter()
        response = client.get(url, REMOTE_ADDR=f"10.1.{k // 250}.{k % 250}", **extra)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (url, response.status_code)
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
        if k >= 2:  # two warm-up requests
            times.append(elapsed)
    return statistics.median(times)


def main() -> None:
    url = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        print("跳过：本基准需要 PostgreSQL。用法：python bench/dashboards.py postgres://USER@HOST:PORT/DBNAME [项目数]")
        return
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    setup(url)
    seed(n)
    from django.test import Client

    from tongchou.accounts.models import User
    from tongchou.reports.figures import FIGURES

    bureau, applicant = Client(), Client()
    bureau.force_login(User.objects.get(username="bureau"))
    applicant.force_login(User.objects.get(username="applicant"))
    rows: list[tuple[str, float]] = []
    for key in FIGURES:
        for suffix in ("", "?year=2025"):
            url = f"/api/v1/reports/figures/{key}{suffix}"
            rows.append((f"bureau  figure {key} {suffix} (uncached)", median_ms(bureau, url, fresh=True)))
            rows.append((f"bureau  figure {key} {suffix} (60 s cache)", median_ms(bureau, url)))
    rows.append(("bureau  page /reports/", median_ms(bureau, "/reports/")))
    rows.append(("unit    figure by_status (uncached)", median_ms(applicant, "/api/v1/reports/figures/by_status",
                                                             fresh=True)))
    rows.append(("unit    /api/v1/reports/unit-overview", median_ms(applicant, "/api/v1/reports/unit-overview")))
    rows.append(("unit    page /reports/unit/", median_ms(applicant, "/reports/unit/")))
    public = Client()
    rows.append(("public  /api/v1/public/projects", median_ms(public, "/api/v1/public/projects")))
    rows.append(("public  /api/v1/public/projects?year=2025", median_ms(public, "/api/v1/public/projects?year=2025")))
    rows.append(("public  /open/", median_ms(public, "/open/")))
    width = max(len(name) for name, _ in rows)
    print(f"median warm response, {n} projects (target < 300 ms); load average {os.getloadavg()[0]:.1f}:")
    for name, ms in rows:
        print(f"  {name:<{width}}  {ms:8.1f} ms{'' if ms < 300 else '  ← over target'}")


if __name__ == "__main__":
    main()
