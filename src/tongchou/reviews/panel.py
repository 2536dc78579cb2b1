"""The expert review of a joint round (Art. 14, 32). The seam for the expert pool: today the bureau
records each expert's conclusion by hand; when the pool's draw lands, the draw's selected experts
are recorded through the same `expert_conclusion_record` with `expert_ref` and `source="draw"`."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.reviews.access import require_authority
from tongchou.reviews.models import Conclusion, ExpertConclusion, ReviewRound, RoundStatus


def expert_conclusion_record(
    *,
    review_round: ReviewRound,
    actor: Any,
    expert_name: str,
    conclusion: str,
    comments: str,
    expert_org: str = "",
    category: str = "",
    expert_ref: str = "",
    source: str = "manual",
) -> ExpertConclusion:
    expert_name = (expert_name or "").strip()
    if not expert_name:
        raise DomainError("请填写专家姓名。", code="required", field="expert_name")
    if conclusion not in Conclusion.values:
        raise DomainError("结论须为同意、修改后同意或不同意。", code="invalid", field="conclusion")
    if not (comments or "").strip():
        raise DomainError("请填写专家评审意见。", code="required", field="comments")
    with transaction.atomic():
        current = ReviewRound.objects.select_for_update().select_related("project", "project__unit").get(
            pk=review_round.pk)
        require_authority(actor, current.project, "登记专家评审意见", "第十四条、第三十二条")
        if current.status != RoundStatus.OPEN:
            raise Conflict("该审查轮次已结束。", code="round_closed")
        if not current.expert_review:
            raise DomainError("该审查路径不需要专家评审。", code="not_needed", article="第十七条")
        try:
            with transaction.atomic():
                row = ExpertConclusion.objects.create(
                    round=current, expert_ref=expert_ref.strip(), expert_name=expert_name,
                    expert_org=expert_org.strip(), category=category.strip(), source=source,
                    conclusion=conclusion, comments=comments.strip(), recorded_by=actor,
                    recorded_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise Conflict(f"专家{expert_name}的评审意见已经登记。", code="duplicate", field="expert_name") from exc
        # The expert's name stays out of the audit payload (personal data); the row id identifies it.
        audit_record(event="reviews.expert_conclusion", actor=actor, target=current,
                     data={"expert_conclusion": row.pk, "conclusion": conclusion, "source": source})
    return row


def round_panel_members(review_round: ReviewRound) -> list[Any]:
    """The accepted experts of the project's joint-review draw (the expert pool, Art. 32)."""
    from tongchou.experts.models import DrawMember, DrawStatus, MemberStatus, Purpose

    return list(DrawMember.objects.filter(
        draw__project_id=review_round.project_id, draw__purpose=Purpose.JOINT_REVIEW,
        draw__status__in=[DrawStatus.DRAWN, DrawStatus.CLOSED], status=MemberStatus.ACCEPTED,
    ).select_related("expert").order_by("category", "rank", "id"))


def expert_conclusion_from_draw(
    *, review_round: ReviewRound, member_id: int, actor: Any, conclusion: str, comments: str
) -> ExpertConclusion:
    """Records the conclusion of a drawn, accepted expert — by the expert through their own account, or
    by the bureau on the panel's written opinion."""
    member = next((m for m in round_panel_members(review_round) if m.pk == member_id), None)
    if member is None:
        raise DomainError("该专家不是本项目联合会审抽取并已接受邀请的专家。", code="not_on_panel", field="member_id",
                          article="第三十二条")
    expert = member.expert
    is_self = actor is not None and expert.user_id is not None and expert.user_id == actor.pk
    if is_self:
        recorder = actor
        with transaction.atomic():
            current = ReviewRound.objects.select_for_update().get(pk=review_round.pk)
            if current.status != RoundStatus.OPEN:
                raise Conflict("该审查轮次已结束。", code="round_closed")
            return _record(current, recorder, expert, member.category, conclusion, comments)
    return expert_conclusion_record(review_round=review_round, actor=actor, expert_name=expert.name,
                                    expert_org=expert.employer, category=member.category, expert_ref=expert.code,
                                    conclusion=conclusion, comments=comments, source="draw")


def _record(current: ReviewRound, actor: Any, expert: Any, category: str, conclusion: str,
            comments: str) -> ExpertConclusion:
    if conclusion not in Conclusion.values:
        raise DomainError("结论须为同意、修改后同意或不同意。", code="invalid", field="conclusion")
    if not (comments or "").strip():
        raise DomainError("请填写专家评审意见。", code="required", field="comments")
    try:
        with transaction.atomic():
            row = ExpertConclusion.objects.create(
                round=current, expert_ref=expert.code, expert_name=expert.name, expert_org=expert.employer,
                category=category, source="draw", conclusion=conclusion, comments=comments.strip(),
                recorded_by=actor, recorded_at=timezone.now(),
            )
    except IntegrityError as exc:
        raise Conflict(f"专家{expert.name}的评审意见已经登记。", code="duplicate") from exc
    audit_record(event="reviews.expert_conclusion", actor=actor, target=current,
                 data={"expert_conclusion": row.pk, "conclusion": conclusion, "source": "draw"})
    return row


def panel_missing(review_round: ReviewRound) -> list[str]:
    """Which expert conclusions are still awaited: every accepted drawn expert's, or — without a draw
    — at least one recorded by hand."""
    if not review_round.expert_review:
        return []
    recorded = set(review_round.expert_conclusions.values_list("expert_ref", flat=True))
    members = round_panel_members(review_round)
    if members:
        waiting = [m for m in members if m.expert.code not in recorded]
        return [f"专家评审意见（{len(waiting)}名专家未提交）"] if waiting else []
    return [] if review_round.expert_conclusions.exists() else ["专家评审意见"]
