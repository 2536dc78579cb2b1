"""Member opinions and 补正 requests. Tasks run in parallel; each is written only by its own
member's reviewers, and a 补正 stops that task's clock until the applicant answers. Files go with
both: a reviewer's attachments are frozen with the opinion, the unit's with its answer (ADR 0130)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError, NotFound
from tongchou.documents import storage
from tongchou.notifications.services import notify
from tongchou.reviews.access import is_unit_of, may_write_task
from tongchou.reviews.aspects import aspects_for, member_label
from tongchou.reviews.attachments import MAX_PER_ITEM, Kept, Upload, check_uploads, file_summary
from tongchou.reviews.consolidation import missing_inputs
from tongchou.reviews.models import (
    Conclusion,
    ExceptionDecision,
    Opinion,
    OpinionAttachment,
    OpinionTask,
    RoundStatus,
    SupplementAttachment,
    SupplementRequest,
    TaskStatus,
)
from tongchou.reviews.notices import (
    authority_users,
    notify_supplement_answered,
    notify_supplement_requested,
    round_link,
)
from tongchou.reviews.selectors import exception_document
from tongchou.reviews.workdays import add_working_days, working_days_between


def _locked_task(task: OpinionTask) -> OpinionTask:
    locked = (OpinionTask.objects.select_for_update().select_related("round", "round__project", "reviewer_org")
              .filter(pk=task.pk).first())
    if locked is None:
        raise NotFound()
    return locked


def _require_writer(actor: Any, task: OpinionTask, what: str) -> None:
    if not may_write_task(actor, task):
        raise DomainError(
            f"该审查任务由{task.reviewer_org}负责（{member_label(task.member)}），您无权{what}。",
            code="forbidden", article="第十四条", status=403,
        )


def _require_open(task: OpinionTask) -> None:
    if task.round.status != RoundStatus.OPEN:
        raise Conflict("该审查轮次已结束。", code="round_closed", article="第十四条")


def _require_unit(actor: Any, project: Any) -> None:
    if not is_unit_of(actor, project):
        raise DomainError("只有项目建设单位可以答复补正要求。", code="forbidden", article="第十条", status=403)


def _clean_comments(member: str, comments: Any) -> dict[str, str]:
    if not isinstance(comments, dict):
        raise DomainError("分方面意见格式有误。", code="invalid", field="comments")
    known = dict(aspects_for(member))
    unknown = [k for k in comments if k not in known]
    if unknown:
        raise DomainError(f"「{unknown[0]}」不是{member_label(member)}的审查方面。", code="invalid",
                          field=f"comments.{unknown[0]}", article="第十四条")
    cleaned = {}
    for code, label in aspects_for(member):
        text = str(comments.get(code) or "").strip()
        if not text:
            raise DomainError(f"请填写「{label}」方面的意见。", code="required", field=f"comments.{code}",
                              article="第十四条")
        cleaned[code] = text
    return cleaned


def _clean_reduction(value: Any, reasons: str) -> tuple[Decimal | None, str]:
    if value in (None, ""):
        return None, ""
    try:
        amount = Decimal(str(value))
    except InvalidOperation as exc:
        raise DomainError("建议核减投资须为金额（元）。", code="invalid", field="cost_reduction") from exc
    if not amount.is_finite() or amount < 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise DomainError("建议核减投资须为不小于零、最多两位小数的金额（元）。", code="invalid",
                          field="cost_reduction")
    if amount > 0 and not reasons.strip():
        raise DomainError("建议核减投资时须说明核减理由。", code="required", field="reduction_reasons")
    return (amount if amount > 0 else None), reasons.strip()


def opinion_submit(
    *,
    task: OpinionTask,
    actor: Any,
    conclusion: str,
    comments: dict[str, str],
    cost_reduction: Any = None,
    reduction_reasons: str = "",
    exception_decision: str = "",
    exception_reason: str = "",
    attachments: Sequence[Upload] = (),
) -> Opinion:
    """The opinion, with any files sent along with it; attachments uploaded earlier to the task are
    frozen with it. A refused file refuses the opinion: nothing is written."""
    if conclusion not in Conclusion.values:
        raise DomainError("结论须为同意、修改后同意或不同意。", code="invalid", field="conclusion")
    checks = []
    if attachments:
        _require_writer(actor, task, "出具意见")
        checks = check_uploads(attachments, field="attachments", already=task.attachments.count())
    kept = Kept()
    try:
        return _opinion_submit(task=task, actor=actor, conclusion=conclusion, comments=comments,
                               cost_reduction=cost_reduction, reduction_reasons=reduction_reasons,
                               exception_decision=exception_decision, exception_reason=exception_reason,
                               checks=checks, kept=kept)
    except BaseException:
        kept.discard()
        raise


def _opinion_submit(*, task: OpinionTask, actor: Any, conclusion: str, comments: dict[str, str],
                    cost_reduction: Any, reduction_reasons: str, exception_decision: str, exception_reason: str,
                    checks: list[Any], kept: Kept) -> Opinion:
    with transaction.atomic():
        current = _locked_task(task)
        _require_writer(actor, current, "出具意见")
        _require_open(current)
        if current.status == TaskStatus.SUBMITTED:
            raise Conflict(f"{member_label(current.member)}的意见已经出具，不能重复提交。", code="already_submitted")
        if current.status == TaskStatus.PAUSED:
            raise Conflict("该任务正在等待项目建设单位补正，补正答复后再出具意见。", code="paused",
                           hint="补正期间计时暂停。")
        cleaned = _clean_comments(current.member, comments)
        reduction, reasons = _clean_reduction(cost_reduction, reduction_reasons)
        if current.round.exception:
            if exception_decision not in ExceptionDecision.values:
                raise DomainError("该项目按第十三条申请例外，请明确是否接受例外情形。", code="required",
                                  field="exception_decision", article="第十三条")
            if exception_decision == ExceptionDecision.REFUSED and not exception_reason.strip():
                raise DomainError("不接受例外情形时须说明理由。", code="required", field="exception_reason",
                                  article="第十三条")
        elif exception_decision:
            raise DomainError("该项目未申请第十三条例外。", code="invalid", field="exception_decision")
        document = exception_document(current.round) if exception_decision else None
        if exception_decision == ExceptionDecision.ACCEPTED and document is None:
            raise DomainError(
                "接受第十三条例外须有上一级业务主管部门书面同意的证明材料，本项目未上传该文件，不能接受例外。",
                code="exception_document_missing", field="exception_decision", article="第十三条",
                hint="可不接受例外并说明理由，或由审查机关退回项目建设单位补充书面同意文件。",
            )
        try:
            with transaction.atomic():
                opinion = Opinion.objects.create(
                    task=current, round=current.round, member=current.member, conclusion=conclusion,
                    comments=cleaned, cost_reduction=reduction, reduction_reasons=reasons,
                    exception_decision=exception_decision, exception_reason=exception_reason.strip(),
                    exception_document=document, exception_document_sm3=document.sm3 if document else "",
                    author=actor, submitted_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise Conflict("该成员单位的意见已由他人出具。", code="already_submitted") from exc
        if OpinionAttachment.objects.filter(task=current).count() + len(checks) > MAX_PER_ITEM:
            raise Conflict(f"附件最多 {MAX_PER_ITEM} 个。", code="too_many_files", field="attachments")
        for check in checks:
            _opinion_attachment_create(current, actor, check, kept)
        current.status = TaskStatus.SUBMITTED
        current.version += 1
        current.save(update_fields=["status", "version"])
        files = [a.file for a in OpinionAttachment.objects.filter(task=current).select_related("file")]
        audit_record(event="reviews.opinion_submit", actor=actor, target=current.round,
                     data={"member": current.member, "conclusion": conclusion,
                           "cost_reduction": str(reduction) if reduction is not None else None,
                           "exception_decision": exception_decision or None,
                           "exception_document": None if document is None else {
                               "attachment": document.pk, "file": str(document.file_id), "sm3": document.sm3},
                           "late": timezone.localdate() > current.due_date,
                           "attachments": file_summary(files)})
        if not missing_inputs(current.round):
            project = current.round.project
            notify(users=authority_users(current.round), link=round_link(current.round),
                   subject=f"意见已到齐：{project.code}《{project.name}》",
                   body="各成员单位（及专家）意见均已出具，可以综合出具行业主管部门审查意见（第十四条）。")
    return opinion


def supplement_request(*, task: OpinionTask, actor: Any, question: str) -> SupplementRequest:
    question = (question or "").strip()
    if not question:
        raise DomainError("请写明需要补正的材料或问题。", code="required", field="question")
    now = timezone.now()
    with transaction.atomic():
        current = _locked_task(task)
        _require_writer(actor, current, "提出补正要求")
        _require_open(current)
        if current.status != TaskStatus.OPEN:
            raise Conflict("该任务已出具意见或已在补正中，不能再提出补正要求。", code="invalid_state")
        request = SupplementRequest.objects.create(task=current, question=question, requested_by=actor,
                                                   requested_at=now, requested_on=timezone.localdate(now))
        current.status = TaskStatus.PAUSED
        current.version += 1
        current.save(update_fields=["status", "version"])
        audit_record(event="reviews.supplement_request", actor=actor, target=current.round,
                     data={"member": current.member, "supplement": request.pk})
        notify_supplement_requested(current, question)
    return request


def supplement_answer(*, request: SupplementRequest, actor: Any, answer: str,
                      attachments: Sequence[Upload] = ()) -> SupplementRequest:
    """The unit's answer, with any files sent along with it; files uploaded earlier to the request are
    frozen with it. A refused file refuses the answer: nothing is written, the clock stays stopped."""
    answer = (answer or "").strip()
    if not answer:
        raise DomainError("请填写补正答复。", code="required", field="answer")
    checks = []
    if attachments:
        _require_unit(actor, request.task.round.project)
        checks = check_uploads(attachments, field="attachments", already=request.attachments.count())
    kept = Kept()
    try:
        return _supplement_answer(request=request, actor=actor, answer=answer, checks=checks, kept=kept)
    except BaseException:
        kept.discard()
        raise


def _supplement_answer(*, request: SupplementRequest, actor: Any, answer: str, checks: list[Any], kept: Kept
                       ) -> SupplementRequest:
    now = timezone.now()
    today = timezone.localdate(now)
    with transaction.atomic():
        current = SupplementRequest.objects.select_for_update().filter(pk=request.pk).first()
        if current is None:
            raise NotFound()
        task = _locked_task(current.task)
        _require_unit(actor, task.round.project)
        if current.answered_at is not None:
            raise Conflict("该补正要求已经答复。", code="already_answered")
        if SupplementAttachment.objects.filter(supplement=current).count() + len(checks) > MAX_PER_ITEM:
            raise Conflict(f"附件最多 {MAX_PER_ITEM} 个。", code="too_many_files", field="attachments")
        for check in checks:
            _supplement_attachment_create(current, task, actor, check, kept)
        paused = working_days_between(current.requested_on, today)
        current.answer = answer
        current.answered_by = actor
        current.answered_at = now
        current.answered_on = today
        current.paused_working_days = paused
        current.save()
        task.paused_working_days += paused
        # The clock stood still for `paused` working days: the due date the task was given (under the
        # time limit it recorded when it opened) moves by exactly that much, whatever the level says now.
        task.due_date = add_working_days(task.due_date, paused)
        if task.status == TaskStatus.PAUSED:
            task.status = TaskStatus.OPEN
        task.reminded_on = task.escalated_on = None  # remind again against the shifted due date
        task.version += 1
        task.save(update_fields=["paused_working_days", "due_date", "status", "reminded_on", "escalated_on",
                                 "version"])
        files = [a.file for a in SupplementAttachment.objects.filter(supplement=current).select_related("file")]
        audit_record(event="reviews.supplement_answer", actor=actor, target=task.round,
                     data={"member": task.member, "supplement": current.pk, "paused_working_days": paused,
                           "due": task.due_date.isoformat(), "attachments": file_summary(files)})
        notify_supplement_answered(task)
    return current


# ---------------------------------------------------------------- attachments (ADR 0130)


def _opinion_attachment_create(task: OpinionTask, actor: Any, check: Any, kept: Kept) -> OpinionAttachment:
    stored = kept.store(check, actor=actor, purpose="reviews.opinion")
    row = OpinionAttachment.objects.create(task=task, file=stored, uploaded_by=actor, uploaded_at=timezone.now())
    audit_record(event="reviews.opinion_attachment_upload", actor=actor, target=task.round,
                 data={"member": task.member, "task": task.pk, "attachment": row.pk, "file": str(stored.pk),
                       "name": stored.display_name, "size": stored.size, "sm3": stored.sm3, "type": stored.kind})
    return row


def _supplement_attachment_create(row: SupplementRequest, task: OpinionTask, actor: Any, check: Any, kept: Kept
                                  ) -> SupplementAttachment:
    stored = kept.store(check, actor=actor, purpose="reviews.supplement")
    attachment = SupplementAttachment.objects.create(supplement=row, file=stored, uploaded_by=actor,
                                                     uploaded_at=timezone.now())
    audit_record(event="reviews.supplement_attachment_upload", actor=actor, target=task.round,
                 data={"member": task.member, "supplement": row.pk, "attachment": attachment.pk,
                       "file": str(stored.pk), "name": stored.display_name, "size": stored.size,
                       "sm3": stored.sm3, "type": stored.kind})
    return attachment


def _require_attachable_task(actor: Any, task: OpinionTask, what: str) -> None:
    _require_writer(actor, task, what)
    _require_open(task)
    if task.status == TaskStatus.SUBMITTED:
        raise Conflict(f"{member_label(task.member)}的意见已经出具，附件随意见固定，不能再{what}。",
                       code="already_submitted", article="第十四条")


def opinion_attachment_add(*, task: OpinionTask, actor: Any, filename: str, data: Any) -> OpinionAttachment:
    """A file for the opinion being written (also while the task waits for a 补正 answer); it is seen by
    the task's own reviewers until the opinion is given, then by everyone who sees the round."""
    _require_attachable_task(actor, task, "上传附件")
    checks = check_uploads([(filename, data)], field="file", already=task.attachments.count())
    kept = Kept()
    try:
        with transaction.atomic():
            current = _locked_task(task)
            _require_attachable_task(actor, current, "上传附件")
            if OpinionAttachment.objects.filter(task=current).count() >= MAX_PER_ITEM:
                raise Conflict(f"附件最多 {MAX_PER_ITEM} 个。", code="too_many_files", field="file")
            return _opinion_attachment_create(current, actor, checks[0], kept)
    except BaseException:
        kept.discard()
        raise


def opinion_attachment_remove(*, attachment: OpinionAttachment, actor: Any) -> None:
    with transaction.atomic():
        current = _locked_task(attachment.task)
        _require_attachable_task(actor, current, "删除附件")
        row = OpinionAttachment.objects.select_related("file").filter(pk=attachment.pk, task=current).first()
        if row is None:
            raise NotFound()
        _drop(row, actor=actor, event="reviews.opinion_attachment_remove", target=current.round,
              data={"member": current.member, "task": current.pk})


def _require_answerable(actor: Any, row: SupplementRequest, what: str) -> None:
    _require_unit(actor, row.task.round.project)
    if row.answered_at is not None:
        raise Conflict(f"该补正要求已经答复，附件随答复固定，不能再{what}。", code="already_answered",
                       article="第十四条")


def supplement_attachment_add(*, request: SupplementRequest, actor: Any, filename: str, data: Any
                              ) -> SupplementAttachment:
    """A file for the 补正 answer being prepared; seen by the unit until it answers, then by everyone who
    sees the round (the requesting reviewer and the bureau among them)."""
    _require_answerable(actor, request, "上传附件")
    checks = check_uploads([(filename, data)], field="file", already=request.attachments.count())
    kept = Kept()
    try:
        with transaction.atomic():
            current = _locked_supplement(request)
            task = _locked_task(current.task)
            _require_answerable(actor, current, "上传附件")
            if SupplementAttachment.objects.filter(supplement=current).count() >= MAX_PER_ITEM:
                raise Conflict(f"附件最多 {MAX_PER_ITEM} 个。", code="too_many_files", field="file")
            return _supplement_attachment_create(current, task, actor, checks[0], kept)
    except BaseException:
        kept.discard()
        raise


def supplement_attachment_remove(*, attachment: SupplementAttachment, actor: Any) -> None:
    with transaction.atomic():
        current = _locked_supplement(attachment.supplement)
        _require_answerable(actor, current, "删除附件")
        row = (SupplementAttachment.objects.select_related("file")
               .filter(pk=attachment.pk, supplement=current).first())
        if row is None:
            raise NotFound()
        _drop(row, actor=actor, event="reviews.supplement_attachment_remove", target=current.task.round,
              data={"member": current.task.member, "supplement": current.pk})


def _locked_supplement(row: SupplementRequest) -> SupplementRequest:
    locked = (SupplementRequest.objects.select_for_update().select_related("task", "task__round",
                                                                          "task__round__project")
              .filter(pk=row.pk).first())
    if locked is None:
        raise NotFound()
    return locked


def _drop(row: OpinionAttachment | SupplementAttachment, *, actor: Any, event: str, target: Any,
          data: dict[str, Any]) -> None:
    """A file not yet given with an opinion or answer: its row goes, its bytes go after the commit."""
    stored = row.file
    name = stored.storage_name
    audit_record(event=event, actor=actor, target=target,
                 data={**data, "attachment": row.pk, "file": str(stored.pk), "name": stored.display_name,
                       "sm3": stored.sm3})
    row.delete()
    stored.delete()
    transaction.on_commit(lambda: storage.delete_bytes(name))
