"""Retirement (Art. 35): the data and documents handed over, the inventory updated, `retire`."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import Organisation
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError
from tongchou.delivery.models import Handover
from tongchou.delivery.services.access import changed_fields, require_unit
from tongchou.delivery.services.inventory import inventory_on_retire
from tongchou.delivery.services.obligations import delivery_obligations_sync
from tongchou.lifecycle.services import project_transition
from tongchou.projects.models import Project


def handover_record(*, project: Project, actor: Any, data_handed_over: bool, documents_handed_over: bool,
                    receiver: Organisation | None = None, handed_over_on: date | None = None,
                    note: str = "") -> Handover:
    require_unit(actor, project, "登记退役移交", "第三十五条")
    if handed_over_on is not None and handed_over_on > timezone.localdate():
        raise DomainError("移交日期不能晚于今天。", code="invalid", field="handed_over_on")
    with transaction.atomic():
        handover, _ = Handover.objects.select_for_update().get_or_create(project=project)
        diff = changed_fields(handover, {
            "data_handed_over": data_handed_over, "documents_handed_over": documents_handed_over,
            "receiver": receiver, "handed_over_on": handed_over_on, "note": note})
        handover.updated_by = actor
        handover.save()
        audit_record(event="delivery.handover.record", actor=actor, target=project, data={"changed": diff})
    return handover


def handover_missing(handover: Handover | None) -> list[str]:
    if handover is None:
        return ["系统数据移交", "文档资料移交", "接收单位", "移交日期"]
    missing = []
    if not handover.data_handed_over:
        missing.append("系统数据移交")
    if not handover.documents_handed_over:
        missing.append("文档资料移交")
    if handover.receiver_id is None:
        missing.append("接收单位")
    if handover.handed_over_on is None:
        missing.append("移交日期")
    return missing


def project_retire(*, project: Project, actor: Any, expected_version: int | None = None,
                   note: str = "") -> Project:
    with transaction.atomic():
        done = project_transition(project=project, action="retire", actor=actor, expected_version=expected_version,
                                  note=note)
        inventory_on_retire(project=project, actor=actor, on=timezone.localdate())
        delivery_obligations_sync(project=done, actor=actor)
    return done
