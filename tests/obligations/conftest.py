from __future__ import annotations

import pytest


@pytest.fixture
def make_project(demo_users):
    from tongchou.accounts.models import Organisation
    from tongchou.projects.models import Project

    counter = iter(range(1, 1000))

    def _make(*, unit: str = "cj-edu", status: str = "approved", name: str = "智慧教育平台"):
        n = next(counter)
        return Project.objects.create(code=f"CJ-2026-{n:04d}", name=f"{name}{n}", year=2026, status=status,
                                      unit=Organisation.objects.get(code=unit), created_by=demo_users["applicant"])

    return _make


@pytest.fixture
def calendar_seeded(db):
    from tongchou.calendar.services import calendar_seed

    calendar_seed()
