"""Two finance reviewers deciding the same O&M request at once: exactly one decision is recorded."""

from __future__ import annotations

import threading
from decimal import Decimal

import pytest
from django.db import close_old_connections, connection

from tongchou.accounts.models import Organisation, Role, User
from tongchou.core_errors import Conflict
from tongchou.delivery.models import OMFundingRequest
from tongchou.delivery.services.om import om_request_decide
from tongchou.projects.models import Status


@pytest.mark.django_db(transaction=True)
def test_two_finance_decisions_at_once_one_wins(project_in, demo_users):
    project = project_in(Status.OPERATING)
    request = OMFundingRequest.objects.create(project=project, year=2027, amount=Decimal("80000"), eligible=True,
                                              facts={}, assessment={"om_funding": {"eligible": True, "reasons": []}})
    second = User.objects.create(username="finance2", role=Role.MEMBER_REVIEWER,
                                 organisation=Organisation.objects.get(code="cj-finance"))
    barrier = threading.Barrier(2)
    results: list[str] = []

    def decide(user: User, approve: bool) -> None:
        close_old_connections()
        try:
            barrier.wait()
            om_request_decide(request=OMFundingRequest.objects.get(pk=request.pk), actor=user, approve=approve,
                              note="" if approve else "资料不全")
            results.append("ok")
        except Conflict:
            results.append("conflict")
        except Exception as exc:  # SQLite may report its own lock; that is still a refusal
            results.append("locked" if "locked" in str(exc) else repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=decide, args=(demo_users["finance"], True)),
               threading.Thread(target=decide, args=(second, False))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1, results
    assert sorted(results)[0] in ("conflict", "locked")
    assert OMFundingRequest.objects.get(pk=request.pk).status in ("approved", "refused")
