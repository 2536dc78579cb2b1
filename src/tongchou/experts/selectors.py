"""Reads, filtered by role and organisation. Another organisation's draw or a stranger's expert → 404.

The seal: while a draw is sealed, the applicant unit sees that experts were drawn but not who.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from tongchou.accounts.models import Role, User
from tongchou.core_errors import NotFound
from tongchou.crypto.fields import mask_middle
from tongchou.experts.models import Category, Draw, DrawMember, Expert, FeeEntry
from tongchou.experts.permissions import is_pool_manager, is_unit_user


def categories_all() -> QuerySet[Category]:
    return Category.objects.all()


def category_names() -> dict[str, str]:
    """Code → current Chinese name, for pages that show records storing the code."""
    return dict(Category.objects.values_list("code", "name"))


def experts_visible_to(user: User) -> QuerySet[Expert]:
    qs = Expert.objects.prefetch_related("categories")
    if is_pool_manager(user):
        return qs
    if user.is_authenticated and user.role == Role.EXPERT:
        return qs.filter(user=user)
    return qs.none()


def expert_get(*, user: User, pk: int) -> Expert:
    expert = experts_visible_to(user).filter(pk=pk).first()
    if expert is None:
        raise NotFound()
    return expert


def expert_masked_contact(expert: Expert) -> dict[str, str]:
    return {"phone": mask_middle(expert.phone or ""), "id_number": mask_middle(expert.id_number or "", 4, 4)}


def draws_visible_to(user: User) -> QuerySet[Draw]:
    qs = Draw.objects.select_related("project", "requesting_unit", "created_by").filter(parent__isnull=True)
    if is_pool_manager(user):
        return qs
    if is_unit_user(user) and user.organisation_id:
        return qs.filter(requesting_unit_id=user.organisation_id)
    if user.is_authenticated and user.role == Role.EXPERT:
        return qs.filter(members__expert__user=user).distinct()
    return qs.none()


def draw_get(*, user: User, pk: int) -> Draw:
    record = draws_visible_to(user).filter(pk=pk).first()
    if record is None:
        raise NotFound()
    return record


def names_hidden(*, user: User, record: Draw) -> bool:
    """True while the draw is sealed and the reader is not the bureau (an expert sees only their own row)."""
    return record.sealed and not is_pool_manager(user)


def draw_members_for(*, user: User, record: Draw) -> list[DrawMember]:
    qs = record.members.select_related("expert").order_by("category", "role", "rank", "id")
    if is_pool_manager(user):
        return list(qs)
    if user.role == Role.EXPERT:
        return list(qs.filter(expert__user=user))
    if names_hidden(user=user, record=record):
        return []
    return list(qs)


def draw_public_view(*, user: User, record: Draw) -> dict[str, Any]:
    """What a reader may see of a draw: the seed only after the draw; names only if not sealed for them."""
    drawn = record.result is not None
    hidden = names_hidden(user=user, record=record)
    members = draw_members_for(user=user, record=record)
    return {
        "id": record.pk,
        "purpose": record.purpose,
        "purpose_label": record.get_purpose_display(),
        "subject": record.subject,
        "project": record.project.code if record.project else None,
        "requesting_unit": record.requesting_unit.name,
        "review_date": record.review_date.isoformat(),
        "status": record.status,
        "sealed": record.sealed,
        "names_hidden": hidden,
        "commitment": record.commitment,
        "pool_hash": record.pool_hash,
        "seed": record.seed if drawn else None,
        "request": record.request if not hidden else {k: v for k, v in record.request.items() if k != "exclude"},
        "eligible": (record.result or {}).get("eligible"),
        "created_by": str(record.created_by),
        "created_at": record.created_at.isoformat(),
        "drawn_by": str(record.drawn_by) if record.drawn_by else None,
        "drawn_at": record.drawn_at.isoformat() if record.drawn_at else None,
        "fees_payer": record.fees_payer,
        "members": [
            {"id": m.pk, "expert": m.expert.code, "name": m.expert.name, "category": m.category, "role": m.role,
             "rank": m.rank, "status": m.status, "score": m.score, "duration_minutes": m.duration_minutes}
            for m in members
        ],
        "member_count": record.members.filter(role="selected").count() if hidden else len(members),
    }


def member_get(*, user: User, pk: int) -> DrawMember:
    member = DrawMember.objects.select_related("draw", "expert").filter(pk=pk).first()
    if member is None:
        raise NotFound()
    if is_pool_manager(user) or (user.role == Role.EXPERT and member.expert.user_id == user.pk):
        return member
    if is_unit_user(user) and member.draw.requesting_unit_id == user.organisation_id \
            and not names_hidden(user=user, record=member.draw):
        return member
    raise NotFound()


def invitations_for(user: User) -> QuerySet[DrawMember]:
    return DrawMember.objects.select_related("draw", "expert").filter(
        expert__user=user).exclude(status__in=["standby", "skipped"]).order_by("-review_date", "-id")


@dataclass
class LedgerRow:
    expert_code: str
    expert_name: str
    year: int
    services: int
    minutes: int
    amount: Decimal


def fee_ledger(*, year: int, user: User) -> list[LedgerRow]:
    """Per expert and year: for the bureau; an expert sees their own line only."""
    qs = FeeEntry.objects.filter(year=year)
    if not is_pool_manager(user):
        if user.role != Role.EXPERT:
            return []
        qs = qs.filter(expert__user=user)
    rows = (
        qs.values("expert__code", "expert__name", "year")
        .annotate(services=Count("id"), minutes=Sum("minutes"), amount=Sum("amount"))
        .order_by("expert__code")
    )
    return [LedgerRow(r["expert__code"], r["expert__name"], r["year"], r["services"], r["minutes"] or 0,
                      Decimal(r["amount"] or 0).quantize(Decimal("0.01"))) for r in rows]


def fee_entries(*, year: int, user: User) -> QuerySet[FeeEntry]:
    qs = FeeEntry.objects.select_related("expert", "member__draw").filter(year=year)
    if is_pool_manager(user):
        return qs
    return qs.filter(Q(expert__user=user) & Q(expert__user__role=Role.EXPERT)) if user.is_authenticated else qs.none()


def suspension_proposals() -> QuerySet[Expert]:
    return Expert.objects.filter(suspension_proposed=True, status="active")
