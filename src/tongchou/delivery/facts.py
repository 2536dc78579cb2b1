"""What delivery knows, in the words of the assessment contract (`spec/assessment.md`): overlaid on the
register's facts so the policy engine judges Art. 23, 24, 26 and 30 on the records kept here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tongchou.accounts.models import MemberRole
from tongchou.delivery.models import (
    Acceptance,
    Contract,
    CryptoAssessment,
    CryptoReview,
    DataSharingAttestation,
    InspectionKind,
    InventorySystem,
    Procurement,
    RectificationOrder,
    RectificationStatus,
    SupervisoryInspection,
    SystemStatus,
)
from tongchou.delivery.services.security import latest_crypto_failed
from tongchou.projects.facts import project_facts
from tongchou.projects.models import Project


def _money(value: Decimal | int | None) -> int | float | None:
    if value is None:
        return None
    value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def delivery_facts(project: Project) -> dict[str, Any]:
    """procurement_start_date (stops the Art. 26 clock), the main contract's months, accepted."""
    facts: dict[str, Any] = {}
    procurement = Procurement.objects.filter(project=project).first()
    if procurement and procurement.start_date:
        facts["procurement_start_date"] = procurement.start_date.isoformat()
    contract = Contract.objects.filter(project=project).order_by("-amount", "id").first()
    if contract is not None:
        facts["construction_period_months"] = contract.construction_period_months
        facts["free_om_months"] = contract.free_om_months
        facts["contract_term_months"] = contract.term_months
    acceptance = Acceptance.objects.filter(project=project).first()
    facts["accepted"] = bool(acceptance and acceptance.passed)
    return facts


ART30_1 = "第三十条第（一）项"
ART30_2 = "第三十条第（二）项"
ART30_3 = "第三十条第（三）项"
# The value of each Art. 30 fact that lets the request through: a record saying so is shown as the basis but
# never takes away a reason the unit itself declared; a record saying the opposite decides the fact.
FAVOURABLE = {"data_sharing_done": True, "duplicate_data_collection": False, "crypto_compliant": True,
              "major_security_risk": False}


def supervisory_facts(project: Project) -> list[dict[str, Any]]:
    """What the supervisors' records say for Art. 30(二), each with its source (ADR 0180): an open adverse
    inspection (public security: 存在重大安全隐患 → `major_security_risk`; crypto bureau: 密码应用不合规 →
    not `crypto_compliant`), a rectification order not yet accepted (不符合密码应用和网络安全要求 → not
    `crypto_compliant`), the crypto bureau disputing the latest 密评 (not `crypto_compliant`). Only ever
    the unfavourable value: a supervisor's silence leaves the other records and the unit's answer to speak."""
    out: list[dict[str, Any]] = []
    for i in SupervisoryInspection.objects.filter(project=project, adverse=True, resolved_on__isnull=True
                                                  ).select_related("supervisor").order_by("inspected_on", "id"):
        risk = i.kind == InspectionKind.RISK
        out.append({"fact": "major_security_risk" if risk else "crypto_compliant", "value": risk,
                    "source": f"{i.supervisor.name}{i.get_kind_display()}（{i.inspected_on:%Y-%m-%d}）："
                              f"{i.adverse_label}，尚未消除", "record": f"inspection:{i.pk}", "article": ART30_2})
    for o in RectificationOrder.objects.filter(project=project).exclude(status=RectificationStatus.CLOSED
                                                                       ).select_related("issuer").order_by("pk"):
        out.append({"fact": "crypto_compliant", "value": False,
                    "source": f"{o.issuer.name}整改通知（{o.issued_on:%Y-%m-%d}）尚未验收整改：不符合密码应用和网络安全要求",
                    "record": f"rectification:{o.pk}", "article": ART30_2})
    last = CryptoAssessment.objects.filter(project=project).order_by("-assessed_on", "-id").first()
    if last is not None and last.review == CryptoReview.DISPUTED:
        out.append({"fact": "crypto_compliant", "value": False,
                    "source": f"{MemberRole.CRYPTO_BUREAU.label}对 {last.assessed_on:%Y-%m-%d} 密评结论有异议：{last.review_note}",
                    "record": f"crypto_assessment:{last.pk}", "article": ART30_2})
    return out


def data_sharing_facts(project: Project) -> list[dict[str, Any]]:
    """What the digital development bureau attests for Art. 30(一) (ADR 0210): for the project and each of its
    systems, the latest attestation is the bureau's current word. An adverse one sets `data_sharing_done` false
    and/or `duplicate_data_collection` true; a favourable one is kept as the basis (both facts, favourable)."""
    latest: dict[int | None, DataSharingAttestation] = {}
    for a in DataSharingAttestation.objects.filter(project=project).select_related("attested_by", "system"
                                                                                   ).order_by("attested_on", "id"):
        latest[a.system_id] = a
    out: list[dict[str, Any]] = []
    for a in sorted(latest.values(), key=lambda x: (x.attested_on, x.pk)):
        where = f"《{a.system.name}》" if a.system else ""
        head = f"{a.attested_by.name}数据共享认定{where}（{a.attested_on:%Y-%m-%d}）"
        shared = f"：已按要求共享（{a.catalogue}）" if a.shared_as_required else f"：未按要求共享数据资源（{a.evidence}）"
        out.append({"fact": "data_sharing_done", "value": a.shared_as_required, "source": head + shared,
                    "record": f"data_sharing:{a.pk}", "article": ART30_1})
        dup = f"：存在重复采集数据（{a.evidence}）" if a.duplicate_collection else "：未发现重复采集数据"
        out.append({"fact": "duplicate_data_collection", "value": a.duplicate_collection, "source": head + dup,
                    "record": f"data_sharing:{a.pk}", "article": ART30_1})
    return out


def _inventory_system(project: Project) -> InventorySystem | None:
    return (InventorySystem.objects.filter(built_by=project, status=SystemStatus.RUNNING).order_by("id").first()
            or InventorySystem.objects.filter(migration_project=project).order_by("id").first())


def deployment_facts(project: Project) -> list[dict[str, Any]]:
    """Where the system really runs is the inventory's word (部署方式、上云状态), not the application's: Art.
    30(三) is judged on the inventory row when one is recorded, else on the application (ADR 0210)."""
    system = _inventory_system(project)
    if system is None:
        return []
    where = system.get_deployment_display()
    if system.special_network_basis:
        where += f"（依据：{system.special_network_basis}）"
    source = f"应用系统台账《{system.name}》：部署方式 {where}，上云状态 {system.get_migration_status_display()}"
    return [{"fact": "deployment", "value": system.deployment, "source": source,
             "record": f"inventory:{system.pk}", "article": ART30_3},
            {"fact": "special_network_basis", "value": system.special_network_basis or None, "source": source,
             "record": f"inventory:{system.pk}", "article": ART30_3}]


def om_basis_facts(project: Project) -> list[dict[str, Any]]:
    """Every record that speaks to Art. 30 now, in the order (一)(二)(三): kept with the O&M request."""
    return data_sharing_facts(project) + supervisory_facts(project) + deployment_facts(project)


def om_request_facts(project: Project, *, amount: Decimal, data_sharing_done: bool, duplicate_data_collection: bool,
                     major_security_risk: bool, as_of: date | None = None,
                     supervision: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The unit's three answers can only add a reason, never take one away: a failed 密评 on record, every
    supervisory fact (`supervisory_facts`) and the bureau's adverse data-sharing attestation
    (`data_sharing_facts`) win over what the unit declares; the inventory decides where the system runs."""
    facts = project_facts(project)
    facts.update(delivery_facts(project))
    facts["as_of"] = (as_of or timezone.localdate()).isoformat()
    facts["requests_om_funding"] = True
    facts["annual_om_cost"] = _money(amount)
    facts["data_sharing_done"] = bool(data_sharing_done) and facts.get("data_sharing_done", True)
    facts["duplicate_data_collection"] = bool(duplicate_data_collection) or facts.get("duplicate_data_collection", False)
    facts["major_security_risk"] = bool(major_security_risk) or facts.get("major_security_risk", False)
    if latest_crypto_failed(project):
        facts["crypto_compliant"] = False
    basis = om_basis_facts(project) if supervision is None else supervision
    if not any(item["fact"] == "deployment" for item in basis):
        basis = basis + deployment_facts(project)
    for item in basis:
        fact, value = item["fact"], item["value"]
        if fact in FAVOURABLE and value == FAVOURABLE[fact]:
            continue  # the basis for the favourable value: never takes away the unit's own reason
        facts[fact] = value
    if facts.get("as_of") and facts.get("application_date") and facts["as_of"] < facts["application_date"]:
        facts["as_of"] = facts["application_date"]
    return facts
