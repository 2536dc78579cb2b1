from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from tests.reviews.helpers import SHANGHAI
from tongchou.accounts.models import Organisation
from tongchou.lifecycle.services import project_transition
from tongchou.projects.models import Project


@pytest.fixture
def clock():
    """Monday 2025-03-03 09:00 in Changji's time zone; tests move it with .move_to()."""
    with time_machine.travel(dt.datetime(2025, 3, 3, 9, 0, tzinfo=SHANGHAI), tick=False) as traveller:
        yield traveller


@pytest.fixture
def make_project(demo_users):
    counter = {"n": 0}

    def _make(unit_code: str = "cj-edu", level: str = "prefecture", submitter: str = "applicant", **fields):
        counter["n"] += 1
        unit = Organisation.objects.get(code=unit_code)
        # The review's 核定 amount caps the approval (Art. 14, 17): a project under review has its 项目资金.
        fields.setdefault("construction_cost", Decimal("3000000"))
        project = Project.objects.create(code=f"CJ-2025-{counter['n']:04d}", name=fields.pop("name", "智慧校园平台"),
                                         unit=unit, level=level, year=2025, **fields)
        return project_transition(project=project, action="submit", actor=demo_users[submitter])

    return _make
