"""The demo data leaves work on the review desk, and loading it twice changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from tongchou.accounts.models import User
from tongchou.reviews.models import Opinion, ProjectRouting, ReviewRound
from tongchou.reviews.selectors import desk_tasks


@pytest.mark.django_db
def test_the_demo_routes_projects_and_fills_the_desks(clock):
    with open("/dev/null", "w") as sink:
        call_command("demo", stdout=sink)
    assert set(ProjectRouting.objects.values_list("review_path", flat=True)) == {
        "joint_review", "security_review", "self_procurement"}
    counts = (ReviewRound.objects.count(), Opinion.objects.count())
    # 3 rounds (7 opinions) from reviews.demo, 8 more carried through by the lifecycle stories (ADR 0205)
    assert counts == (11, 42)
    police = User.objects.get(username="police")
    # 智慧教育云平台 (joint review) and 档案馆等保测评 (security review); 医保监管 has all its opinions.
    assert len(desk_tasks(police, today=dt.date(2025, 3, 3))) == 2
    with open("/dev/null", "w") as sink:
        call_command("demo", stdout=sink)
    assert (ReviewRound.objects.count(), Opinion.objects.count()) == counts
