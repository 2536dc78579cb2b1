"""Retention of stored idempotent answers (ADR 0151).

A key protects a client's retries, which come within minutes; after `IDEMPOTENCY_RETENTION_HOURS`
(default 24) the stored answer has done its job. An expired key is treated as unused the moment it
expires (`tongchou.api.idempotency` re-claims it), and the purge only reclaims the rows, so how often
the worker runs it changes disk use, never behaviour.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.idempotency.models import IdempotencyRecord

PURGE_BATCH = 1000


def idempotency_retention() -> timedelta:
    return timedelta(hours=settings.IDEMPOTENCY_RETENTION_HOURS)


def idempotency_cutoff(now: datetime | None = None) -> datetime:
    """Records created before this moment are expired."""
    return (now or timezone.now()) - idempotency_retention()


@dataclass(frozen=True)
class PurgeReport:
    deleted: int
    cutoff: datetime

    def as_dict(self) -> dict[str, object]:
        return {"deleted": self.deleted, "cutoff": self.cutoff.isoformat()}


def idempotency_purge(*, now: datetime | None = None, actor_name: str = "system") -> PurgeReport:
    """Deletes expired records in batches (short transactions, so API writes are not held up) and
    writes one audit event with the count when anything was deleted."""
    cutoff = idempotency_cutoff(now)
    deleted = 0
    while True:
        with transaction.atomic():
            pks = list(IdempotencyRecord.objects.filter(created_at__lt=cutoff)
                       .order_by("pk").values_list("pk", flat=True)[:PURGE_BATCH])
            if not pks:
                break
            # created_at is checked again: a key re-claimed meanwhile has a fresh created_at and stays.
            n, _ = IdempotencyRecord.objects.filter(pk__in=pks, created_at__lt=cutoff).delete()
            deleted += n
        if len(pks) < PURGE_BATCH:
            break
    if deleted:
        with transaction.atomic():
            audit_record(event="idempotency.purged", actor_name=actor_name,
                         data={"deleted": deleted, "cutoff": cutoff.isoformat(),
                               "retention_hours": settings.IDEMPOTENCY_RETENTION_HOURS})
    return PurgeReport(deleted=deleted, cutoff=cutoff)
