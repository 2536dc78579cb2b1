"""A project's facts in the form of the assessment contract (`spec/assessment.md`, "Input")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from tongchou.policy.vocabulary import MATERIALS as ENGINE_MATERIALS
from tongchou.projects.models import MaterialKind, Project


def _money(value: Decimal | int | float | None) -> float | int | None:
    """An amount as the engine takes it. A draft's live assessment may hand over a form's int or float
    rather than the model's Decimal (a 500 seen in CI while a browser test typed the cost)."""
    if value is None:
        return None
    if not isinstance(value, Decimal):
        value = Decimal(str(value))
    return int(value) if value == value.to_integral_value() else float(value)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


# Art. 10's order; built once (iterating the enum per project cost more than the rest of the facts).
_MATERIAL_ORDER = {k.value: i for i, k in enumerate(MaterialKind)}
_MATERIAL_SET = frozenset(_MATERIAL_ORDER)
# What the engine knows by name (`spec/assessment.md`); the Art. 13 consent is given to it as
# `exception.superior_consent` instead (ADR 0195).
_ENGINE_SET = _MATERIAL_SET & frozenset(ENGINE_MATERIALS)
CONSENT = MaterialKind.SUPERIOR_CONSENT.value


def materials_present(
    project: Project, *, texts: dict[str, str] | None = None, attached: set[str] | None = None
) -> list[str]:
    """The Art. 10 materials present, as the engine names them."""
    return [m for m in _present(project, texts=texts, attached=attached) if m in _ENGINE_SET]


def consent_filed(project: Project, *, attached: set[str] | None = None) -> bool:
    """Art. 13: the written consent of the next-higher department is filed as an attachment."""
    if attached is not None:
        return CONSENT in attached
    return bool(project.pk) and project.attachments.filter(material=CONSENT).exists()


def consent_missing(facts: dict[str, Any]) -> bool:
    """The application claims the Art. 13 exception (it names a legal basis) without the consent document."""
    exception = facts.get("exception") or {}
    return bool(str(exception.get("legal_basis") or "").strip()) and exception.get("superior_consent") is not True


def _present(
    project: Project, *, texts: dict[str, str] | None = None, attached: set[str] | None = None
) -> list[str]:
    """A material is present when its section has text or an attachment is filed under it.
    `texts` stands in for the stored sections while an applicant is still typing; `texts` and
    `attached` (the materials with an attachment) let a bulk reader fetch both once for many projects."""
    if not texts and texts is not None and not attached and attached is not None:
        return []  # a bulk reader's project with no material at all: the common case at 100,000
    if texts is None:
        texts = {m.kind: m.text for m in project.materials.all()} if project.pk else {}
    present = {kind for kind, text in texts.items() if (text or "").strip() and kind != CONSENT}  # a file only
    if attached is not None:
        present |= attached
    elif project.pk:
        present |= set(project.attachments.values_list("material", flat=True))
    return sorted(present & _MATERIAL_SET, key=_MATERIAL_ORDER.__getitem__)


def project_facts(
    project: Project, *, as_of: dt.date | None = None, texts: dict[str, str] | None = None,
    attached: set[str] | None = None,
) -> dict[str, Any]:
    """The contract's facts dict. A draft without an application date speaks for today."""
    # The clock is read only when needed (a bulk reader passing `as_of` reads it once, not per project).
    today = as_of if as_of is not None and project.application_date else timezone.localdate()
    application_date = project.application_date or today
    exception = None
    present = _present(project, texts=texts, attached=attached)
    # Art. 13's consent is true exactly when its document is filed (ADR 0195), whatever the column says.
    consent = CONSENT in present
    if project.exception_legal_basis.strip() or consent:
        exception = {
            "legal_basis": project.exception_legal_basis.strip(),
            "superior_consent": consent,
        }
    return {
        "name": project.name,
        "unit": project.unit.name,
        "level": project.level,
        "application_date": application_date.isoformat(),
        "as_of": (as_of or max(today, application_date)).isoformat(),
        "funding_source": project.funding_source,
        "classified": project.classified,
        "emergency": project.emergency,
        "project_type": project.project_type,
        "category": project.category,
        "construction_cost": _money(project.construction_cost),
        "annual_om_cost": _money(project.annual_om_cost),
        "deployment": project.deployment,
        "special_network_basis": project.special_network_basis.strip() or None,
        "builds_standalone_infrastructure": project.builds_standalone_infrastructure,
        "buys_server_hardware": project.buys_server_hardware,
        "leases_internet_line": project.leases_internet_line,
        "leases_unintegrated_private_network": project.leases_unintegrated_private_network,
        "key_components_compliant": project.key_components_compliant,
        "crypto_compliant": project.crypto_compliant,
        "major_security_risk": project.major_security_risk,
        "obsolete_technology": project.obsolete_technology,
        "goals_clear": project.goals_clear,
        "internal_integration_done": project.internal_integration_done,
        "data_sharing_done": project.data_sharing_done,
        "duplicate_data_collection": project.duplicate_data_collection,
        "original_project_accepted": project.original_project_accepted,
        "exception": exception,
        "provides_data_interface": project.provides_data_interface,
        "involves_work_secrets": project.involves_work_secrets,
        "priority_basis": list(project.priority_basis or []),
        "materials": [m for m in present if m in _ENGINE_SET],
        "approval_date": _iso(project.approval_date),
        "procurement_start_date": _iso(project.procurement_start_date),
        "work_start_date": _iso(project.work_start_date),
        "construction_period_months": project.construction_period_months,
        "free_om_months": project.free_om_months,
        "contract_term_months": project.contract_term_months,
        "accepted": project.accepted,
        "requests_om_funding": project.requests_om_funding,
    }
