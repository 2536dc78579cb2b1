"""Art. 28: the construction funds of prefecture-level infrastructure, support-platform and cross-department
shared public projects go into the prefecture digital development bureau's budget (纳入州数字化发展局预算).
The rule gives the default budget holder (预算单位); finance sees it with the budget and may override it
with a reason, audited (ADR 0212)."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import Level, MemberRole, Organisation
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError
from tongchou.lifecycle.permissions import records_member_decision
from tongchou.portfolio.choices import ManagementMode
from tongchou.portfolio.models import BudgetHolder, ProjectMode, SharedProject
from tongchou.projects.models import PriorityBasis, Project

ARTICLE = "第二十八条"
HOLDERS = ("unit", "bureau")


def prefecture_bureau() -> Organisation | None:
    return Organisation.objects.filter(member_role=MemberRole.DIGITAL_BUREAU).order_by("id").first()


def bureau_budget_basis(project: Project) -> str:
    """Why Art. 28 puts the project in the bureau's budget, or "" where it does not: a 州级 project that is
    统一建设 (Art. 3: 基础性、全局性、复用性公共系统), a 基础性资源共享项目 (infrastructure or support platform,
    Art. 13(一)), or a 共建共享 project others join (Art. 6)."""
    if project.level != Level.PREFECTURE:
        return ""
    mode = ProjectMode.objects.filter(project=project).first()
    if mode is not None and (mode.confirmed_mode or mode.mode) == ManagementMode.UNIFIED:
        return "统一建设·统筹管理项目（第三条）"
    if PriorityBasis.SHARED_INFRASTRUCTURE in (project.priority_basis or []):
        return "基础性资源共享项目（基础设施、支撑平台类）"
    if SharedProject.objects.filter(parent=project).exists():
        return "共建共享项目（第六条）"
    return ""


def budget_holder_of(project: Project) -> dict[str, Any]:
    """The budget holder now: finance's override where recorded, else the rule's default."""
    basis = bureau_budget_basis(project)
    bureau = prefecture_bureau() if basis else None
    default = bureau or project.unit
    row = BudgetHolder.objects.filter(project=project).select_related("holder", "set_by").first()
    holder = row.holder if row else default
    return {
        "holder": holder.name, "holder_id": holder.pk, "is_bureau": bureau is not None and holder.pk == bureau.pk,
        "default": default.name, "default_basis": (f"{basis}：建设经费纳入州数字化发展局预算（{ARTICLE}）" if bureau
                                                  else "由项目建设单位列入本单位预算"),
        "overridden": row is not None, "reason": row.reason if row else "",
        "set_by": (row.set_by.display_name or row.set_by.username) if row else None,
        "set_at": row.set_at.isoformat() if row else None,
    }


def budget_holder_set(*, project: Project, actor: Any, holder: str, reason: str) -> dict[str, Any]:
    """Finance decides whose budget the construction funds are in, with a reason (Art. 28)."""
    if not records_member_decision(actor, project, MemberRole.FINANCE):
        raise DomainError("只有州财政局可以调整预算单位（第二十八条）。", code="forbidden", article=ARTICLE, status=403)
    if holder not in HOLDERS:
        raise DomainError("请选择预算单位：项目建设单位或州数字化发展局。", code="invalid", field="holder", article=ARTICLE)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("调整预算单位时请写明理由。", code="required", field="reason", article=ARTICLE)
    if holder == "bureau" and project.level != Level.PREFECTURE:
        raise DomainError("只有州级项目的建设经费可纳入州数字化发展局预算（第二十八条）；县市、园区项目由本级预算安排。",
                          code="invalid", field="holder", article=ARTICLE)
    bureau = prefecture_bureau()
    if holder == "bureau" and bureau is None:
        raise DomainError("系统中没有州数字化发展局，无法列入其预算。", code="invalid", field="holder", article=ARTICLE)
    org = bureau if holder == "bureau" else project.unit
    assert org is not None
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        before = budget_holder_of(current)
        BudgetHolder.objects.update_or_create(project=current, defaults={
            "holder": org, "reason": reason[:2000], "set_by": actor, "set_at": timezone.now()})
        audit_record(event="portfolio.budget_holder", actor=actor, target=current,
                     data={"holder": [before["holder"], org.name], "default": before["default"], "reason": reason,
                           "article": ARTICLE})
    return budget_holder_of(project)
