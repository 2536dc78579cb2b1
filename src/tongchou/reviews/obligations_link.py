"""The approval opens the Art. 26 and Art. 18 obligations in the shared obligations register (which
reminds, escalates and — for Art. 26 — lapses the approval); filing fulfils Art. 18."""

from __future__ import annotations

from typing import Any

from tongchou.obligations.models import OPEN_STATUSES, Obligation, ObligationSource
from tongchou.obligations.services import (
    obligation_create,
    obligation_fulfil,
    obligation_open_from_service_level,
)

ART26_CODE = "ART26-PROCUREMENT-DEADLINE"
ART18_CODE = "ART18-FILING"


def _open(project: Any, code: str) -> Obligation | None:
    return Obligation.objects.filter(project=project, code=code, status__in=OPEN_STATUSES).first()


def approval_obligations_open(approval: Any, *, actor: Any) -> None:
    project = approval.project
    if _open(project, ART26_CODE) is None:
        # The due date is the anniversary computed by reviews (29 Feb → 28 Feb), not a month count.
        obligation_create(project=project, code=ART26_CODE, title="立项批复后 1 年内启动政府采购",
                          article="第二十六条", due_date=approval.procurement_deadline,
                          source=ObligationSource.SERVICE_LEVEL, start_date=approval.approval_date, actor=actor)
    if _open(project, ART18_CODE) is None:
        obligation_open_from_service_level(project=project, level_code=ART18_CODE, start=approval.approval_date,
                                           actor=actor)


def filing_obligation_fulfil(project: Any, *, actor: Any) -> None:
    ob = _open(project, ART18_CODE)
    if ob is not None:
        obligation_fulfil(obligation=ob, actor=actor, note="已向数字化发展局报备")
