"""Two reviewers of the same member unit submit the same task at once: exactly one opinion is kept."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection

from tests.reviews.helpers import COMMENTS, assessment
from tongchou.accounts.models import Organisation, Role, User
from tongchou.core_errors import Conflict
from tongchou.reviews.models import Opinion, OpinionTask
from tongchou.reviews.opinions import opinion_submit
from tongchou.reviews.routing import review_route


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_submitting_the_same_task_one_wins(make_project, demo_users):
    second = User.objects.create(username="finance2", display_name="王财政", role=Role.MEMBER_REVIEWER,
                                 organisation=Organisation.objects.get(code="cj-finance"))
    review_round = review_route(project=make_project(), assessment=assessment(), actor=demo_users["reviewer"])
    task_id = review_round.tasks.get(member="finance").pk
    barrier = threading.Barrier(2)
    results: list[str] = []

    def act(user, conclusion):
        close_old_connections()
        try:
            barrier.wait()
            opinion_submit(task=OpinionTask.objects.get(pk=task_id), actor=user, conclusion=conclusion,
                           comments=COMMENTS["finance"])
            results.append("ok")
        except Conflict:
            results.append("conflict")
        except Exception as exc:  # SQLite may report its own lock; that is still a refusal
            results.append("locked" if "locked" in str(exc) else repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(demo_users["finance"], "agree")),
               threading.Thread(target=act, args=(second, "disagree"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert set(results) - {"ok"} <= {"conflict", "locked"}, results
    assert Opinion.objects.filter(round=review_round, member="finance").count() == 1
