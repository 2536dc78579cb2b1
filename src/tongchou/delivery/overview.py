"""One project's delivery records as plain data (the API's and the page's view of the same thing)."""

from __future__ import annotations

from typing import Any

from tongchou.crypto.fields import mask_middle
from tongchou.delivery.facts import data_sharing_facts, deployment_facts, supervisory_facts
from tongchou.delivery.models import (
    Acceptance,
    Handover,
    Procurement,
    SecurityProfile,
    TrialRun,
)
from tongchou.delivery.rules.execution import overspend_warning
from tongchou.delivery.services.procurement import procurement_missing
from tongchou.delivery.services.retirement import handover_missing
from tongchou.projects.models import Project


def _d(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _money(value: Any) -> str | None:
    return None if value is None else str(value)


def plain_number(value: Any) -> str:
    """120.0000 → "120", 0.5000 → "0.5" (never "1.2E+2", which `normalize()` alone gives)."""
    return format(value.normalize(), "f")


def system_data(s: Any) -> dict[str, Any]:
    return {
        "id": s.id, "name": s.name, "purpose": s.purpose, "owner": s.owner.name, "owner_id": s.owner_id,
        "built_by": s.built_by_id, "deployment": s.deployment, "deployment_label": s.get_deployment_display(),
        "classified": s.classified, "data_interfaces": s.data_interfaces, "shared_resources": s.shared_resources,
        "migration_status": s.migration_status, "migration_status_label": s.get_migration_status_display(),
        "migration_plan": s.migration_plan, "migration_due": _d(s.migration_due),
        "migration_project": s.migration_project_id, "status": s.status, "retired_on": _d(s.retired_on),
        "overlap_text": s.overlap_text, "version": s.version,
    }


def om_request_data(r: Any) -> dict[str, Any]:
    return {
        "id": r.id, "year": r.year, "amount": _money(r.amount), "justification": r.justification,
        "eligible": r.eligible, "reasons": r.reasons, "cap_exceeded": r.cap_exceeded, "status": r.status,
        "status_label": r.get_status_display(), "granted_amount": _money(r.granted_amount),
        "decided_on": _d(r.decided_on), "decision_note": r.decision_note,
        "findings": r.assessment.get("findings", []), "receipt": r.assessment.get("receipt"),
        "supervision": r.supervision,
        "basis": basis_lines(r.supervision),
    }


def basis_lines(basis: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The Art. 30 basis as read: one line per record and text. One record may decide several facts (the
    inventory row gives both `deployment` and `special_network_basis`, with the same text), which the stored
    basis keeps apart for the engine; a reader needs it once."""
    seen: set[tuple[str, str]] = set()
    lines = []
    for item in basis:
        key = (item.get("article", ""), item.get("source", ""))
        if key not in seen:
            seen.add(key)
            lines.append(item)
    return lines


def report_data(r: Any) -> dict[str, Any]:
    return {
        "id": r.id, "kind": r.kind, "year": r.year, "period": r.period, "due_on": _d(r.due_on),
        "submitted_on": _d(r.submitted_on), "progress_percent": _money(r.progress_percent),
        "budget": _money(r.budget), "spent": _money(r.spent),
        "overspend_warning": overspend_warning(r.budget, r.spent),
        "scores": None if r.score_total is None else {
            "budget": str(r.score_budget), "outputs": str(r.score_outputs), "benefits": str(r.score_benefits),
            "satisfaction": str(r.score_satisfaction), "total": str(r.score_total)},
        "grade": r.grade,
        "review": {"status": r.review_status, "status_label": r.get_review_status_display() if r.review_status else "",
                   "note": r.review_note, "reviewed_on": _d(r.reviewed_on), "times_returned": r.times_returned},
    }


def delivery_overview(project: Project) -> dict[str, Any]:
    procurement = Procurement.objects.filter(project=project).first()
    security = SecurityProfile.objects.filter(project=project).first()
    trial = TrialRun.objects.filter(project=project).first()
    acceptance = Acceptance.objects.filter(project=project).first()
    handover = Handover.objects.filter(project=project).first()
    return {
        "project": {"id": project.pk, "code": project.code, "name": project.name, "status": project.status,
                    "status_label": project.get_status_display(), "version": project.version},
        "procurement": None if procurement is None else {
            "method": procurement.method, "method_label": procurement.get_method_display(),
            "start_date": _d(procurement.start_date),
            "tender_free_om_months": procurement.tender_free_om_months,
            "tender_annual_om_fee": _money(procurement.tender_annual_om_fee),
            "tender_ip_to_government": procurement.tender_ip_to_government,
            "implementing_body": procurement.implementing_body,
            "responsible_person": procurement.responsible_person,
            "responsible_phone": mask_middle(procurement.responsible_phone or ""),
        },
        "procurement_missing": procurement_missing(procurement),
        "contracts": [{"id": c.id, "kind": c.kind, "vendor": c.vendor, "amount": _money(c.amount),
                       "signed_on": _d(c.signed_on), "construction_period_months": c.construction_period_months,
                       "free_om_months": c.free_om_months, "term_months": c.term_months, "findings": c.findings}
                      for c in project.contracts.all()],
        "milestones": [{"id": m.id, "name": m.name, "planned_on": _d(m.planned_on), "done_on": _d(m.done_on)}
                       for m in project.milestones.all()],
        "reports": [{"id": r.id, "kind": r.kind, "reported_on": _d(r.reported_on), "author": r.author,
                     "percent_complete": r.percent_complete, "summary": r.summary, "issues": r.issues}
                    for r in project.implementation_reports.all()],
        "security": None if security is None else {
            "has_crypto_plan": bool(security.crypto_plan.strip()),
            "crypto_plan_approved_on": _d(security.crypto_plan_approved_on), "grade": security.grade,
            "go_live_on": _d(security.go_live_on), "filed_on": _d(security.filed_on),
            "filing_number": security.filing_number,
        },
        "crypto_assessments": [{"id": a.id, "assessed_on": _d(a.assessed_on), "assessor": a.assessor,
                                "result": a.result, "next_due": _d(a.next_due), "review": a.review or None,
                                "review_note": a.review_note, "reviewed_on": _d(a.reviewed_on)}
                               for a in project.crypto_assessments.all()],
        "grade_assessments": [{"id": a.id, "assessed_on": _d(a.assessed_on), "assessor": a.assessor,
                               "result": a.result, "next_due": _d(a.next_due)} for a in project.grade_assessments.all()],
        "trial": None if trial is None else {"started_on": _d(trial.started_on), "ended_on": _d(trial.ended_on),
                                             "normal": trial.normal, "summary": trial.summary},
        "acceptance": None if acceptance is None else {
            "applied_on": _d(acceptance.applied_on), "convened_on": _d(acceptance.convened_on),
            "members": [{"seat": m.seat, "seat_label": m.get_seat_display(), "name": m.name,
                         "organisation": str(m.organisation) if m.organisation else None}
                        for m in acceptance.members.select_related("organisation")],
            "concluded_on": _d(acceptance.concluded_on), "passed": acceptance.passed,
            "conclusion": acceptance.conclusion, "issues": acceptance.issues,
        },
        "indicators": [{"id": i.id, "dimension": i.dimension, "dimension_label": i.get_dimension_display(),
                        "name": i.name, "operator": i.operator, "operator_label": i.get_operator_display(),
                        "target": plain_number(i.target), "unit": i.unit}
                       for i in project.performance_indicators.all()],
        "performance_reports": [report_data(r) for r in project.performance_reports.all()],
        "om_requests": [om_request_data(r) for r in project.om_requests.all()],
        "systems": [system_data(s) for s in project.built_systems.select_related("owner")]
                   + [system_data(s) for s in project.migrated_systems.select_related("owner")],
        "handover": None if handover is None else {
            "data_handed_over": handover.data_handed_over, "documents_handed_over": handover.documents_handed_over,
            "receiver": str(handover.receiver) if handover.receiver else None,
            "handed_over_on": _d(handover.handed_over_on)},
        "handover_missing": handover_missing(handover),
        "supervision": supervision_data(project),
        "data_sharing": data_sharing_data(project),
    }


def inspection_data(i: Any) -> dict[str, Any]:
    return {"id": i.id, "kind": i.kind, "kind_label": i.get_kind_display(), "supervisor": i.supervisor.name,
            "inspected_on": _d(i.inspected_on), "scope": i.scope, "findings": i.findings, "adverse": i.adverse,
            "adverse_label": i.adverse_label, "resolved_on": _d(i.resolved_on), "resolution": i.resolution}


def rectification_data(o: Any) -> dict[str, Any]:
    return {"id": o.id, "issuer": o.issuer.name, "issuer_id": o.issuer_id, "inspection": o.inspection_id,
            "issued_on": _d(o.issued_on), "due_on": _d(o.due_on), "requirements": o.requirements,
            "status": o.status, "status_label": o.get_status_display(), "report": o.report,
            "reported_on": _d(o.reported_on), "returned_count": o.returned_count, "verified_on": _d(o.verified_on),
            "verification_note": o.verification_note}


def supervision_data(project: Project) -> dict[str, Any]:
    """The supervisors' records on the project and what they establish for Art. 30(二) now (ADR 0180)."""
    return {
        "inspections": [inspection_data(i) for i in project.inspections.select_related("supervisor")],
        "rectifications": [rectification_data(o) for o in project.rectification_orders.select_related("issuer")],
        "facts": supervisory_facts(project),
    }


def attestation_data(a: Any) -> dict[str, Any]:
    return {"id": a.id, "system": a.system_id, "system_name": a.system.name if a.system else None,
            "attested_on": _d(a.attested_on), "shared_as_required": a.shared_as_required, "catalogue": a.catalogue,
            "duplicate_collection": a.duplicate_collection, "evidence": a.evidence, "adverse": a.adverse,
            "adverse_label": a.adverse_label, "attested_by": a.attested_by.name}


def data_sharing_data(project: Project) -> dict[str, Any]:
    """The bureau's data-sharing attestations (Art. 30(一)) and the inventory's deployment (Art. 30(三)), with
    what they establish for an O&M request now (ADR 0210)."""
    rows = project.data_sharing_attestations.select_related("attested_by", "system").order_by("-attested_on", "-id")
    return {"attestations": [attestation_data(a) for a in rows],
            "facts": data_sharing_facts(project), "deployment": deployment_facts(project)}
