"""The digital development bureau's 数据共享认定 (Art. 5, 14 项目集成共享, 30(一); ADR 0210): whether the
project's systems share their data resources as required and whether they collect data again that is
already collected. One transaction, audited; the unit is told of an adverse attestation."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import MemberRole
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError
from tongchou.delivery.models import DataSharingAttestation, InventorySystem
from tongchou.delivery.selectors import DELIVERY_STATUSES
from tongchou.delivery.services.access import is_member, require_open
from tongchou.lifecycle.permissions import is_project_authority
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify
from tongchou.projects.models import Project

ARTICLE = "第五条、第十四条、第三十条第（一）项"


def may_attest(user: Any, project: Project) -> bool:
    """The bureau that runs data sharing: the prefecture bureau (its 联审 reviewers or its staff) for prefecture
    and park projects, a county's bureau for its county's projects (Art. 19, 36)."""
    return user is not None and (is_member(user, MemberRole.DIGITAL_BUREAU, project)
                                 or is_project_authority(user, project))


def attestation_record(*, project: Project, actor: Any, shared_as_required: bool, duplicate_collection: bool,
                       catalogue: str = "", evidence: str = "", attested_on: date | None = None,
                       system_id: int | None = None) -> DataSharingAttestation:
    if not may_attest(actor, project):
        raise DomainError("只有数字化发展局可以认定数据共享情况（第五条、第十四条、第三十条第（一）项）。",
                          code="forbidden", article=ARTICLE, status=403)
    if project.status not in DELIVERY_STATUSES:
        raise DomainError(f"项目状态为「{project.get_status_display()}」，立项批复后方可认定数据共享情况。",
                          code="not_approved", article=ARTICLE)
    require_open(project)
    today = timezone.localdate()
    on = attested_on or today
    if on > today:
        raise DomainError("认定日期不能晚于今天。", code="invalid", field="attested_on")
    catalogue, evidence = (catalogue or "").strip(), (evidence or "").strip()
    if shared_as_required and not catalogue:
        raise DomainError("认定已按要求共享时，请写明共享的目录或数据资源。", code="invalid", field="catalogue")
    if (not shared_as_required or duplicate_collection) and not evidence:
        raise DomainError("认定未按要求共享或存在重复采集时，请写明认定依据。", code="invalid", field="evidence")
    system = None
    if system_id is not None:
        system = (InventorySystem.objects.filter(built_by=project, pk=system_id).first()
                  or InventorySystem.objects.filter(migration_project=project, pk=system_id).first())
        if system is None:
            raise DomainError("所选系统不是本项目建成或迁移的系统，请重新选择。", code="invalid", field="system_id")
    with transaction.atomic():
        record = DataSharingAttestation.objects.create(
            project=project, system=system, attested_on=on, shared_as_required=shared_as_required,
            catalogue=catalogue, duplicate_collection=duplicate_collection, evidence=evidence,
            attested_by=actor.organisation, created_by=actor)
        audit_record(event="delivery.data_sharing.attest", actor=actor, target=project,
                     data={"record": record.pk, "system": system.pk if system else None, "attested_on": on,
                           "shared_as_required": shared_as_required, "duplicate_collection": duplicate_collection,
                           "adverse": record.adverse, "article": ARTICLE})
        if record.adverse:
            from tongchou.delivery.services.supervision import _label, _unit_users

            notify(users=_unit_users(project), kind=Kind.DECISION,
                   link=f"/projects/{project.pk}/delivery/?tab=om",
                   subject=f"数据共享认定：{record.adverse_label}（{_label(project)}）",
                   body=f"{actor.organisation.name} {on:%Y年%m月%d日}认定{record.adverse_label}：\n{evidence}\n"
                        "在重新认定前，运维经费申请按第三十条第（一）项评估，不安排运维经费。")
    return record
