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


ART30_2 = "第三十条第（二）项"


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


def om_request_facts(project: Project, *, amount: Decimal, data_sharing_done: bool, duplicate_data_collection: bool,
                     major_security_risk: bool, as_of: date | None = None,
                     supervision: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The unit's three answers can only add a reason, never take one away: a failed 密评 on record and every
    supervisory fact (`supervisory_facts`) win over what the unit declares."""
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
    for item in supervisory_facts(project) if supervision is None else supervision:
        facts[item["fact"]] = item["value"]
    # Where the system really runs today is the inventory's word, not the application's.
    system = (InventorySystem.objects.filter(built_by=project, status=SystemStatus.RUNNING).order_by("id").first()
              or InventorySystem.objects.filter(migration_project=project).order_by("id").first())
    if system is not None:
        facts["deployment"] = system.deployment
        facts["special_network_basis"] = system.special_network_basis or None
    if facts.get("as_of") and facts.get("application_date") and facts["as_of"] < facts["application_date"]:
        facts["as_of"] = facts["application_date"]
    return facts
