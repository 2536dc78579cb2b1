"""The system inventory (应用系统台账, Art. 5, 7, 35)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction

from tongchou.accounts.models import Organisation
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.delivery.models import Deployment, InventorySystem, MigrationStatus, SystemStatus
from tongchou.delivery.services.access import changed_fields, is_unit_member
from tongchou.delivery.services.obligations import delivery_obligations_sync
from tongchou.lifecycle.permissions import is_project_authority
from tongchou.projects.models import Project, Status

EDITABLE = ("name", "purpose", "deployment", "special_network_basis", "classified", "data_interfaces",
            "shared_resources", "migration_status", "migration_plan", "migration_due")
_SPACE = re.compile(r"\s+")


def overlap_text(name: str, purpose: str) -> str:
    """Name and purpose as one comparable text (ADR 0081): whitespace collapsed, Latin letters lower-cased."""
    return _SPACE.sub(" ", f"{name}：{purpose}").strip().lower()


def may_edit_system(user: Any, owner: Organisation) -> bool:
    """The owner unit keeps its own entries; the digital bureau keeps the whole ledger (Art. 35 统一调度)."""
    if user is None or user.organisation_id is None:
        return False
    if user.role in ("applicant", "unit_leader"):
        return user.organisation_id == owner.pk
    if user.role in ("bureau_reviewer", "bureau_lead"):
        org = user.organisation
        return org.level == "prefecture" or org.jurisdiction == owner.jurisdiction
    return False


def _default_migration_status(deployment: str, classified: bool, basis: str) -> str:
    if deployment == Deployment.GOV_CLOUD or classified or (deployment == Deployment.SPECIAL_NETWORK and basis):
        return MigrationStatus.NOT_REQUIRED
    return MigrationStatus.NOT_PLANNED


def _validate(values: dict[str, Any]) -> None:
    if "name" in values and not str(values["name"]).strip():
        raise DomainError("请填写系统名称。", code="invalid", field="name")
    if "purpose" in values and not str(values["purpose"]).strip():
        raise DomainError("请填写系统的主要功能与用途（用于查重比对）。", code="invalid", field="purpose")
    if "deployment" in values and values["deployment"] not in Deployment.values:
        raise DomainError("部署方式应为 政务云、自建机房、专网 或 无部署。", code="invalid", field="deployment")
    if "migration_status" in values and values["migration_status"] not in MigrationStatus.values:
        raise DomainError("上云状态无效。", code="invalid", field="migration_status")
    for key in ("data_interfaces", "shared_resources"):
        if key in values and not (isinstance(values[key], list) and all(isinstance(x, str) for x in values[key])):
            raise DomainError("应为文字列表。", code="invalid", field=key)


def system_register(*, actor: Any, owner: Organisation, name: str, purpose: str, deployment: str,
                    built_by: Project | None = None, **values: Any) -> InventorySystem:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise DomainError(f"未知字段：{'、'.join(sorted(unknown))}", code="invalid", field=sorted(unknown)[0])
    if not may_edit_system(actor, owner):
        raise DomainError("只有系统所属单位或数字化发展部门可以登记应用系统台账。", code="forbidden",
                          article="第三十五条", status=403)
    if built_by is not None and built_by.unit_id != owner.pk:
        raise DomainError("建设项目的建设单位与系统所属单位不一致。", code="invalid", field="built_by")
    fields = {"name": name, "purpose": purpose, "deployment": deployment, **values}
    _validate(fields)
    fields.setdefault("migration_status", _default_migration_status(
        deployment, bool(values.get("classified")), values.get("special_network_basis", "")))
    system = InventorySystem(owner=owner, built_by=built_by, updated_by=actor, **fields)
    system.name, system.purpose = system.name.strip(), system.purpose.strip()
    system.overlap_text = overlap_text(system.name, system.purpose)
    try:
        with transaction.atomic():
            system.save()
            audit_record(event="delivery.inventory.register", actor=actor, target=system,
                         data={"owner": owner.code, "deployment": deployment, "built_by": built_by.pk if built_by else None})
    except IntegrityError as exc:
        raise DomainError(f"本单位已登记名为「{name}」的系统。", code="duplicate", field="name") from exc
    return system


def system_update(*, system: InventorySystem, actor: Any, expected_version: int | None = None,
                  **values: Any) -> InventorySystem:
    unknown = set(values) - set(EDITABLE)
    if unknown:
        raise DomainError(f"未知字段：{'、'.join(sorted(unknown))}", code="invalid", field=sorted(unknown)[0])
    if not may_edit_system(actor, system.owner):
        raise DomainError("只有系统所属单位或数字化发展部门可以修改应用系统台账。", code="forbidden",
                          article="第三十五条", status=403)
    _validate(values)
    with transaction.atomic():
        locked = InventorySystem.objects.select_for_update().get(pk=system.pk)
        if expected_version is not None and locked.version != expected_version:
            raise Conflict("该系统台账已被他人修改，请刷新后重试。", code="stale_version")
        if locked.status == SystemStatus.RETIRED:
            raise Conflict("该系统已退役，台账不再修改。", code="retired")
        diff = changed_fields(locked, values)
        locked.overlap_text = overlap_text(locked.name, locked.purpose)
        locked.version += 1
        locked.updated_by = actor
        locked.save()
        audit_record(event="delivery.inventory.update", actor=actor, target=locked, data={"changed": diff})
        if locked.migration_project is not None:
            delivery_obligations_sync(project=locked.migration_project, actor=actor)
    return locked


def system_link_migration(*, system: InventorySystem, project: Project, actor: Any,
                          migration_due: date | None = None) -> InventorySystem:
    """A migration project (project_type migrate, Art. 5, 9) takes charge of moving this system to the cloud."""
    if not (is_unit_member(actor, project) or is_project_authority(actor, project)) or not may_edit_system(
            actor, system.owner):
        raise DomainError("只有系统所属单位或数字化发展部门可以关联迁移项目。", code="forbidden", status=403,
                          article="第五条")
    if project.project_type != "migrate":
        raise DomainError("只有迁移类项目可以关联为系统的上云迁移项目。", code="not_migration", field="project_id",
                          article="第五条、第九条")
    if project.unit_id != system.owner_id:
        raise DomainError("迁移项目的建设单位须为系统所属单位。", code="invalid", field="project_id")
    if system.deployment == Deployment.GOV_CLOUD:
        raise Conflict("该系统已部署在政务云，无需迁移。", code="already_on_cloud", article="第五条")
    in_progress = project.status in (Status.IMPLEMENTATION, Status.TRIAL_OPERATION, Status.ACCEPTANCE_APPLIED)
    values: dict[str, Any] = {
        "migration_project": project,
        "migration_status": MigrationStatus.IN_PROGRESS if in_progress else MigrationStatus.PLANNED,
    }
    if migration_due is not None:
        values["migration_due"] = migration_due
    with transaction.atomic():
        locked = InventorySystem.objects.select_for_update().get(pk=system.pk)
        diff = changed_fields(locked, values)
        locked.version += 1
        locked.updated_by = actor
        locked.save()
        audit_record(event="delivery.inventory.link_migration", actor=actor, target=locked,
                     data={"project": project.pk, "changed": diff})
        delivery_obligations_sync(project=project, actor=actor)
    return locked


def inventory_on_acceptance(*, project: Project, actor: Any, on: date) -> int:
    """Called inside acceptance: the systems this migration project moved are now on the government cloud."""
    moved = 0
    for system in InventorySystem.objects.select_for_update().filter(migration_project=project).order_by("pk"):
        before = [system.deployment, system.migration_status]
        system.deployment = Deployment.GOV_CLOUD
        system.migration_status = MigrationStatus.MIGRATED
        system.migration_plan = (system.migration_plan + f"\n{on} 随迁移项目 {project.code} 竣工验收完成上云。").strip()
        system.version += 1
        system.updated_by = actor
        system.save()
        audit_record(event="delivery.inventory.migrated", actor=actor, target=system,
                     data={"project": project.pk, "before": before, "after": ["gov_cloud", "migrated"]})
        moved += 1
    if moved:
        delivery_obligations_sync(project=project, actor=actor)
    return moved


def inventory_on_retire(*, project: Project, actor: Any, on: date) -> int:
    retired = 0
    for system in InventorySystem.objects.select_for_update().filter(
            built_by=project, status=SystemStatus.RUNNING).order_by("pk"):
        system.status, system.retired_on = SystemStatus.RETIRED, on
        system.version += 1
        system.updated_by = actor
        system.save()
        audit_record(event="delivery.inventory.retired", actor=actor, target=system,
                     data={"project": project.pk, "retired_on": on})
        retired += 1
    return retired
