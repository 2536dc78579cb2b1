"""Background task run by `tongchou worker` beside the obligations sweep."""

from __future__ import annotations

from datetime import date

from django_tasks import task

from tongchou.reviews.reminders import review_reminders_sweep


@task()
def review_reminders_task(as_of: str | None = None) -> dict[str, object]:
    return review_reminders_sweep(as_of=date.fromisoformat(as_of) if as_of else None).as_dict()
