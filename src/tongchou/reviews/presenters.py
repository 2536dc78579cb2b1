"""Plain dicts of review objects for the API (and JSON-minded templates). Presentation only."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from tongchou.projects.models import ProjectAttachment
from tongchou.reviews.aspects import aspects_for, member_label
from tongchou.reviews.consolidation import missing_inputs
from tongchou.reviews.models import (
    ConsolidatedOpinion,
    Opinion,
    OpinionAttachment,
    OpinionTask,
    ReviewRound,
    SupplementAttachment,
    SupplementRequest,
    TaskStatus,
)
from tongchou.reviews.panel import round_panel_members
from tongchou.reviews.selectors import exception_document, round_columns


def _money(value: Any) -> str | None:
    return None if value is None else f"{value:.2f}"


def attachment_dict(row: OpinionAttachment | SupplementAttachment) -> dict[str, Any]:
    if isinstance(row, OpinionAttachment):
        download = f"/api/v1/reviews/tasks/{row.task_id}/attachments/{row.pk}"
    else:
        download = f"/api/v1/reviews/supplements/{row.supplement_id}/attachments/{row.pk}"
    return {"id": row.pk, "name": row.file.display_name, "content_type": row.file.content_type,
            "size": row.file.size, "sm3": row.file.sm3, "uploaded_by": str(row.uploaded_by),
            "uploaded_at": row.uploaded_at.isoformat(), "download": download}


def exception_document_dict(review_round: ReviewRound, document: ProjectAttachment | None = None
                            ) -> dict[str, Any] | None:
    """Art. 13's written consent, shown to the reviewers beside the exception decision (ADR 0196)."""
    document = document if document is not None else exception_document(review_round)
    if document is None:
        return None
    return {"id": document.pk, "file": str(document.file_id), "name": document.display_name,
            "content_type": document.content_type, "size": document.size, "sm3": document.sm3,
            "uploaded_by": str(document.uploaded_by), "uploaded_at": document.uploaded_at.isoformat(),
            "download": f"/api/v1/reviews/rounds/{review_round.pk}/exception-document"}


def opinion_dict(opinion: Opinion | None) -> dict[str, Any] | None:
    """A given opinion, with its (frozen) attachments: seen by everyone who sees the round."""
    if opinion is None:
        return None
    files = OpinionAttachment.objects.filter(task_id=opinion.task_id).select_related("file", "uploaded_by")
    return {
        "conclusion": opinion.conclusion, "conclusion_label": opinion.get_conclusion_display(),
        "comments": [{"aspect": code, "label": label, "text": opinion.comments.get(code, "")}
                     for code, label in aspects_for(opinion.member)],
        "cost_reduction": _money(opinion.cost_reduction), "reduction_reasons": opinion.reduction_reasons,
        "exception_decision": opinion.exception_decision or None, "exception_reason": opinion.exception_reason,
        "exception_document": ({"id": opinion.exception_document_id, "sm3": opinion.exception_document_sm3}
                               if opinion.exception_document_id else None),
        "author": str(opinion.author), "submitted_at": opinion.submitted_at.isoformat(),
        "attachments": [attachment_dict(a) for a in files],
    }


def supplement_dict(row: SupplementRequest, *, for_unit: bool = False) -> dict[str, Any]:
    """Files are shown once the answer is given, or to the answering unit itself (`for_unit`)."""
    files = (SupplementAttachment.objects.filter(supplement=row).select_related("file", "uploaded_by")
             if row.answered_at is not None or for_unit else SupplementAttachment.objects.none())
    return {"id": row.pk, "task": row.task_id, "member": row.task.member, "member_label": member_label(row.task.member),
            "project": row.task.round.project.code, "question": row.question,
            "requested_on": row.requested_on.isoformat(), "answer": row.answer or None,
            "answered_on": row.answered_on.isoformat() if row.answered_on else None,
            "paused_working_days": row.paused_working_days,
            "attachments": [attachment_dict(a) for a in files]}


def time_limit_dict(task: OpinionTask) -> dict[str, Any] | None:
    """The service level the task was given when it opened (None: opened before levels drove reviews)."""
    try:
        limit = task.time_limit
    except ObjectDoesNotExist:
        return None
    return {"level": limit.code, "article": limit.article, "period": limit.period, "unit": limit.unit,
            "unit_label": limit.get_unit_display(), "remind_before": limit.remind_before, "origin": limit.origin}


def task_dict(task: OpinionTask, *, today: date, opinion: Opinion | None = None, with_opinion: bool = True
              ) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": task.pk, "round": task.round_id, "project": {"id": task.round.project_id,
                                                         "code": task.round.project.code,
                                                         "name": task.round.project.name},
        "member": task.member, "member_label": member_label(task.member),
        "aspects": [{"code": c, "label": label} for c, label in aspects_for(task.member)],
        "reviewer_org": task.reviewer_org.name, "status": task.status, "status_label": task.get_status_display(),
        "due_date": task.due_date.isoformat(), "paused_working_days": task.paused_working_days,
        "overdue": task.status == TaskStatus.OPEN and task.due_date < today, "version": task.version,
        "time_limit": time_limit_dict(task),
    }
    if task.round.exception:
        body["exception_document"] = exception_document_dict(task.round)
    if with_opinion:
        body["opinion"] = opinion_dict(opinion)
    return body


def consolidated_dict(row: ConsolidatedOpinion | None) -> dict[str, Any] | None:
    if row is None:
        return None
    return {"id": row.pk, "status": row.status, "title": row.title, "addressee": row.addressee, "body": row.body,
            "conclusion": row.conclusion, "dissent_responses": row.dissent_responses, "version": row.version,
            "doc_number": row.doc_number, "issued_on": row.issued_on.isoformat() if row.issued_on else None,
            "docx_sm3": row.docx_sm3 or None}


def round_dict(review_round: ReviewRound, *, today: date, show_experts: bool = True) -> dict[str, Any]:
    columns = round_columns(review_round)
    consolidated = ConsolidatedOpinion.objects.filter(round=review_round).first()
    return {
        "id": review_round.pk, "number": review_round.number,
        "project": {"id": review_round.project_id, "code": review_round.project.code,
                    "name": review_round.project.name, "status": review_round.project.status},
        "review_path": review_round.review_path, "authority": review_round.authority.name,
        "status": review_round.status, "exception": review_round.exception,
        "exception_document": exception_document_dict(review_round),
        "tasks": [task_dict(c["task"], today=today, opinion=c["opinion"]) for c in columns],
        "experts": [{"name": e.expert_name, "organisation": e.expert_org, "category": e.category,
                     "conclusion": e.conclusion, "comments": e.comments, "source": e.source}
                    for e in review_round.expert_conclusions.all()] if show_experts else None,
        "panel": [{"member": m.pk, "expert_ref": m.expert.code, "category": m.category}
                  for m in round_panel_members(review_round)] if show_experts else None,
        "missing": missing_inputs(review_round),
        "consolidated": consolidated_dict(consolidated),
    }
