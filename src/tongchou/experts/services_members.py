"""A drawn expert's answer, the replacement of a decline, the recorded duration and fee, the rating."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.db.models import Avg
from django.utils import timezone

from tongchou.accounts.models import User
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.experts.draw import TooFewExperts, commitment, draw, new_seed
from tongchou.experts.fees import Rates, fee_for
from tongchou.experts.models import (
    Draw,
    DrawMember,
    DrawStatus,
    Expert,
    ExpertStatus,
    FeeEntry,
    FeeRate,
    MemberStatus,
    PanelRole,
)
from tongchou.experts.permissions import ART31, ART33, is_pool_manager
from tongchou.experts.services_draws import _check_organiser, _seat
from tongchou.experts.snapshot import pool_snapshot, snapshot_hash, unavailable_codes

SUSPENSION_THRESHOLD = 60


def _check_responder(member: DrawMember, actor: User) -> None:
    own = member.expert.user_id is not None and member.expert.user_id == actor.pk
    if not (own or is_pool_manager(actor)):
        raise DomainError("只能答复发给您本人的邀请", code="forbidden", status=403)


def member_respond(*, member: DrawMember, accept: bool, actor: User, reason: str = "") -> DrawMember | None:
    """Accepts or declines an invitation. A decline is filled from the reserves in rank order, then by a
    new draw for that category; returns the replacement (None after an accept or when none is left)."""
    with transaction.atomic():
        record = Draw.objects.select_for_update().get(pk=member.draw_id)
        member = DrawMember.objects.select_for_update().select_related("expert").get(pk=member.pk)
        _check_responder(member, actor)
        if record.status != DrawStatus.DRAWN:
            raise Conflict("这次评审已结束或已取消，无需答复")
        if member.status != MemberStatus.INVITED:
            raise Conflict(f"该邀请已答复（{member.get_status_display()}）", code="already_answered")
        member.responded_at = timezone.now()
        if accept:
            member.status = MemberStatus.ACCEPTED
            member.save(update_fields=["status", "responded_at"])
            audit_record(event="expert_draw.accepted", actor=actor, target=record, data={"expert": member.expert.code})
            return None
        member.status = MemberStatus.DECLINED
        member.decline_reason = reason.strip()[:200]
        member.save(update_fields=["status", "responded_at", "decline_reason"])
        audit_record(event="expert_draw.declined", actor=actor, target=record,
                     data={"expert": member.expert.code, "reason": member.decline_reason})
        return _replace(record, member, actor)


def _replace(record: Draw, declined: DrawMember, actor: User) -> DrawMember | None:
    reserves = DrawMember.objects.select_for_update().filter(
        draw=record, category=declined.category, role=PanelRole.RESERVE, status=MemberStatus.STANDBY
    ).order_by("rank")
    for reserve in reserves:
        reserve.replaces = declined
        if _seat(reserve):
            audit_record(event="expert_draw.reserve_called", actor=actor, target=record, data={
                "declined": declined.expert.code, "reserve": reserve.expert.code, "rank": reserve.rank})
            return reserve
        DrawMember.objects.filter(pk=reserve.pk).update(status=MemberStatus.SKIPPED)
    return _supplementary_draw(record, declined, actor)


def _supplementary_draw(record: Draw, declined: DrawMember, actor: User) -> DrawMember | None:
    """Reserves exhausted: a new committed draw for one expert of that category, run at once."""
    already = set(record.members.values_list("expert__code", flat=True))
    request = {
        **record.request,
        "needs": [{"category": declined.category, "count": 1}],
        "reserves": 0,
        "exclude": sorted(set(record.request.get("exclude", [])) | already | set(unavailable_codes(record.review_date))),
    }
    snapshot = pool_snapshot()
    seed = new_seed()
    try:
        result = draw(snapshot, request, seed)
    except TooFewExperts as exc:
        audit_record(event="expert_draw.replacement_failed", actor=actor, target=record, outcome="refused",
                     data={"category": declined.category, "message": exc.message})
        return None
    child = Draw(
        purpose=record.purpose, project=record.project, requesting_unit=record.requesting_unit, parent=record,
        subject=f"{record.subject}（补抽）", review_date=record.review_date, request=request,
        pool_snapshot=snapshot, pool_hash=snapshot_hash(snapshot), seed=seed, commitment=commitment(seed),
        status=DrawStatus.DRAWN, sealed=record.sealed, fees_payer=record.fees_payer,
        created_by=actor, drawn_by=actor, drawn_at=timezone.now(),
    )
    # `result` is a property over `result_text`, which the model's typed __init__ does not know;
    # set it, then insert exactly as `objects.create` would.
    child.result = result
    child.save(force_insert=True)
    chosen = result["selected"][0]
    rank = record.members.filter(category=declined.category).count() + 1
    member = DrawMember(draw=record, source_draw=child, expert=Expert.objects.get(code=chosen["id"]),
                        category=declined.category, role=PanelRole.SELECTED, rank=rank,
                        review_date=record.review_date, replaces=declined)
    if not _seat(member):
        raise Conflict("补抽到的专家当日已有其他评审，请稍后重试")
    audit_record(event="expert_draw.supplementary_drawn", actor=actor, target=child, data={
        "parent": record.pk, "declined": declined.expert.code, "seed": seed, "commitment": child.commitment,
        "pool_hash": child.pool_hash, "selected": result["selected"]})
    return member


def _organiser_member(member: DrawMember, actor: User) -> DrawMember:
    member = DrawMember.objects.select_for_update().select_related("draw", "expert").get(pk=member.pk)
    _check_organiser(actor, member.draw.purpose, member.draw.requesting_unit)
    if member.status != MemberStatus.ACCEPTED:
        raise Conflict("只有接受邀请并参加评审的专家可以登记时长和评分", code="not_accepted")
    return member


def member_record_duration(*, member: DrawMember, minutes: int, actor: User) -> FeeEntry:
    """Records the service duration and books the fee to the bureau's ledger (Art. 33)."""
    if not isinstance(minutes, int) or isinstance(minutes, bool) or not 1 <= minutes <= 24 * 60:
        raise DomainError("服务时长应为 1–1440 分钟的整数", field="minutes")
    with transaction.atomic():
        member = _organiser_member(member, actor)
        rate = FeeRate.objects.filter(effective_from__lte=member.review_date).order_by("-effective_from").first()
        if rate is None:
            raise DomainError("尚未设置适用于该日期的专家费标准", article=ART33, code="no_fee_rate",
                              hint="请专家库管理人员先设置专家费标准（每半天、每小时加付、每日封顶）")
        amount = fee_for(minutes, Rates(rate.half_day, rate.hourly_extra, rate.daily_cap))
        member.duration_minutes = minutes
        member.save(update_fields=["duration_minutes"])
        entry, created = FeeEntry.objects.update_or_create(member=member, defaults={
            "expert": member.expert, "service_date": member.review_date, "year": member.review_date.year,
            "minutes": minutes, "amount": amount, "rate": rate, "payer": member.draw.fees_payer,
            "purpose": member.draw.purpose, "recorded_by": actor,
        })
        audit_record(event="expert_fee.recorded", actor=actor, target=entry, data={
            "expert": member.expert.code, "minutes": minutes, "amount": str(amount), "rate": rate.pk,
            "corrected": not created})
    return entry


def member_rate(*, member: DrawMember, score: int, comment: str, actor: User) -> DrawMember:
    """The organiser scores an expert 0–100; an average below 60 proposes suspension to the pool manager."""
    if not isinstance(score, int) or isinstance(score, bool) or not 0 <= score <= 100:
        raise DomainError("评分应为 0–100 的整数", field="score")
    with transaction.atomic():
        member = _organiser_member(member, actor)
        member.score = score
        member.score_comment = comment.strip()[:500]
        member.rated_by = actor
        member.rated_at = timezone.now()
        member.save(update_fields=["score", "score_comment", "rated_by", "rated_at"])
        audit_record(event="expert.rated", actor=actor, target=member.expert,
                     data={"draw": member.draw_id, "score": score})
        expert = Expert.objects.select_for_update().get(pk=member.expert_id)
        average = expert.memberships.filter(score__isnull=False).aggregate(a=Avg("score"))["a"]
        proposed = average is not None and Decimal(str(average)) < SUSPENSION_THRESHOLD
        if proposed and expert.status == ExpertStatus.ACTIVE and not expert.suspension_proposed:
            expert.suspension_proposed = True
            expert.save(update_fields=["suspension_proposed", "updated_at"])
            audit_record(event="expert.suspension_proposed", actor=actor, target=expert,
                         data={"average": round(float(average), 2), "article": ART31})
    return member
