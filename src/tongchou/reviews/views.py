"""The review desk, the round page (opinions side by side), the consolidation editor and the
approval/budget/filing page. Thin: forms parse, services decide, selectors filter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tongchou.accounts.models import MemberRole, Role
from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.core_errors import DomainError, NotFound
from tongchou.documents.services import stored_file_read
from tongchou.documents.storage import file_response
from tongchou.lifecycle.permissions import (
    is_project_authority,
    member_decision_recorder,
    records_member_decision,
)
from tongchou.reviews import approvals, consolidation, opinions, panel, routing
from tongchou.reviews.access import is_unit_of, may_write_task
from tongchou.reviews.aspects import member_label
from tongchou.reviews.deadlines import project_deadlines
from tongchou.reviews.factfix import CORRECTABLE, CORRECTABLE_STATUSES, fact_correct, fact_corrections_for
from tongchou.reviews.forms import (
    AnswerForm,
    ApprovalForm,
    BudgetForm,
    ConsolidationForm,
    ExpertForm,
    OpinionForm,
    SupplementForm,
)
from tongchou.reviews.models import (
    Conclusion,
    ConsolidatedOpinion,
    ConsolidatedStatus,
    RoundStatus,
    TaskStatus,
)
from tongchou.reviews.queues import work_queue_sections
from tongchou.reviews.selectors import (
    authority_rounds,
    desk_tasks,
    exception_document,
    exception_document_for,
    issued_opinion_for,
    opinion_attachment_for,
    opinion_attachments_visible,
    project_for,
    round_columns,
    round_for,
    supplement_attachment_for,
    supplement_attachments_visible,
    supplement_for,
    supplements_for_unit,
    task_for,
)


def _refused(request: HttpRequest, exc: DomainError) -> None:
    text = exc.message
    if exc.article and exc.article not in text:  # a message that already names its article says it once
        text += f"（依据：{exc.article}）"
    if exc.hint:
        text += f" {exc.hint}"
    messages.error(request, text)


def _form_errors(request: HttpRequest, form) -> None:
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else "输入"
        messages.error(request, f"{label}：{'；'.join(errors)}")


def _call(request: HttpRequest, call: Callable[[], object], success: str) -> bool:
    """A service call: its success message, or its refusal as an error message."""
    try:
        call()
    except DomainError as exc:
        _refused(request, exc)
        return False
    messages.success(request, success)
    return True


def _form_action(request: HttpRequest, form, call: Callable[[dict[str, Any]], object],
                 success: str) -> bool:
    """The POST handlers' one shape: form → service → message (the caller redirects)."""
    if not form.is_valid():
        _form_errors(request, form)
        return False
    return _call(request, lambda: call(form.cleaned_data), success)


def _found(fn, *args):
    try:
        return fn(*args)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@never_cache
@login_required
def desk(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    return render(request, "reviews/desk.html", {
        "rows": desk_tasks(request.user, today=today),
        "queues": work_queue_sections(request.user),
        "rounds": authority_rounds(request.user),
        "supplements": [{"row": s, "attachments": list(supplement_attachments_visible(request.user, s))}
                        for s in supplements_for_unit(request.user)],
        "today": today,
        "upload_limit_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    })


@never_cache
@login_required
def round_page(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    review_round = _found(round_for, request.user, round_id)
    is_authority = is_project_authority(request.user, review_round.project)
    columns = []
    for column in round_columns(review_round):
        task = column["task"]
        writable = (review_round.status == RoundStatus.OPEN and task.status == TaskStatus.OPEN
                    and may_write_task(request.user, task))
        columns.append({
            **column,
            "label": member_label(task.member),
            "writable": writable,
            "form": OpinionForm(member=task.member, with_exception=bool(review_round.exception),
                                prefix=f"t{task.pk}") if writable else None,
            "supplement_form": SupplementForm(prefix=f"s{task.pk}") if writable else None,
            "supplements": [{"row": s, "attachments": list(supplement_attachments_visible(request.user, s))}
                            for s in task.supplements.select_related("task__round__project")],
            "attachments": list(opinion_attachments_visible(request.user, task)),
            "attachments_removable": (review_round.status == RoundStatus.OPEN
                                      and task.status != TaskStatus.SUBMITTED and may_write_task(request.user, task)),
            "overdue": task.status == TaskStatus.OPEN and task.due_date < timezone.localdate(),
        })
    return render(request, "reviews/round.html", {
        "round": review_round, "columns": columns, "is_authority": is_authority,
        "exception_document": exception_document(review_round),
        "experts": review_round.expert_conclusions.all(),
        "panel_members": panel.round_panel_members(review_round),
        "conclusions": Conclusion.choices,
        "expert_form": ExpertForm() if is_authority and review_round.status == RoundStatus.OPEN
        and review_round.expert_review else None,
        "missing": consolidation.missing_inputs(review_round),
        "consolidated": ConsolidatedOpinion.objects.filter(round=review_round).first(),
        "upload_limit_mb": settings.UPLOAD_MAX_BYTES // (1024 * 1024),
    })


def _uploads(request: HttpRequest, name: str) -> list[tuple[str, Any]]:
    return [(f.name or "", f) for f in request.FILES.getlist(name)]


@require_POST
@login_required
def task_opinion(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    task = _found(task_for, request.user, task_id)
    form = OpinionForm(request.POST, member=task.member, with_exception=bool(task.round.exception),
                       prefix=f"t{task.pk}")
    files = _uploads(request, f"t{task.pk}-attachments")
    _form_action(request, form, lambda _data: opinions.opinion_submit(
        task=task, actor=request.user, attachments=files, **form.service_kwargs()),
        f"已出具{member_label(task.member)}意见。")
    return redirect("reviews:round", round_id=task.round_id)


@require_POST
@login_required
def task_supplement(request: AuthenticatedHttpRequest, task_id: int) -> HttpResponse:
    task = _found(task_for, request.user, task_id)
    form = SupplementForm(request.POST, prefix=f"s{task.pk}")
    _form_action(request, form, lambda data: opinions.supplement_request(
        task=task, actor=request.user, question=data["question"]),
        "已向项目建设单位提出补正要求，该任务计时暂停。")
    return redirect("reviews:round", round_id=task.round_id)


@require_POST
@login_required
def supplement_answer_view(request: AuthenticatedHttpRequest, supplement_id: int) -> HttpResponse:
    row = _found(supplement_for, request.user, supplement_id)
    form = AnswerForm(request.POST, prefix=f"a{row.pk}")
    files = _uploads(request, f"a{row.pk}-attachments")
    _form_action(request, form, lambda data: opinions.supplement_answer(
        request=row, actor=request.user, answer=data["answer"], attachments=files),
        "补正答复已提交，审查计时恢复。")
    return redirect("reviews:desk")


def _download(request: HttpRequest, stored: Any) -> HttpResponse:
    try:
        data = stored_file_read(stored=stored, actor=request.user)
    except DomainError as exc:
        _refused(request, exc)
        return redirect("reviews:desk")
    return file_response(data, filename=stored.display_name, content_type=stored.content_type)


@login_required
def opinion_attachment_download(request: AuthenticatedHttpRequest, task_id: int, attachment_id: int) -> HttpResponse:
    return _download(request, _found(opinion_attachment_for, request.user, task_id, attachment_id).file)


@login_required
def exception_document_download(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    return _download(request, _found(exception_document_for, request.user, round_id).file)


@login_required
def supplement_attachment_download(request: AuthenticatedHttpRequest, supplement_id: int, attachment_id: int) -> HttpResponse:
    return _download(request, _found(supplement_attachment_for, request.user, supplement_id, attachment_id).file)


@require_POST
@login_required
def opinion_attachment_remove(request: AuthenticatedHttpRequest, task_id: int, attachment_id: int) -> HttpResponse:
    row = _found(opinion_attachment_for, request.user, task_id, attachment_id)
    name = row.file.display_name
    _call(request, lambda: opinions.opinion_attachment_remove(attachment=row, actor=request.user),
          f"已删除附件「{name}」。")
    return redirect("reviews:round", round_id=row.task.round_id)


@require_POST
@login_required
def supplement_attachment_remove(request: AuthenticatedHttpRequest, supplement_id: int, attachment_id: int) -> HttpResponse:
    row = _found(supplement_attachment_for, request.user, supplement_id, attachment_id)
    name = row.file.display_name
    _call(request, lambda: opinions.supplement_attachment_remove(attachment=row, actor=request.user),
          f"已删除附件「{name}」。")
    return redirect("reviews:desk")


@require_POST
@login_required
def expert_record(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    review_round = _found(round_for, request.user, round_id)
    if request.POST.get("member_id"):
        try:
            panel.expert_conclusion_from_draw(
                review_round=review_round, member_id=int(request.POST["member_id"]), actor=request.user,
                conclusion=request.POST.get("conclusion", ""), comments=request.POST.get("comments", ""))
            messages.success(request, "已登记专家评审意见。")
        except (ValueError, DomainError) as exc:
            if isinstance(exc, DomainError):
                _refused(request, exc)
            else:
                messages.error(request, "请选择专家。")
        return redirect("reviews:round", round_id=review_round.pk)
    form = ExpertForm(request.POST)
    _form_action(request, form, lambda data: panel.expert_conclusion_record(
        review_round=review_round, actor=request.user, **data), "已登记专家评审意见。")
    return redirect("reviews:round", round_id=review_round.pk)


@never_cache
@login_required
def consolidation_page(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    review_round = _found(round_for, request.user, round_id)
    if not is_project_authority(request.user, review_round.project):
        raise Http404
    row = ConsolidatedOpinion.objects.filter(round=review_round).first()
    dissenters = [(o.member, member_label(o.member))
                  for o in review_round.opinions.filter(conclusion=Conclusion.DISAGREE)]
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "draft":
                consolidation.consolidation_draft(review_round=review_round, actor=request.user)
                messages.success(request, "已根据各方意见生成审查意见草稿。")
            elif row is not None and action in ("save", "issue"):
                posted = ConsolidationForm(request.POST, dissenters=dissenters)
                if not posted.is_valid():
                    _form_errors(request, posted)
                    return redirect("reviews:consolidation", round_id=review_round.pk)
                data = posted.cleaned_data
                row = consolidation.consolidation_edit(
                    consolidated=row, actor=request.user, title=data["title"], body=data["body"],
                    conclusion=data["conclusion"], addressee=data["addressee"],
                    dissent_responses=posted.dissent_responses(), expected_version=data["version"])
                if action == "issue":
                    issued = consolidation.consolidation_issue(consolidated=row, actor=request.user)
                    messages.success(request, f"审查意见已印发：{issued.doc_number}。")
                else:
                    messages.success(request, "草稿已保存。")
        except DomainError as exc:
            _refused(request, exc)
        return redirect("reviews:consolidation", round_id=review_round.pk)
    form = None
    if row is not None and row.status == ConsolidatedStatus.DRAFT:
        form = ConsolidationForm(dissenters=dissenters, initial={
            "title": row.title, "addressee": row.addressee, "conclusion": row.conclusion, "body": row.body,
            "version": row.version, **{f"dissent_{m}": row.dissent_responses.get(m, "") for m, _ in dissenters}})
    return render(request, "reviews/consolidation.html", {
        "round": review_round, "row": row, "form": form, "missing": consolidation.missing_inputs(review_round),
        "is_lead": request.user.role == Role.BUREAU_LEAD,
    })


@login_required
def consolidation_docx(request: AuthenticatedHttpRequest, round_id: int) -> HttpResponse:
    row = _found(issued_opinion_for, request.user, round_id)
    try:
        data = consolidation.consolidated_download(consolidated=row, actor=request.user)
    except DomainError as exc:
        _refused(request, exc)
        return redirect("reviews:round", round_id=round_id)
    response = HttpResponse(data,
                            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    response["Content-Disposition"] = (f"attachment; filename=\"opinion.docx\"; "
                                       f"filename*=UTF-8''{quote(row.doc_number + '.docx')}")
    response["Cache-Control"] = "no-store"
    return response


def _budget_holder(project: Any) -> dict[str, Any]:
    from tongchou.portfolio.budget_holder import budget_holder_of

    return budget_holder_of(project)


@never_cache
@login_required
def project_page(request: AuthenticatedHttpRequest, project_id: int) -> HttpResponse:
    project = _found(project_for, request.user, project_id)
    user = request.user
    # The one rule (ADR 0190): the member unit's reviewers, or a county project's county bureau lead.
    can_approve = records_member_decision(user, project, MemberRole.DEVELOPMENT_REFORM)
    can_budget = records_member_decision(user, project, MemberRole.FINANCE)
    # A refused approval or budget comes back on the page with what was typed (no redirect), the rest PRG.
    approval_form = ApprovalForm() if can_approve else None
    budget_form = BudgetForm(initial={"year": project.year}) if can_budget else None
    if request.method == "POST":
        action = request.POST.get("action")
        refused_form: forms.Form | None = None
        try:
            if action == "route" and is_project_authority(user, project):
                review_round = routing.review_route(project=project, actor=user)
                if review_round is not None:
                    messages.success(request, f"已启动{review_round.get_review_path_display()}，各审查单位已收到任务。")
                    return redirect("reviews:round", round_id=review_round.pk)
                messages.success(request, "项目资金50万元以下，已登记为自行组织实施（第十六条）。")
            elif action == "approval" and can_approve:
                approval_form = refused_form = ApprovalForm(request.POST)
                if approval_form.is_valid():
                    approvals.approval_record(project=project, actor=user, **approval_form.cleaned_data)
                    refused_form = None
                    messages.success(request, "已登记立项批复。")
                else:
                    _form_errors(request, approval_form)
            elif action == "budget" and can_budget:
                budget_form = refused_form = BudgetForm(request.POST)
                if budget_form.is_valid():
                    approvals.budget_record(project=project, actor=user, **budget_form.cleaned_data)
                    refused_form = None
                    messages.success(request, "已登记预算安排。")
                else:
                    _form_errors(request, budget_form)
            elif action == "budget_holder" and can_budget:
                from tongchou.portfolio.budget_holder import budget_holder_set

                held = budget_holder_set(project=project, actor=user, holder=request.POST.get("holder", ""),
                                         reason=request.POST.get("reason", ""))
                messages.success(request, f"预算单位已调整为{held['holder']}（第二十八条）。")
            elif action == "fact_correction" and is_project_authority(user, project):
                raw = request.POST.get("value", "")
                value: bool | str = {"true": True, "false": False}.get(raw, raw)
                done = fact_correct(project=project, actor=user, changes={request.POST.get("field", ""): value},
                                    reason=request.POST.get("reason", ""))
                messages.success(request, "已更正审查事实并重新评估（第十二条、第十四条）。"
                                 + (f"{done['path_notice']}，本轮审查路径未改变。" if done["path_differs"] else ""))
            elif action == "file" and is_unit_of(user, project):
                approvals.project_file(project=project, actor=user)
                messages.success(request, "已向数字化发展局报备。")
            else:
                messages.error(request, "您无权执行该操作。")
        except DomainError as exc:
            _refused(request, exc)
        if refused_form is None:
            return redirect("reviews:project", project_id=project.pk)
    return render(request, "reviews/project.html", {
        "project": project, "routing": getattr(project, "routing", None),
        "approval": getattr(project, "approval", None), "budgets": project.budgets.all(),
        "budget_holder": _budget_holder(project),
        "rounds": project.review_rounds.all(),
        "issued": ConsolidatedOpinion.objects.filter(round__project=project, status=ConsolidatedStatus.ISSUED),
        "deadlines": project_deadlines(project, today=timezone.localdate()),
        "approval_recorder": member_decision_recorder(project, MemberRole.DEVELOPMENT_REFORM),
        "budget_recorder": member_decision_recorder(project, MemberRole.FINANCE),
        "approval_form": approval_form, "budget_form": budget_form,
        "can_file": is_unit_of(user, project) and project.status == "approved",
        "can_route": is_project_authority(user, project) and project.status == "submitted",
        "is_unit": is_unit_of(user, project),
        "corrections": fact_corrections_for(project),
        "can_correct": is_project_authority(user, project) and project.status in CORRECTABLE_STATUSES,
        "correctable": [(f, label) for f, (label, _) in CORRECTABLE.items()],
        "assessment_path": project.get_review_path_display() if project.review_path else "",
        "assessment_reviewers": "、".join(member_label(m) for m in project.reviewers),
    })
