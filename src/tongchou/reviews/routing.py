"""`review_route`: the stored assessment decides the review path when the authority accepts an
application (Art. 16, 17). Joint and security reviews open a round; self-procurement opens none."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tongchou.accounts.models import MemberRole
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.lifecycle.services import project_transition
from tongchou.obligations.models import OpinionTimeLimit
from tongchou.projects.models import Project, Status
from tongchou.projects.selectors import project_latest_assessment
from tongchou.reviews.access import authority_for, require_authority, reviewer_org_for
from tongchou.reviews.aspects import MEMBER_ORDER
from tongchou.reviews.models import OpinionTask, ProjectRouting, ReviewPath, ReviewRound, RoundStatus
from tongchou.reviews.notices import notify_round_opened
from tongchou.reviews.workdays import opinion_due_date, opinion_time_limit

_PATHS = {p.value for p in ReviewPath}


def _checked_exception(raw: Any) -> dict[str, Any] | None:
    if not raw:
        return None
    if not isinstance(raw, dict):
        raise DomainError("第十三条例外情形格式有误。", code="invalid", field="exception", article="第十三条")
    basis = str(raw.get("legal_basis") or "").strip()
    if not basis or raw.get("superior_consent") is not True:
        raise DomainError(
            "第十三条例外须同时提供明确的法律依据和上一级业务主管部门书面同意的证明材料。",
            code="exception_incomplete", field="exception", article="第十三条",
            hint="请退回项目建设单位补充法律依据或上级主管部门书面同意文件。",
        )
    return {
        "legal_basis": basis,
        "superior_consent": True,
        "consent_document": str(raw.get("consent_document") or "").strip(),
    }


def _checked_assessment(assessment: dict[str, Any]) -> tuple[str, list[str], bool]:
    if not isinstance(assessment, dict):
        raise DomainError("评估结果格式有误。", code="invalid", field="assessment")
    path = assessment.get("review_path")
    if path == "not_applicable":
        raise DomainError("该项目不适用本办法的审查程序（紧急项目），请按第三十四条登记。", code="not_applicable",
                          field="assessment.review_path", article="第三十四条")
    if path not in _PATHS:
        raise DomainError(f"评估结果的审查路径「{path}」无效。", code="invalid", field="assessment.review_path")
    if assessment.get("complete") is False:
        missing = "、".join(assessment.get("missing_materials") or []) or "申报材料"
        raise DomainError(f"申报材料不全（缺：{missing}），不能启动审查。", code="incomplete",
                          field="assessment.complete", article="第十条", hint="请退回项目建设单位补正材料。")
    if assessment.get("support") == "not_supported":
        raise DomainError("评估结果为不予支持，不能启动审查。", code="not_supported",
                          field="assessment.support", article="第十二条",
                          hint="如确属第十三条例外情形，须提供法律依据和上级书面同意；否则请由负责人作出不予支持决定。")
    reviewers = assessment.get("reviewers") or []
    if not isinstance(reviewers, list) or any(r not in MemberRole.values for r in reviewers):
        raise DomainError("评估结果的审查成员无效。", code="invalid", field="assessment.reviewers")
    if path != ReviewPath.SELF_PROCUREMENT and not reviewers:
        raise DomainError("评估结果未列出审查成员。", code="invalid", field="assessment.reviewers")
    ordered = [m for m in MEMBER_ORDER if m in reviewers]
    return path, ordered, bool(assessment.get("expert_review"))


def stored_assessment(project: Project) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """The assessment the register stored at submission, and the Art. 13 exception from its facts."""
    stored = project_latest_assessment(project=project)
    if stored is None:
        raise DomainError("该项目没有已保存的评估结果，请由项目建设单位重新提交。", code="no_assessment",
                          field="assessment", article="第十条")
    raw = (stored.facts or {}).get("exception")
    return dict(stored.result), (dict(raw) if isinstance(raw, dict) else None)


def _open_tasks(review_round: ReviewRound, members: list[str], authority: Any, today: date
                ) -> tuple[date, dict[str, Any]]:
    """One task per member, due under the member-opinion service level in force today; each task
    records that level's value, so a later edit of the level moves none of them (ADR 0175)."""
    limit = opinion_time_limit()
    due = opinion_due_date(today, limit)
    for member in members:
        task = OpinionTask.objects.create(round=review_round, member=member,
                                          reviewer_org=reviewer_org_for(member, authority),
                                          opened_on=today, due_date=due)
        OpinionTimeLimit.objects.create(task=task, level_id=limit.level_id, code=limit.code, article=limit.article,
                                        period=limit.period, unit=limit.unit, remind_before=limit.remind_before,
                                        origin=limit.origin)
    return due, limit.as_dict()


def review_route(
    *, project: Project, actor: Any, assessment: dict[str, Any] | None = None,
    exception: dict[str, Any] | None = None,
) -> ReviewRound | None:
    """Routes a submitted project by its assessment (the stored one unless given). Returns the opened
    round, or None for self-procurement."""
    if assessment is None:
        assessment, stored_exception = stored_assessment(project)
        exception = exception if exception is not None else stored_exception
    path, reviewers, expert_review = _checked_assessment(assessment)
    exception_data = _checked_exception(exception if exception is not None else assessment.get("exception"))
    if assessment.get("support") == "conditional" and exception_data is None:
        raise DomainError("评估结果为附条件支持（第十三条例外），须附法律依据和上级书面同意。",
                          code="exception_incomplete", field="exception", article="第十三条")
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        current = Project.objects.select_for_update().select_related("unit").get(pk=project.pk)
        require_authority(actor, current, "受理并分办审查", "第十四条、第十六条、第十七条")
        if current.status != Status.SUBMITTED:
            raise Conflict(f"项目当前状态为「{Status(current.status).label}」，只有已提交的项目可以分办审查。",
                           code="invalid_state", article="第十四条")
        authority = authority_for(current)
        ProjectRouting.objects.update_or_create(
            project=current,
            defaults={"review_path": path, "authority": authority, "reviewers": reviewers,
                      "expert_review": expert_review, "assessment": assessment, "exception": exception_data,
                      "routed_at": now, "routed_by": actor},
        )
        if path == ReviewPath.SELF_PROCUREMENT:
            audit_record(event="reviews.route", actor=actor, target=current,
                         data={"review_path": path, "article": "第十六条"})
            project_transition(project=current, action="register_self_procurement", actor=actor,
                               note="项目资金50万元以下，由项目建设单位自行组织实施（第十六条）")
            return None
        number = (ReviewRound.objects.filter(project=current).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                review_round = ReviewRound.objects.create(
                    project=current, number=number, review_path=path, authority=authority,
                    expert_review=expert_review, exception=exception_data, opened_at=now, opened_by=actor,
                    status=RoundStatus.OPEN,
                )
        except IntegrityError as exc:
            raise Conflict("该项目已有进行中的审查轮次，不能重复启动。", code="round_open",
                           article="第十四条") from exc
        due, limit = _open_tasks(review_round, reviewers, authority, today)
        audit_record(event="reviews.route", actor=actor, target=review_round,
                     data={"project": current.code, "review_path": path, "reviewers": reviewers,
                           "expert_review": expert_review, "exception": exception_data is not None,
                           "due": due.isoformat(), "time_limit": limit})
        project_transition(project=current, action="start_review", actor=actor,
                           note=f"启动{ReviewPath(path).label}（第{number}轮）")
        notify_round_opened(review_round)
    return review_round


def review_round_open(*, project: Project, path: str, reviewers: list[str], expert_review: bool,
                      actor: Any) -> ReviewRound:
    """Opens a further round on a project already under review (e.g. after a revised plan). The
    database refuses a second open round."""
    path_, ordered, _ = _checked_assessment({"review_path": path, "reviewers": reviewers})
    now = timezone.now()
    today = timezone.localdate()
    with transaction.atomic():
        current = Project.objects.select_for_update().select_related("unit").get(pk=project.pk)
        require_authority(actor, current, "启动审查轮次")
        if current.status != Status.UNDER_REVIEW:
            raise Conflict("只有审查中的项目可以启动新一轮审查。", code="invalid_state", article="第十四条")
        authority = authority_for(current)
        number = (ReviewRound.objects.filter(project=current).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                review_round = ReviewRound.objects.create(
                    project=current, number=number, review_path=path_, authority=authority,
                    expert_review=expert_review, opened_at=now, opened_by=actor,
                    exception=getattr(getattr(current, "routing", None), "exception", None),
                )
        except IntegrityError as exc:
            raise Conflict("该项目已有进行中的审查轮次，不能重复启动。", code="round_open",
                           article="第十四条") from exc
        due, limit = _open_tasks(review_round, ordered, authority, today)
        audit_record(event="reviews.round_open", actor=actor, target=review_round,
                     data={"number": number, "review_path": path_, "reviewers": ordered,
                           "due": due.isoformat(), "time_limit": limit})
        notify_round_opened(review_round)
    return review_round


def review_round_cancel(*, review_round: ReviewRound, actor: Any, reason: str) -> ReviewRound:
    """Abandons an open round (e.g. the applicant replaced the plan) so a new round can be opened;
    its opinions stay on record."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请说明撤销该审查轮次的原因。", code="required", field="reason")
    with transaction.atomic():
        current = ReviewRound.objects.select_for_update().select_related("project", "project__unit").get(
            pk=review_round.pk)
        require_authority(actor, current.project, "撤销审查轮次")
        if current.status != RoundStatus.OPEN:
            raise Conflict("只有进行中的审查轮次可以撤销。", code="invalid_state")
        current.status = RoundStatus.CANCELLED
        current.closed_at = timezone.now()
        current.save(update_fields=["status", "closed_at"])
        audit_record(event="reviews.round_cancel", actor=actor, target=current, data={"reason": reason})
    return current
