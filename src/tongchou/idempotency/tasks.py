"""Background task run by `tongchou worker` beside the obligations sweep."""

from __future__ import annotations

from django_tasks import task

from tongchou.idempotency.services import idempotency_purge


@task()
def idempotency_purge_task() -> dict[str, object]:
    return idempotency_purge().as_dict()
