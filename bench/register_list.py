"""Register list speed with 100,000 projects: first page, deep keyset page, filters, search.

Usage (a throwaway database is created and dropped; nothing touches your data):
    PYTHONPATH=src python bench/register_list.py [--projects 100000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/tc_bench PYTHONPATH=src python bench/register_list.py
Prints one line per query: median and worst of 5 runs in milliseconds.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--projects", type=int, default=100_000)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="tongchou-bench-")
    os.environ.setdefault("TONGCHOU_VAR_DIR", tmp)
    os.environ.setdefault("HTTPS", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.config.settings")
    import django
    from django.test.utils import setup_test_environment

    django.setup()
    setup_test_environment()
    from django.db import connection
    from django.test.utils import get_runner  # noqa: F401

    creation = connection.creation
    test_db = creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        return run(args.projects, test_db)
    finally:
        creation.destroy_test_db(test_db, verbosity=0)


def run(n: int, db_name: str) -> int:
    import random
    from decimal import Decimal

    from django.db import connection, transaction

    from tongchou.accounts.models import Organisation, User
    from tongchou.accounts.seed import seed_demo_users, seed_organisations
    from tongchou.projects.listing import RegisterQuery, register_page
    from tongchou.projects.models import Project, ReviewPath, Status, Support

    seed_organisations()
    seed_demo_users()
    units = list(Organisation.objects.filter(kind__in=["department", "park_body"]))
    rng = random.Random(7)
    words = ["智慧", "教育", "医保", "政务", "应急", "监管", "数据", "平台", "系统", "云", "共享", "监测", "服务"]
    start = time.perf_counter()
    batch = []
    with transaction.atomic():
        for i in range(n):
            unit = units[i % len(units)]
            batch.append(Project(
                code=f"B-{i:07d}", name="".join(rng.sample(words, 4)) + f"{i}", unit=unit, level=unit.level,
                year=rng.choice([2024, 2025, 2026]), status=rng.choice([Status.DRAFT, Status.SUBMITTED]),
                construction_cost=Decimal(rng.randrange(50_000, 9_000_000)),
                review_path=rng.choice(ReviewPath.values), support=rng.choice(Support.values),
                classified=(i % 97 == 0),
            ))
            if len(batch) == 5000:
                Project.objects.bulk_create(batch)
                batch = []
        Project.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"{connection.vendor}: {n} projects inserted in {time.perf_counter() - start:.1f}s")

    bureau = User.objects.get(username="bureau")
    applicant = User.objects.get(username="applicant")

    def timed(label: str, user: User, query: RegisterQuery, *, with_total: bool = True) -> None:
        samples = []
        for _ in range(5):
            q = RegisterQuery(**{k: v for k, v in vars(query).items() if k != "errors"})
            t = time.perf_counter()
            page = register_page(user, q, with_total=with_total)
            samples.append((time.perf_counter() - t) * 1000)
        print(f"  {label:<46} median {statistics.median(samples):7.1f} ms  worst {max(samples):7.1f} ms"
              f"  ({len(page.items)} rows, total {page.total})")

    # a deep cursor: walk 40 pages of 50 once to get it
    q = RegisterQuery(limit=50)
    for _ in range(40):
        q.after = register_page(bureau, q, with_total=False).next_cursor or ""
    deep = q.after
    timed("bureau, first page, newest, with total", bureau, RegisterQuery())
    timed("bureau, first page, newest, no total", bureau, RegisterQuery(), with_total=False)
    timed("bureau, page 41 (keyset), newest", bureau, RegisterQuery(after=deep), with_total=False)
    timed("bureau, year=2025 + status=submitted", bureau, RegisterQuery(year=2025, status="submitted"))
    timed("bureau, review_path=joint_review, cost desc", bureau, RegisterQuery(review_path="joint_review", sort="cost_desc"))
    timed("bureau, support=priority, name", bureau, RegisterQuery(support="priority", sort="name"))
    timed("bureau, search 医保 (LIKE, units resolved first)", bureau, RegisterQuery(q="医保"))
    timed("applicant (one unit), newest", applicant, RegisterQuery())
    return 0


if __name__ == "__main__":
    sys.exit(main())
