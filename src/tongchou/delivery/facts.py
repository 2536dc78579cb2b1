"""What delivery knows, in the words of the assessment contract (`spec/assessment.md`): overlaid on the
register's facts so the policy engine judges Art. 23, 24, 26 and 30 on the records kept here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tongchou.delivery.models import Acceptance, Contract, InventorySystem, Procurement, SystemStatus
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


def om_request_facts(project: Project, *, amount: Decimal, data_sharing_done: bool, duplicate_data_collection: bool,
                     major_security_risk: bool, as_of: date | None = None) -> dict[str, Any]:
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
    # Where the system really runs today is the inventory's word, not the application's.
    system = (InventorySystem.objects.filter(built_by=project, status=SystemStatus.RUNNING).order_by("id").first()
              or InventorySystem.objects.filter(migration_project=project).order_by("id").first())
    if system is not None:
        facts["deployment"] = system.deployment
        facts["special_network_basis"] = system.special_network_basis or None
    if facts.get("as_of") and facts.get("application_date") and facts["as_of"] < facts["application_date"]:
        facts["as_of"] = facts["application_date"]
    return facts
