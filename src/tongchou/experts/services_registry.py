"""Writes on the registry: categories, experts, their status, contact views, fee rates (Art. 31)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction

from tongchou.accounts.models import Role, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.experts.expert_fields import entry_rule_problem, id_number_problem, phone_problem
from tongchou.experts.models import (
    Category,
    DeclaredConflict,
    Expert,
    ExpertStatus,
    FeeRate,
    FormerEmployer,
    TitleLevel,
)
from tongchou.experts.panels import SEED_CATEGORIES
from tongchou.experts.permissions import ART31, require_pool_manager


def categories_seed() -> int:
    """Creates the twelve seeded categories (idempotent; names already edited are kept)."""
    created = 0
    for order, (code, name) in enumerate(SEED_CATEGORIES, start=1):
        _, was_created = Category.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})
        created += int(was_created)
    return created


def category_save(*, code: str, name: str, is_active: bool = True, actor: User) -> Category:
    require_pool_manager(actor, "维护专家类别")
    code, name = code.strip(), name.strip()
    if not code or not name:
        raise DomainError("类别代码和名称均不能为空", field="code" if not code else "name")
    with transaction.atomic():
        try:
            with transaction.atomic():
                category, created = Category.objects.update_or_create(
                    code=code, defaults={"name": name, "is_active": is_active}
                )
        except IntegrityError:
            raise Conflict(f"类别名称“{name}”已被其他类别使用", field="name") from None
        audit_record(
            event="expert_category.created" if created else "expert_category.updated",
            actor=actor, target=category, data={"code": code, "name": name, "is_active": is_active},
        )
    return category


@dataclass
class ExpertData:
    code: str
    name: str
    title: str
    title_level: str
    years: int
    employer: str
    categories: list[str]
    phone: str = ""
    id_number: str = ""
    status: str = ExpertStatus.ACTIVE
    available: bool = True
    former_employers: list[tuple[str, date]] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    user_id: int | None = None


def expert_data_problems(data: ExpertData) -> list[tuple[str, str]]:
    """(field, Chinese problem) for every rule the data breaks; empty when it may enter the pool."""
    problems: list[tuple[str, str]] = []
    if not data.code.strip():
        problems.append(("code", "专家编号不能为空"))
    if not data.name.strip():
        problems.append(("name", "姓名不能为空"))
    if not data.employer.strip():
        problems.append(("employer", "工作单位不能为空"))
    if data.title_level not in TitleLevel.values:
        problems.append(("title_level", "职称级别应为 正高级、副高级、中级 或 初级及以下"))
    elif data.years < 0 or data.years > 80:
        problems.append(("years", "从业年限应在 0–80 之间"))
    elif problem := entry_rule_problem(data.title_level, data.years):
        problems.append(("title_level", problem))
    if data.status not in ExpertStatus.values:
        problems.append(("status", "状态应为 在库、暂停 或 退出"))
    if not data.categories:
        problems.append(("categories", "至少选择一个专业类别"))
    else:
        known = set(Category.objects.filter(code__in=data.categories).values_list("code", flat=True))
        unknown = [c for c in data.categories if c not in known]
        if unknown:
            problems.append(("categories", f"未知的专业类别：{'、'.join(unknown)}"))
    if problem := phone_problem(data.phone):
        problems.append(("phone", problem))
    if problem := id_number_problem(data.id_number):
        problems.append(("id_number", problem))
    for org, _until in data.former_employers:
        if not org.strip():
            problems.append(("former_employers", "曾任职单位名称不能为空"))
    return problems


def _check_user_link(data: ExpertData, expert: Expert | None) -> User | None:
    if data.user_id is None:
        return None
    user = User.objects.filter(pk=data.user_id).first()
    if user is None or user.role != Role.EXPERT:
        raise DomainError("关联的登录账号必须是“专家”角色的账号", field="user_id", article=ART31)
    others = Expert.objects.filter(user=user)
    if expert is not None and expert.pk is not None:
        others = others.exclude(pk=expert.pk)
    taken = others.first()
    if taken:
        raise Conflict(f"该账号已关联专家 {taken}", field="user_id")
    return user


def _apply(expert: Expert, data: ExpertData, user: User | None) -> None:
    expert.code = data.code.strip()
    expert.name = data.name.strip()
    expert.title = data.title.strip()
    expert.title_level = data.title_level
    expert.years = data.years
    expert.employer = data.employer.strip()
    expert.phone = data.phone
    expert.id_number = data.id_number
    expert.status = data.status
    expert.available = data.available
    expert.user = user


def _replace_relations(expert: Expert, data: ExpertData) -> None:
    expert.categories.set(Category.objects.filter(code__in=data.categories))
    expert.former_employers.all().delete()
    FormerEmployer.objects.bulk_create(
        [FormerEmployer(expert=expert, org=org.strip(), until=until) for org, until in data.former_employers]
    )
    expert.declared_conflicts.all().delete()
    DeclaredConflict.objects.bulk_create(
        [DeclaredConflict(expert=expert, org=org.strip()) for org in data.conflicts if org.strip()]
    )


def _refuse(problems: list[tuple[str, str]]) -> None:
    if problems:
        field_name, message = problems[0]
        extra = f"（另有 {len(problems) - 1} 处问题）" if len(problems) > 1 else ""
        raise DomainError(f"{message}{extra}", field=field_name, article=ART31, code="invalid")


def _audit_view(expert: Expert) -> dict[str, Any]:
    """What the audit keeps of an expert: never the phone or ID number."""
    return {
        "code": expert.code, "name": expert.name, "status": expert.status, "available": expert.available,
        "title_level": expert.title_level, "years": expert.years, "employer": expert.employer,
    }


def expert_save(*, data: ExpertData, actor: User, expert: Expert | None = None, version: int | None = None) -> Expert:
    """Creates an expert, or updates `expert` when given (optimistic `version` check)."""
    require_pool_manager(actor, "维护专家信息")
    _refuse(expert_data_problems(data))
    with transaction.atomic():
        user = _check_user_link(data, expert)
        before = None
        if expert is None:
            if Expert.objects.filter(code=data.code.strip()).exists():
                raise Conflict(f"专家编号 {data.code} 已存在", field="code")
            expert = Expert()
        else:
            expert = Expert.objects.select_for_update().get(pk=expert.pk)
            if version is not None and version != expert.version:
                raise Conflict("该专家信息已被他人修改，请刷新后重试", code="stale_version")
            before = _audit_view(expert)
            expert.version += 1
        _apply(expert, data, user)
        try:
            with transaction.atomic():
                expert.save()
        except IntegrityError:
            raise Conflict(f"专家编号 {data.code} 已存在", field="code") from None
        _replace_relations(expert, data)
        audit_record(
            event="expert.created" if before is None else "expert.updated",
            actor=actor, target=expert, data={"before": before, "after": _audit_view(expert),
                                              "categories": sorted(data.categories)},
        )
    return expert


def expert_set_status(*, expert: Expert, status: str, reason: str, actor: User) -> Expert:
    require_pool_manager(actor, "调整专家状态")
    if status not in ExpertStatus.values:
        raise DomainError("状态应为 active、suspended 或 retired", field="status")
    if not reason.strip():
        raise DomainError("请填写调整原因", field="reason", article=ART31)
    with transaction.atomic():
        expert = Expert.objects.select_for_update().get(pk=expert.pk)
        before = expert.status
        expert.status = status
        if status != ExpertStatus.ACTIVE:
            expert.suspension_proposed = False
        expert.version += 1
        expert.save(update_fields=["status", "suspension_proposed", "version", "updated_at"])
        audit_record(event="expert.status_changed", actor=actor, target=expert,
                     data={"before": before, "after": status, "reason": reason})
    return expert


def expert_contact_view(*, expert: Expert, actor: User) -> dict[str, str]:
    """The full phone and ID number, for the bureau's pool managers only; every view is audited."""
    require_pool_manager(actor, "查看专家的联系方式和身份证号")
    with transaction.atomic():
        audit_record(event="expert.personal_data_viewed", actor=actor, target=expert,
                     data={"fields": ["phone", "id_number"]})
    return {"phone": expert.phone or "", "id_number": expert.id_number or ""}


def fee_rate_save(
    *, effective_from: date, half_day: Decimal, hourly_extra: Decimal, daily_cap: Decimal, actor: User
) -> FeeRate:
    require_pool_manager(actor, "设置专家费标准")
    for name, value in (("half_day", half_day), ("hourly_extra", hourly_extra), ("daily_cap", daily_cap)):
        if value < 0:
            raise DomainError("金额不能为负数", field=name)
    if daily_cap < half_day:
        raise DomainError("每日封顶不应低于半天的标准", field="daily_cap")
    with transaction.atomic():
        rate, created = FeeRate.objects.update_or_create(
            effective_from=effective_from,
            defaults={"half_day": half_day, "hourly_extra": hourly_extra, "daily_cap": daily_cap},
        )
        audit_record(event="expert_fee_rate.saved", actor=actor, target=rate,
                     data={"effective_from": effective_from, "half_day": half_day,
                           "hourly_extra": hourly_extra, "daily_cap": daily_cap, "created": created})
    return rate
