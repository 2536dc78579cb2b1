"""Draws in the web (Art. 32–33): commit to a seed, draw with the pure function, seal, close.

`draw_prepare` fixes the request and the pool snapshot, generates the seed and publishes only its SM3
commitment; `draw_execute` then runs `tongchou.experts.draw.draw` on exactly those three.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongchou.accounts.models import Organisation, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.experts.draw import DrawInputError, TooFewExperts, commitment, draw, new_seed
from tongchou.experts.models import (
    Category,
    Draw,
    DrawMember,
    DrawStatus,
    MemberStatus,
    PanelRole,
    Purpose,
)
from tongchou.experts.panels import panel_size_problem
from tongchou.experts.permissions import ART32, ART33, ART33_PURPOSES, is_pool_manager, is_unit_user
from tongchou.experts.snapshot import (
    canonical_org,
    org_aliases,
    pool_snapshot,
    snapshot_hash,
    unavailable_codes,
)
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify
from tongchou.projects.models import Project

BUREAU_PAYER = "州数字化发展局"


def _article(purpose: str) -> str:
    return ART33 if purpose in ART33_PURPOSES else ART32


def _check_organiser(actor: User, purpose: str, unit: Organisation) -> None:
    if is_pool_manager(actor):
        return
    if is_unit_user(actor) and purpose in ART33_PURPOSES and actor.organisation_id == unit.pk:
        return
    raise DomainError(
        "您无权发起这次专家抽取：项目评审的抽取由数字化发展局组织；各单位可为本单位的项目咨询、内部评审、合同验收申请抽取",
        code="forbidden", article=_article(purpose), status=403,
    )


def _clean_needs(needs: list[dict[str, Any]], purpose: str) -> list[dict[str, Any]]:
    if not needs:
        raise DomainError("请至少设置一个专家类别和人数", field="needs", article=ART32)
    active = dict(Category.objects.filter(is_active=True).values_list("code", "name"))
    cleaned: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, need in enumerate(needs):
        code, count = need.get("category"), need.get("count")
        if code not in active:
            raise DomainError(f"第 {i + 1} 项：未知或已停用的专家类别 {code}", field=f"needs[{i}].category")
        if code in seen:
            raise DomainError(f"第 {i + 1} 项：类别“{active[code]}”重复，请合并", field=f"needs[{i}].category")
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= 50:
            raise DomainError(f"第 {i + 1} 项：人数应为 1–50 的整数", field=f"needs[{i}].count")
        seen.add(code)
        cleaned.append({"category": code, "count": count})
    if problem := panel_size_problem(purpose, cleaned):
        raise DomainError(problem, field="needs", article=ART32, hint="请调整各类别人数")
    return cleaned


def _names(values: list[str], aliases: dict[str, str]) -> list[str]:
    return sorted({canonical_org(v, aliases) for v in values if v and v.strip()})


def _too_few(exc: TooFewExperts, purpose: str) -> DomainError:
    return DomainError(exc.message, code="too_few_experts", field="needs", article=_article(purpose),
                       hint="可减少该类别人数、调整回避名单，或请专家库管理人员补充该类别专家")


def draw_prepare(
    *,
    purpose: str,
    subject: str,
    review_date: date,
    needs: list[dict[str, Any]],
    actor: User,
    project: Project | None = None,
    requesting_unit: Organisation | None = None,
    vendors: list[str] | None = None,
    plan_authors: list[str] | None = None,
    reserves: int = 2,
    exclude: list[str] | None = None,
) -> Draw:
    """Fixes request and pool snapshot, generates the seed, publishes its commitment (not the seed)."""
    if purpose not in Purpose.values:
        raise DomainError("未知的抽取用途", field="purpose")
    if purpose == Purpose.JOINT_REVIEW and project is None:
        raise DomainError("联合会审的专家抽取须关联项目", field="project", article=ART32)
    unit = project.unit if project is not None else requesting_unit
    if unit is None:
        raise DomainError("请指定申请单位", field="requesting_unit", article=ART33)
    _check_organiser(actor, purpose, unit)
    if not subject.strip():
        raise DomainError("请填写抽取事项（如项目名称或咨询内容）", field="subject")
    if review_date < timezone.localdate():
        raise DomainError("评审日期不能早于今天", field="review_date")
    if not isinstance(reserves, int) or isinstance(reserves, bool) or not 0 <= reserves <= 10:
        raise DomainError("每类备选人数应为 0–10 的整数", field="reserves")
    cleaned = _clean_needs(needs, purpose)
    aliases = org_aliases()
    request = {
        "date": review_date.isoformat(),
        "project_unit": unit.name,
        "vendors": _names(vendors or [], aliases),
        "plan_authors": _names(plan_authors or [], aliases),
        "needs": cleaned,
        "reserves": reserves,
        "exclude": sorted(set(exclude or []) | set(unavailable_codes(review_date))),
    }
    with transaction.atomic():
        if project is not None:
            # Serialises two organisers drawing for the same project: the second waits here, then sees
            # the first one's open draw.
            Project.objects.select_for_update().get(pk=project.pk)
            if Draw.objects.filter(project=project, purpose=purpose, parent__isnull=True,
                                   status__in=[DrawStatus.COMMITTED, DrawStatus.DRAWN]).exists():
                raise Conflict("该项目已有一次进行中的同类专家抽取，请先完成或取消它", article=ART32,
                               code="open_draw_exists")
        snapshot = pool_snapshot()
        seed = new_seed()
        try:
            draw(snapshot, request, seed)  # too few experts does not depend on the seed: refuse now
        except TooFewExperts as exc:
            raise _too_few(exc, purpose) from None
        except DrawInputError as exc:
            raise DomainError(exc.message, field=exc.field, code="invalid") from None
        record = Draw(
            purpose=purpose, project=project, requesting_unit=unit, subject=subject.strip(),
            review_date=review_date, request=request, pool_snapshot=snapshot,
            pool_hash=snapshot_hash(snapshot), seed=seed, commitment=commitment(seed),
            sealed=purpose not in ART33_PURPOSES, fees_payer=BUREAU_PAYER, created_by=actor,
        )
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise Conflict("该项目已有一次进行中的同类专家抽取，请先完成或取消它", article=ART32,
                           code="open_draw_exists") from None
        audit_record(event="expert_draw.committed", actor=actor, target=record, data={
            "purpose": purpose, "commitment": record.commitment, "pool_hash": record.pool_hash,
            "request": request,
        })
    return record


def _seat(member: DrawMember) -> bool:
    """Saves a member as invited; False when the expert already sits on a panel that day."""
    member.status = MemberStatus.INVITED
    member.invited_at = timezone.now()
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError:
        return False
    expert_user = member.expert.user
    if expert_user is not None:
        # notify() writes the inbox row in this transaction and mails only after commit.
        notify(
            users=[expert_user],
            subject=f"评审邀请：{member.draw.subject or '项目评审'}（{member.review_date:%Y年%m月%d日}）",
            body="您已被随机抽取为评审专家（《办法》第三十二条），请登录统筹确认是否参加。",
            link="/experts/me/",
            kind=Kind.INFO,
        )
    return True


def draw_execute(*, draw_record: Draw, actor: User) -> Draw:
    """Runs the pure draw on the committed request, snapshot and seed; invites the selected experts."""
    with transaction.atomic():
        record = Draw.objects.select_for_update().get(pk=draw_record.pk)
        _check_organiser(actor, record.purpose, record.requesting_unit)
        if record.status != DrawStatus.COMMITTED:
            raise Conflict(f"这次抽取的状态是“{record.get_status_display()}”，不能再次抽取", code="not_committed")
        try:
            result = draw(record.pool_snapshot, record.request, record.seed)
        except TooFewExperts as exc:
            raise _too_few(exc, record.purpose) from None
        experts = {e.code: e for e in _experts_by_code(result)}
        for rank_in_cat, sel in _ranked(result["selected"]):
            member = DrawMember(draw=record, source_draw=record, expert=experts[sel["id"]],
                                category=sel["category"], role=PanelRole.SELECTED, rank=rank_in_cat,
                                review_date=record.review_date)
            if not _seat(member):
                raise Conflict(f"专家 {sel['id']} 在 {record.review_date} 已被抽入其他评审组；请取消本次抽取后重新发起",
                               code="expert_busy")
        for res in result["reserves"]:
            DrawMember.objects.create(draw=record, source_draw=record, expert=experts[res["id"]],
                                      category=res["category"], role=PanelRole.RESERVE, rank=res["rank"],
                                      status=MemberStatus.STANDBY, review_date=record.review_date)
        record.result = result
        record.status = DrawStatus.DRAWN
        record.drawn_by = actor
        record.drawn_at = timezone.now()
        record.save(update_fields=["result_text", "status", "drawn_by", "drawn_at"])
        audit_record(event="expert_draw.drawn", actor=actor, target=record, data={
            "seed": record.seed, "commitment": record.commitment, "pool_hash": record.pool_hash,
            "selected": result["selected"], "reserves": result["reserves"], "eligible": result["eligible"],
        })
    return record


def _experts_by_code(result: dict[str, Any]) -> list[Any]:
    from tongchou.experts.models import Expert

    codes = [s["id"] for s in result["selected"]] + [r["id"] for r in result["reserves"]]
    return list(Expert.objects.filter(code__in=codes))


def _ranked(selected: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    counters: dict[str, int] = {}
    out = []
    for sel in selected:
        counters[sel["category"]] = counters.get(sel["category"], 0) + 1
        out.append((counters[sel["category"]], sel))
    return out


def _locked_for_organiser(draw_record: Draw, actor: User) -> Draw:
    record = Draw.objects.select_for_update().get(pk=draw_record.pk)
    _check_organiser(actor, record.purpose, record.requesting_unit)
    return record


def draw_cancel(*, draw_record: Draw, reason: str, actor: User) -> Draw:
    if not reason.strip():
        raise DomainError("请填写取消原因（取消的抽取仍保留在记录中）", field="reason")
    with transaction.atomic():
        record = _locked_for_organiser(draw_record, actor)
        if record.status not in (DrawStatus.COMMITTED, DrawStatus.DRAWN):
            raise Conflict("这次抽取已结束或已取消")
        record.status = DrawStatus.CANCELLED
        record.closed_at = timezone.now()
        record.save(update_fields=["status", "closed_at"])
        record.members.filter(status__in=[MemberStatus.INVITED, MemberStatus.ACCEPTED, MemberStatus.STANDBY]).update(
            status=MemberStatus.WITHDRAWN)
        audit_record(event="expert_draw.cancelled", actor=actor, target=record,
                     data={"reason": reason, "seed": record.seed})
    return record


def draw_unseal(*, draw_record: Draw, actor: User) -> Draw:
    """The organiser lifts the seal once the review is over; the applicant unit then sees the names."""
    with transaction.atomic():
        record = _locked_for_organiser(draw_record, actor)
        if not record.sealed:
            return record
        record.sealed = False
        record.save(update_fields=["sealed"])
        audit_record(event="expert_draw.unsealed", actor=actor, target=record)
    return record


def draw_close(*, draw_record: Draw, actor: User) -> Draw:
    """The review is over: the draw closes and its names are no longer sealed."""
    with transaction.atomic():
        record = _locked_for_organiser(draw_record, actor)
        if record.status != DrawStatus.DRAWN:
            raise Conflict("只有已抽取的评审可以结束", code="not_drawn")
        record.status = DrawStatus.CLOSED
        record.sealed = False
        record.closed_at = timezone.now()
        record.save(update_fields=["status", "sealed", "closed_at"])
        audit_record(event="expert_draw.closed", actor=actor, target=record)
    return record
