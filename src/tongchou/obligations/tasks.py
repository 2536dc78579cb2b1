"""Background tasks run by `tongchou worker` (django-tasks, database backend)."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from tongchou.obligations.sweep import obligations_sweep


@task()
def obligations_sweep_task(as_of: str | None = None) -> dict[str, object]:
    return obligations_sweep(as_of=date.fromisoformat(as_of) if as_of else None).as_dict()
