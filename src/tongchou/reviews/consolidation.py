"""The consolidated 行业主管部门审查意见 (Art. 14): refused until every mandatory opinion (and, for a
joint review, the experts' conclusions) is in; every 不同意 answered; issued with a 文号, a .docx and
its SM3 digest; then the project moves on with `issue_opinion`."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import Role
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.crypto.sm import sm3_hex
from tongchou.lifecycle.services import project_transition
from tongchou.reviews.access import require_authority
from tongchou.reviews.aspects import member_label
from tongchou.reviews.docnumber import doc_number_allocate
from tongchou.reviews.drafting import dissent_section, draft_body, draft_title, suggested_conclusion
from tongchou.reviews.models import (
    Conclusion,
    ConsolidatedOpinion,
    ConsolidatedStatus,
    ReviewRound,
    RoundStatus,
    TaskStatus,
)
from tongchou.reviews.notices import notify_approval_awaited, notify_opinion_issued
from tongchou.reviews.official_docx import render_official_docx
from tongchou.reviews.panel import panel_missing


def missing_inputs(review_round: ReviewRound) -> list[str]:
    """What is still awaited before the bureau may consolidate (Chinese labels)."""
    missing = [f"{member_label(t.member)}意见" for t in review_round.tasks.all()
               if t.mandatory and t.status != TaskStatus.SUBMITTED]
    return missing + panel_missing(review_round)


def _locked_round(review_round: ReviewRound) -> ReviewRound:
    return (ReviewRound.objects.select_for_update().select_related("project", "project__unit", "authority")
            .get(pk=review_round.pk))


def _require_complete(current: ReviewRound) -> None:
    missing = missing_inputs(current)
    if missing:
        raise Conflict(
            f"尚有{len(missing)}项意见未出具（{'、'.join(missing)}），暂不能综合出具审查意见。",
            code="opinions_missing", article="第十四条", hint="请等待全部成员单位和专家出具意见后再综合。",
        )


def consolidation_draft(*, review_round: ReviewRound, actor: Any) -> ConsolidatedOpinion:
    """Drafts (or re-drafts, while still a draft) the consolidated opinion from the inputs."""
    with transaction.atomic():
        current = _locked_round(review_round)
        require_authority(actor, current.project, "综合出具审查意见")
        if current.status != RoundStatus.OPEN:
            raise Conflict("该审查轮次已结束。", code="round_closed")
        _require_complete(current)
        conclusion = suggested_conclusion(current)
        fields = {"title": draft_title(current), "addressee": current.project.unit.name,
                  "body": draft_body(current, conclusion), "conclusion": conclusion, "edited_by": actor,
                  "edited_at": timezone.now(), "issuer": current.authority}
        existing = ConsolidatedOpinion.objects.select_for_update().filter(round=current).first()
        if existing is None:
            opinion = ConsolidatedOpinion.objects.create(round=current, **fields)
        else:
            for key, value in fields.items():
                setattr(existing, key, value)
            existing.version += 1
            existing.save()
            opinion = existing
        audit_record(event="reviews.consolidation_draft", actor=actor, target=current,
                     data={"version": opinion.version, "conclusion": conclusion})
    return opinion


def consolidation_edit(
    *,
    consolidated: ConsolidatedOpinion,
    actor: Any,
    title: str,
    body: str,
    conclusion: str,
    dissent_responses: dict[str, str] | None = None,
    addressee: str | None = None,
    expected_version: int | None = None,
) -> ConsolidatedOpinion:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError("请填写标题。", code="required", field="title")
    if not body:
        raise DomainError("请填写正文。", code="required", field="body")
    if conclusion not in Conclusion.values:
        raise DomainError("审查结论须为同意、修改后同意或不同意。", code="invalid", field="conclusion")
    responses = {str(k): str(v).strip() for k, v in (dissent_responses or {}).items() if str(v).strip()}
    with transaction.atomic():
        current = ConsolidatedOpinion.objects.select_for_update().select_related("round", "round__project").get(
            pk=consolidated.pk)
        require_authority(actor, current.round.project, "修改审查意见")
        if current.status != ConsolidatedStatus.DRAFT:
            raise Conflict("审查意见已印发，不能再修改。", code="issued")
        if expected_version is not None and current.version != expected_version:
            raise Conflict("审查意见已被他人修改，请刷新后重试。", code="stale_version")
        dissenters = set(current.round.opinions.filter(conclusion=Conclusion.DISAGREE).values_list("member", flat=True))
        stray = set(responses) - dissenters
        if stray:
            raise DomainError("只能答复提出不同意意见的成员单位。", code="invalid",
                              field=f"dissent_responses.{sorted(stray)[0]}")
        current.title, current.body, current.conclusion = title, body, conclusion
        if addressee is not None and addressee.strip():
            current.addressee = addressee.strip()
        current.dissent_responses = responses
        current.edited_by, current.edited_at = actor, timezone.now()
        current.version += 1
        current.save()
        audit_record(event="reviews.consolidation_edit", actor=actor, target=current.round,
                     data={"version": current.version, "conclusion": conclusion,
                           "body_sm3": sm3_hex(body)})
    return current


def consolidation_issue(
    *, consolidated: ConsolidatedOpinion, actor: Any, expected_version: int | None = None
) -> ConsolidatedOpinion:
    today = timezone.localdate()
    with transaction.atomic():
        review_round = _locked_round(consolidated.round)
        current = ConsolidatedOpinion.objects.select_for_update().get(pk=consolidated.pk)
        project = review_round.project
        require_authority(actor, project, "印发审查意见")
        if actor.role != Role.BUREAU_LEAD:
            raise DomainError("审查意见须由数字化发展局负责人签发。", code="forbidden", article="第十四条", status=403)
        if current.status != ConsolidatedStatus.DRAFT:
            raise Conflict(f"审查意见已印发（{current.doc_number}）。", code="issued")
        if expected_version is not None and current.version != expected_version:
            raise Conflict("审查意见已被他人修改，请刷新后重试。", code="stale_version")
        _require_complete(review_round)
        dissents = list(review_round.opinions.filter(conclusion=Conclusion.DISAGREE))
        for opinion in dissents:
            if not current.dissent_responses.get(opinion.member, "").strip():
                raise DomainError(
                    f"{member_label(opinion.member)}提出了不同意意见，须在审查意见中逐一答复后方可印发。",
                    code="dissent_unanswered", field=f"dissent_responses.{opinion.member}", article="第十四条",
                )
        seq, number = doc_number_allocate(issuer=review_round.authority, year=today.year)
        extra = dissent_section(review_round, current.dissent_responses)
        data = render_official_docx(issuer=review_round.authority.name, doc_number=number, title=current.title,
                                    addressee=current.addressee, lines=current.body.splitlines(),
                                    extra_sections=[extra] if extra else [],
                                    signer=review_round.authority.name, day=today)
        current.doc_year, current.doc_seq, current.doc_number = today.year, seq, number
        current.issued_on, current.issued_at, current.issued_by = today, timezone.now(), actor
        current.docx, current.docx_sm3 = data, sm3_hex(data)
        current.status = ConsolidatedStatus.ISSUED
        current.save()
        review_round.status = RoundStatus.CLOSED
        review_round.closed_at = current.issued_at
        review_round.save(update_fields=["status", "closed_at"])
        audit_record(event="reviews.consolidation_issue", actor=actor, target=review_round,
                     data={"doc_number": number, "docx_sm3": current.docx_sm3, "conclusion": current.conclusion,
                           "dissents": [o.member for o in dissents]})
        project_transition(project=project, action="issue_opinion", actor=actor,
                           note=f"印发{number}", context={"consolidated": current})
        notify_opinion_issued(current)
        notify_approval_awaited(current)
    return current


def consolidated_download(*, consolidated: ConsolidatedOpinion, actor: Any) -> bytes:
    """The issued .docx, checked against its stored SM3 digest; every download is audited."""
    if consolidated.status != ConsolidatedStatus.ISSUED or not consolidated.docx:
        raise Conflict("审查意见尚未印发，没有可下载的文件。", code="not_issued")
    data = bytes(consolidated.docx)
    if sm3_hex(data) != consolidated.docx_sm3:
        raise DomainError("公文文件与印发时的 SM3 摘要不一致，已拒绝下载，请联系安全管理员。", code="integrity",
                          status=500)
    with transaction.atomic():
        audit_record(event="reviews.consolidated_download", actor=actor, target=consolidated.round,
                     data={"doc_number": consolidated.doc_number, "docx_sm3": consolidated.docx_sm3})
    return data
