"""Two organisers drawing at once for the same project and purpose: exactly one succeeds."""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, connections, transaction

from tests.experts.conftest import REVIEW_DATE
from tongchou.core_errors import Conflict
from tongchou.experts.models import Draw
from tongchou.experts.services_draws import draw_prepare

NEEDS = [{"category": "software", "count": 2}, {"category": "security", "count": 1},
         {"category": "crypto", "count": 1}, {"category": "investment", "count": 1}]


def _prepare(project, actor):
    return draw_prepare(purpose="joint_review", subject=project.name, review_date=REVIEW_DATE, needs=NEEDS,
                        project=project, actor=actor, reserves=0)


def test_the_database_refuses_a_second_open_draw(pool, project, demo_users):
    first = _prepare(project, demo_users["bureau"])
    clone = Draw(**{f.attname: getattr(first, f.attname) for f in Draw._meta.concrete_fields if f.name != "id"})
    with pytest.raises(IntegrityError), transaction.atomic():
        clone.save()
    # A closed or cancelled draw no longer blocks a new one.
    Draw.objects.filter(pk=first.pk).update(status="cancelled")
    assert _prepare(project, demo_users["reviewer"]).pk != first.pk


def test_the_service_turns_the_constraint_into_a_conflict(pool, project, demo_users, monkeypatch):
    """Even if the lock were bypassed, the unique constraint answers 409, not a traceback."""
    _prepare(project, demo_users["bureau"])
    from django.db.models import QuerySet

    monkeypatch.setattr(QuerySet, "exists", lambda self: False)
    with pytest.raises(Conflict):
        _prepare(project, demo_users["reviewer"])
    assert Draw.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks across threads need PostgreSQL")
def test_two_organisers_at_once_only_one_succeeds(pool, project, demo_users):
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def organiser(username):
        try:
            barrier.wait()
            _prepare(project, demo_users[username])
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=organiser, args=(u,)) for u in ("bureau", "reviewer")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcomes) == ["conflict", "ok"]
    assert Draw.objects.filter(project=project).count() == 1
