"""Project codes: `CJ-2025-0001` for the prefecture, each county's and park's own prefix.

The counter row is bumped with a single UPDATE … SET last = last + 1 before it is read, so the
database's row lock queues concurrent applicants (PostgreSQL) or the write lock does (SQLite); the
unique constraint on `Project.code` is the last line of defence.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F

from tongchou.accounts.models import Organisation
from tongchou.projects.models import ProjectCodeCounter

DEFAULT_PREFIX = "CJ"


def code_prefix_for(unit: Organisation) -> str:
    return (unit.project_code_prefix or DEFAULT_PREFIX).upper()


def project_code_allocate(*, unit: Organisation, year: int) -> str:
    """Issues the next code for the unit's prefix and the year. Call inside the creating transaction."""
    prefix = code_prefix_for(unit)
    with transaction.atomic():
        updated = ProjectCodeCounter.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
        if not updated:
            try:
                with transaction.atomic():
                    ProjectCodeCounter.objects.create(prefix=prefix, year=year, last=1)
            except IntegrityError:
                # Someone created the counter between our UPDATE and INSERT: take the next number.
                ProjectCodeCounter.objects.filter(prefix=prefix, year=year).update(last=F("last") + 1)
        last = ProjectCodeCounter.objects.get(prefix=prefix, year=year).last
    return f"{prefix}-{year}-{last:04d}"
