"""/api/v1/reviews/: routing, the review desk, opinions, 补正, expert conclusions, the consolidated
opinion and its .docx, 立项批复, budget and filing. Thin: every write is a reviews service."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, Literal
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from ninja import File, Router, Schema, Status, UploadedFile
from ninja.decorators import decorate_view
from pydantic import Field

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.api.idempotency import idempotent
from tongchou.core_errors import NotFound
from tongchou.documents.services import stored_file_read
from tongchou.documents.storage import file_response
from tongchou.reviews import approvals, consolidation, factfix, opinions, panel, routing
from tongchou.reviews.deadlines import project_deadlines
from tongchou.reviews.models import ConsolidatedOpinion
from tongchou.reviews.presenters import (
    attachment_dict,
    consolidated_dict,
    round_dict,
    supplement_dict,
    task_dict,
)
from tongchou.reviews.queues import work_queue
from tongchou.reviews.selectors import (
    authority_rounds,
    desk_tasks,
    exception_document_for,
    issued_opinion_for,
    opinion_attachment_for,
    opinion_attachments_visible,
    panel_seats_for,
    project_for,
    round_for,
    round_for_expert,
    supplement_attachment_for,
    supplement_attachments_visible,
    supplement_for,
    supplements_for_unit,
    task_for,
)

router = Router(tags=["联合会审"])

ConclusionIn = Literal["agree", "agree_with_changes", "disagree"]


class ExceptionIn(Schema):
    legal_basis: str = ""
    superior_consent: bool = False
    consent_document: str = ""


class RouteIn(Schema):
    """Without `assessment`, the one the register stored at submission decides (the normal case)."""

    assessment: dict[str, Any] | None = None
    exception: ExceptionIn | None = None


class OpinionIn(Schema):
    conclusion: ConclusionIn
    comments: dict[str, str]
    cost_reduction: Decimal | None = Field(default=None, ge=0, max_digits=14, decimal_places=2)
    reduction_reasons: str = ""
    exception_decision: Literal["", "accepted", "refused"] = ""
    exception_reason: str = ""


class FactCorrectionIn(Schema):
    """`changes`: Art. 12 fact → corrected value (e.g. {"crypto_compliant": false}); `reason` is required."""

    changes: dict[str, Any] = Field(default_factory=dict)
    reason: str = ""


class SupplementIn(Schema):
    question: str = Field(min_length=1, max_length=4000)


class AnswerIn(Schema):
    answer: str = Field(min_length=1, max_length=8000)


class ExpertIn(Schema):
    expert_name: str = Field(min_length=1, max_length=64)
    expert_org: str = Field(default="", max_length=128)
    category: str = Field(default="", max_length=64)
    expert_ref: str = Field(default="", max_length=32)
    conclusion: ConclusionIn
    comments: str = Field(min_length=1, max_length=8000)


class ConsolidationIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field(min_length=1, max_length=50000)
    conclusion: ConclusionIn
    addressee: str | None = Field(default=None, max_length=128)
    dissent_responses: dict[str, str] = {}
    version: int | None = None


class CancelIn(Schema):
    reason: str = Field(min_length=1, max_length=2000)


class IssueIn(Schema):
    version: int | None = None


class ApprovalIn(Schema):
    doc_number: str = Field(min_length=1, max_length=64)
    approval_date: date
    approved_amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)


class BudgetIn(Schema):
    year: int = Field(ge=2000, le=2100)
    amount: Decimal = Field(gt=0, max_digits=14, decimal_places=2)
    source: Literal["prefecture_fiscal", "superior_special", "xinjiang_aid", "self_raised"]


def _consolidated(request: AuthenticatedHttpRequest, round_id: int) -> ConsolidatedOpinion:
    review_round = round_for(request.user, round_id)
    row = ConsolidatedOpinion.objects.filter(round=review_round).first()
    if row is None:
        raise NotFound("该审查轮次尚未起草审查意见。")
    return row


@router.post("/projects/{project_id}/route", summary="受理并按评估结果分办审查")
def route_project(request: AuthenticatedHttpRequest, project_id: int, payload: RouteIn) -> dict[str, Any]:
    project = project_for(request.user, project_id)
    exception = payload.exception.dict() if payload.exception else None
    review_round = routing.review_route(project=project, assessment=payload.assessment, actor=request.user,
                                        exception=exception)
    project.refresh_from_db()
    return {"project": project.pk, "status": project.status, "review_path": project.routing.review_path,
            "round": round_dict(review_round, today=timezone.localdate()) if review_round else None}


@router.get("/desk", summary="审查工作台：我的待办（逾期在前）")
def desk(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "tasks": [task_dict(r["task"], today=today, with_opinion=False) for r in desk_tasks(request.user, today=today)],
        "rounds": [{"id": r.pk, "project": r.project.code, "name": r.project.name, "number": r.number}
                   for r in authority_rounds(request.user)],
        "supplements": [supplement_dict(s, for_unit=True) for s in supplements_for_unit(request.user)],
    }


@router.get("/queue", summary="待我办理：待立项批复、待安排预算、待受理验收申请、待审核运维经费（等待最久的在前）")
def queue(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    return {"items": [
        {"queue": i.queue, "label": i.label, "project": i.project.pk, "code": i.project.code, "name": i.project.name,
         "unit": i.project.unit.name, "since": i.since.isoformat(), "link": i.link, "article": i.article,
         "note": i.note}
        for i in work_queue(request.user)
    ]}


@router.get("/rounds/{round_id}", summary="审查轮次：各方意见并列")
def round_detail(request: AuthenticatedHttpRequest, round_id: int) -> dict[str, Any]:
    return round_dict(round_for(request.user, round_id), today=timezone.localdate())


@router.get("/rounds/{round_id}/exception-document", summary="下载第十三条例外的上一级业务主管部门书面同意文件")
def download_exception_document(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    row = exception_document_for(request.user, round_id)
    data = stored_file_read(stored=row.file, actor=request.user)
    return file_response(data, filename=row.file.display_name, content_type=row.file.content_type)


@router.post("/tasks/{task_id}/opinion", summary="出具成员单位意见")
@decorate_view(idempotent)
def submit_opinion(request: AuthenticatedHttpRequest, task_id: int, payload: OpinionIn) -> dict[str, Any]:
    task = task_for(request.user, task_id)
    opinions.opinion_submit(task=task, actor=request.user, **payload.dict())
    task.refresh_from_db()
    return task_dict(task, today=timezone.localdate(), opinion=task.opinion)


@router.post("/tasks/{task_id}/supplements", summary="提出补正要求（计时暂停）")
def ask_supplement(request: AuthenticatedHttpRequest, task_id: int, payload: SupplementIn) -> dict[str, Any]:
    task = task_for(request.user, task_id)
    row = opinions.supplement_request(task=task, actor=request.user, question=payload.question)
    return supplement_dict(row)


@router.post("/supplements/{supplement_id}/answer", summary="项目建设单位答复补正")
def answer_supplement(request: AuthenticatedHttpRequest, supplement_id: int, payload: AnswerIn) -> dict[str, Any]:
    row = supplement_for(request.user, supplement_id)
    return supplement_dict(opinions.supplement_answer(request=row, actor=request.user, answer=payload.answer),
                           for_unit=True)


# ---------------------------------------------------------------- attachments (ADR 0130)

@router.get("/tasks/{task_id}/attachments", summary="成员单位意见的附件")
def list_opinion_attachments(request: AuthenticatedHttpRequest, task_id: int) -> list[dict[str, Any]]:
    task = task_for(request.user, task_id)
    return [attachment_dict(a) for a in opinion_attachments_visible(request.user, task)]


@router.post("/tasks/{task_id}/attachments", summary="为成员单位意见上传附件（PDF/DOCX/XLSX/PNG/JPEG）",
             response={201: dict})
@decorate_view(idempotent)
def upload_opinion_attachment(request: AuthenticatedHttpRequest, task_id: int, file: UploadedFile = File(...)) -> Status:  # noqa: B008
    task = task_for(request.user, task_id)
    row = opinions.opinion_attachment_add(task=task, actor=request.user, filename=file.name or "", data=file)
    return Status(201, attachment_dict(row))


@router.get("/tasks/{task_id}/attachments/{opinion_attachment_id}", summary="下载成员单位意见的附件")
def download_opinion_attachment(request: AuthenticatedHttpRequest, task_id: int, opinion_attachment_id: int) -> HttpResponse:
    row = opinion_attachment_for(request.user, task_id, opinion_attachment_id)
    data = stored_file_read(stored=row.file, actor=request.user)
    return file_response(data, filename=row.file.display_name, content_type=row.file.content_type)


@router.delete("/tasks/{task_id}/attachments/{opinion_attachment_id}", summary="删除尚未随意见出具的附件",
               response={204: None})
def remove_opinion_attachment(request: AuthenticatedHttpRequest, task_id: int, opinion_attachment_id: int) -> Status:
    row = opinion_attachment_for(request.user, task_id, opinion_attachment_id)
    opinions.opinion_attachment_remove(attachment=row, actor=request.user)
    return Status(204, None)


@router.get("/supplements/{supplement_id}/attachments", summary="补正答复的附件")
def list_supplement_attachments(request: AuthenticatedHttpRequest, supplement_id: int) -> list[dict[str, Any]]:
    row = supplement_for(request.user, supplement_id)
    return [attachment_dict(a) for a in supplement_attachments_visible(request.user, row)]


@router.post("/supplements/{supplement_id}/attachments", summary="为补正答复上传附件（PDF/DOCX/XLSX/PNG/JPEG）",
             response={201: dict})
@decorate_view(idempotent)
def upload_supplement_attachment(request: AuthenticatedHttpRequest, supplement_id: int, file: UploadedFile = File(...),  # noqa: B008
                                 ) -> Status:
    row = supplement_for(request.user, supplement_id)
    attachment = opinions.supplement_attachment_add(request=row, actor=request.user, filename=file.name or "",
                                                    data=file)
    return Status(201, attachment_dict(attachment))


@router.get("/supplements/{supplement_id}/attachments/{supplement_attachment_id}", summary="下载补正答复的附件")
def download_supplement_attachment(request: AuthenticatedHttpRequest, supplement_id: int, supplement_attachment_id: int
                                   ) -> HttpResponse:
    row = supplement_attachment_for(request.user, supplement_id, supplement_attachment_id)
    data = stored_file_read(stored=row.file, actor=request.user)
    return file_response(data, filename=row.file.display_name, content_type=row.file.content_type)


@router.delete("/supplements/{supplement_id}/attachments/{supplement_attachment_id}",
               summary="删除尚未随答复提交的附件", response={204: None})
def remove_supplement_attachment(request: AuthenticatedHttpRequest, supplement_id: int, supplement_attachment_id: int
                                 ) -> Status:
    row = supplement_attachment_for(request.user, supplement_id, supplement_attachment_id)
    opinions.supplement_attachment_remove(attachment=row, actor=request.user)
    return Status(204, None)


@router.post("/rounds/{round_id}/cancel", summary="撤销进行中的审查轮次")
def cancel_round(request: AuthenticatedHttpRequest, round_id: int, payload: CancelIn) -> dict[str, Any]:
    review_round = routing.review_round_cancel(review_round=round_for(request.user, round_id), actor=request.user,
                                               reason=payload.reason)
    return {"id": review_round.pk, "status": review_round.status}


@router.post("/rounds/{round_id}/experts", summary="登记专家评审意见")
def record_expert(request: AuthenticatedHttpRequest, round_id: int, payload: ExpertIn) -> dict[str, Any]:
    review_round = round_for(request.user, round_id)
    row = panel.expert_conclusion_record(review_round=review_round, actor=request.user, **payload.dict())
    return {"id": row.pk, "expert_name": row.expert_name, "conclusion": row.conclusion}


class PanelConclusionIn(Schema):
    conclusion: ConclusionIn
    comments: str = Field(min_length=1, max_length=8000)


@router.get("/panel", summary="专家：我参加的联合会审")
def my_panel(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [{"round": s["round"].pk, "member": s["member"].pk, "project": s["round"].project.code,
             "name": s["round"].project.name, "category": s["member"].category}
            for s in panel_seats_for(request.user)]


@router.post("/rounds/{round_id}/panel/{member_id}/conclusion", summary="登记抽取专家的评审意见")
def record_panel_conclusion(request: AuthenticatedHttpRequest, round_id: int, member_id: int,
                            payload: PanelConclusionIn) -> dict[str, Any]:
    try:
        review_round = round_for(request.user, round_id)
    except NotFound:
        review_round = round_for_expert(request.user, round_id)
    row = panel.expert_conclusion_from_draw(review_round=review_round, member_id=member_id, actor=request.user,
                                            conclusion=payload.conclusion, comments=payload.comments)
    return {"id": row.pk, "expert_ref": row.expert_ref, "conclusion": row.conclusion, "source": row.source}


@router.post("/rounds/{round_id}/consolidation/draft", summary="由各方意见生成审查意见草稿")
def draft_consolidation(request: AuthenticatedHttpRequest, round_id: int) -> dict[str, Any]:
    review_round = round_for(request.user, round_id)
    return consolidated_dict(consolidation.consolidation_draft(review_round=review_round, actor=request.user)) or {}


@router.put("/rounds/{round_id}/consolidation", summary="修改审查意见草稿")
def edit_consolidation(request: AuthenticatedHttpRequest, round_id: int, payload: ConsolidationIn) -> dict[str, Any]:
    row = _consolidated(request, round_id)
    data = payload.dict()
    version = data.pop("version")
    edited = consolidation.consolidation_edit(consolidated=row, actor=request.user, expected_version=version, **data)
    return consolidated_dict(edited) or {}


@router.post("/rounds/{round_id}/consolidation/issue", summary="签发并印发审查意见")
def issue_consolidation(request: AuthenticatedHttpRequest, round_id: int, payload: IssueIn) -> dict[str, Any]:
    row = _consolidated(request, round_id)
    issued = consolidation.consolidation_issue(consolidated=row, actor=request.user, expected_version=payload.version)
    return consolidated_dict(issued) or {}


@router.get("/rounds/{round_id}/consolidation.docx", summary="下载审查意见（.docx）")
def download_consolidation(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    row = issued_opinion_for(request.user, round_id)
    data = consolidation.consolidated_download(consolidated=row, actor=request.user)
    return docx_response(data, f"{row.doc_number}.docx")


def docx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = f"attachment; filename=\"opinion.docx\"; filename*=UTF-8''{quote(filename)}"
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


@router.post("/projects/{project_id}/approval", summary="登记立项批复（发改委）")
def record_approval(request: AuthenticatedHttpRequest, project_id: int, payload: ApprovalIn) -> dict[str, Any]:
    project = project_for(request.user, project_id)
    approval = approvals.approval_record(project=project, actor=request.user, **payload.dict())
    project.refresh_from_db()
    return {"project": project.pk, "status": project.status, "doc_number": approval.doc_number,
            "approval_date": approval.approval_date.isoformat(),
            "approved_amount": f"{approval.approved_amount:.2f}",
            "procurement_deadline": approval.procurement_deadline.isoformat()}


@router.post("/projects/{project_id}/budget", summary="登记预算安排（财政局）")
def record_budget(request: AuthenticatedHttpRequest, project_id: int, payload: BudgetIn) -> dict[str, Any]:
    project = project_for(request.user, project_id)
    budget = approvals.budget_record(project=project, actor=request.user, **payload.dict())
    from tongchou.portfolio.budget_holder import budget_holder_of

    return {"project": project.pk, "year": budget.year, "amount": f"{budget.amount:.2f}", "source": budget.source,
            "budget_holder": budget_holder_of(project)}


@router.post("/projects/{project_id}/file", summary="向数字化发展局报备（第十八条）")
def file_project(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    project = project_for(request.user, project_id)
    done = approvals.project_file(project=project, actor=request.user)
    return {"project": done.pk, "status": done.status}


@router.post("/projects/{project_id}/fact-corrections", summary="更正审查事实并重新评估（第十二条、第十四条）")
def correct_facts(request: AuthenticatedHttpRequest, project_id: int, payload: FactCorrectionIn) -> dict[str, Any]:
    project = project_for(request.user, project_id)
    return factfix.fact_correct(project=project, actor=request.user, changes=payload.changes, reason=payload.reason)


@router.get("/projects/{project_id}/fact-corrections", summary="数字化发展局对审查事实的更正")
def fact_corrections(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    project = project_for(request.user, project_id)
    return {"project": project.pk, "corrections": factfix.fact_corrections_for(project)}


@router.get("/projects/{project_id}/deadlines", summary="立项批复后的期限（第十八条、第二十六条）")
def deadlines(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    project = project_for(request.user, project_id)
    approval = getattr(project, "approval", None)
    rows = project_deadlines(project, today=timezone.localdate())
    return {
        "project": project.pk, "status": project.status,
        "approval": None if approval is None else {
            "doc_number": approval.doc_number, "approval_date": approval.approval_date.isoformat(),
            "approved_amount": f"{approval.approved_amount:.2f}"},
        "budgets": [{"year": b.year, "amount": f"{b.amount:.2f}", "source": b.source} for b in project.budgets.all()],
        "deadlines": [{**r, "due": r["due"].isoformat() if r["due"] else None} for r in rows],
    }

