"""Project codes: unique per prefix and year, safe when applicants race."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from tests.projects.builders import make_project
from tongchou.accounts.models import Organisation
from tongchou.projects.codes import project_code_allocate


@pytest.mark.django_db
def test_codes_count_up_per_prefix_and_year(demo_users):
    codes = [make_project(demo_users["applicant"]).code, make_project(demo_users["applicant2"]).code,
             make_project(demo_users["applicant"], year=2026).code, make_project(demo_users["countyapp"]).code]
    assert codes == ["CJ-2025-0001", "CJ-2025-0002", "CJ-2026-0001", "CJS-2025-0001"]


@pytest.mark.django_db
def test_parks_and_counties_use_their_own_prefix(orgs):
    assert project_code_allocate(unit=Organisation.objects.get(code="zhundong-digital"), year=2025) == "ZD-2025-0001"
    assert project_code_allocate(unit=Organisation.objects.get(code="mori-edu"), year=2025) == "ML-2025-0001"
    assert project_code_allocate(unit=Organisation.objects.get(code="cj-edu"), year=2025) == "CJ-2025-0001"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; the race needs PostgreSQL")
def test_concurrent_allocations_never_repeat_a_code(orgs):
    from django.db import connections

    unit = Organisation.objects.get(code="cj-edu")
    results: list[str] = []
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def worker() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                results.append(project_code_allocate(unit=unit, year=2030))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(results) == [f"CJ-2030-{n:04d}" for n in range(1, 41)]
