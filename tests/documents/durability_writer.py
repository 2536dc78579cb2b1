"""Run by test_durability in a subprocess (not a test module).

`write START`: stores small files through `stored_file_create` (file + row + audit event), printing
each id only after the transaction committed, forever, until it is killed.
`audit COUNT`: COUNT read-then-write transactions (audit events), each acknowledged the same way.
`check ID...`: prints JSON — acknowledged ids that are missing, files whose bytes fail their SM3
digest, and whether the audit hash chain is still intact.
"""

from __future__ import annotations

import json
import os
import sys
import time

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.config.settings")
import django  # noqa: E402

django.setup()

from django.db import transaction  # noqa: E402

from tongchou.audit.models import AuditEvent  # noqa: E402
from tongchou.audit.services import GENESIS, audit_record, chain_hash  # noqa: E402
from tongchou.core_errors import DomainError  # noqa: E402
from tongchou.documents import storage  # noqa: E402
from tongchou.documents.models import StoredFile  # noqa: E402
from tongchou.documents.services import stored_file_create  # noqa: E402
from tongchou.documents.uploads import PDF  # noqa: E402


def write(start: int) -> None:
    n = start
    while True:
        body = b"%PDF-1.7\n" + (b"%d " % n) * 200 + b"\n%%EOF\n"
        stored = stored_file_create(data=body, display_name=f"probe-{n}.pdf", kind=PDF, actor=None,
                                    purpose="durability")
        sys.stdout.write(f"{stored.pk} {time.monotonic():.6f}\n")  # the clock is system-wide on Linux
        sys.stdout.flush()
        n += 1


def audit(count: int) -> None:
    """Read-then-write transactions (the audit chain's head is read, then updated), as most services do."""
    for n in range(count):
        with transaction.atomic():
            event = audit_record(event="durability.audit", actor=None, actor_name="probe", data={"n": n})
        sys.stdout.write(f"{event.pk} {time.monotonic():.6f}\n")
        sys.stdout.flush()


def check(ids: list[str]) -> None:
    present = {str(pk): f for pk, f in ((f.pk, f) for f in StoredFile.objects.filter(pk__in=ids))}
    missing = [i for i in ids if i not in present]
    corrupt = []
    for pk, stored in present.items():
        try:
            storage.read_bytes(stored.storage_name, sm3=stored.sm3)
        except DomainError:
            corrupt.append(pk)
    previous, broken = GENESIS, []
    for event in AuditEvent.objects.order_by("id"):
        if event.prev_hash != previous or chain_hash(event.prev_hash, event) != event.hash:
            broken.append(event.pk)
        previous = event.hash
    print(json.dumps({"missing": missing, "corrupt": corrupt, "chain_broken": broken,
                      "rows": StoredFile.objects.filter(purpose="durability").count()}))


if __name__ == "__main__":
    if sys.argv[1] == "write":
        write(int(sys.argv[2]))
    elif sys.argv[1] == "audit":
        audit(int(sys.argv[2]))
    else:
        check(sys.argv[2:])
