"""Delivery's deadlines as rows of the obligations model (branch infra), so the worker's sweep reminds
before and escalates after. The records are the truth: after each write the project's open DELIVERY-*
obligations are reconciled with `project_owed` — new ones opened, met or moved ones closed."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.delivery.selectors import project_owed
from tongchou.obligations.models import OPEN_STATUSES, Obligation, ObligationSource, ObligationStatus
from tongchou.obligations.services import obligation_create
from tongchou.projects.models import Project

PREFIX = "DELIVERY-"


def _close(ob: Obligation, actor: Any, note: str) -> None:
    # Closed by the record that met it, whoever wrote it (obligation_fulfil would ask for the unit's role).
    ob.status, ob.closed_at, ob.close_note = ObligationStatus.DONE, timezone.now(), note[:255]
    ob.closed_by = actor if getattr(actor, "pk", None) else None
    ob.save(update_fields=["status", "closed_at", "closed_by", "close_note"])
    audit_record(event="obligation.fulfilled", actor=actor, target=ob,
                 data={"code": ob.code, "due_date": ob.due_date.isoformat(), "note": note[:255]})


def delivery_obligations_sync(*, project: Project, actor: Any) -> dict[str, list[str]]:
    """Call inside the writing service's transaction."""
    owed = {o.code: o for o in project_owed(project)}
    opened: list[str] = []
    closed: list[str] = []
    for ob in Obligation.objects.select_for_update().filter(
            project=project, code__startswith=PREFIX, status__in=OPEN_STATUSES).order_by("pk"):
        want = owed.get(ob.code)
        if want is None:
            _close(ob, actor, "已按实施记录办理")
            closed.append(ob.code)
        elif want.due_on != ob.due_date:
            _close(ob, actor, f"到期日按最新记录改为 {want.due_on.isoformat()}")
            closed.append(ob.code)
        else:
            owed.pop(ob.code)
    for want in owed.values():
        obligation_create(project=project, code=want.code, title=want.title, article=want.article,
                          due_date=want.due_on, source=ObligationSource.MANUAL, responsible_org=project.unit,
                          remind_before=want.remind_before, actor=actor)
        opened.append(want.code)
    return {"opened": opened, "closed": closed}
