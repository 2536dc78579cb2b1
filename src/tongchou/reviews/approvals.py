"""立项批复 by the development and reform commission, the budget by finance (field rules), and the
unit's filing with the bureau (Art. 18, 21, 26)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from tongchou.accounts.models import MemberRole
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.lifecycle.services import project_transition
from tongchou.projects.models import FundingSource, Project, Status
from tongchou.reviews.access import require_field_owner
from tongchou.reviews.ceilings import APPROVAL_ARTICLE, BUDGET_ARTICLE, ceiling_refusal, reviewed_amount, yuan
from tongchou.reviews.deadlines import art26_deadline, run_approval_hooks
from tongchou.reviews.models import (
    ConsolidatedOpinion,
    ConsolidatedStatus,
    ProjectApproval,
    ProjectBudget,
    ReviewPath,
)
from tongchou.reviews.notices import notify_approved, notify_budget_awaited
from tongchou.reviews.obligations_link import approval_obligations_open, filing_obligation_fulfil


def _amount(value: Any, field: str, label: str) -> Decimal:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise DomainError(f"{label}须为金额（元）。", code="invalid", field=field) from exc
    if not amount.is_finite() or amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise DomainError(f"{label}须为大于零、最多两位小数的金额（元）。", code="invalid", field=field)
    if amount >= Decimal("1e12"):
        raise DomainError(f"{label}超出范围。", code="invalid", field=field)
    return amount


def _is_self_procurement(project: Project) -> bool:
    routing = getattr(project, "routing", None)
    return routing is not None and routing.review_path == ReviewPath.SELF_PROCUREMENT


def _approval_within_review(project: Project, amount: Decimal) -> None:
    """Art. 14, 17: the approval follows the review's 核定 amount. The consolidated opinion records no
    adopted 投资核减, so that is the 项目资金 (`ceilings` module docstring)."""
    cost = project.construction_cost or Decimal(0)
    ceiling = reviewed_amount(construction_cost=cost, adopted_reduction=None)
    refusal = ceiling_refusal(
        amount=amount, ceiling=ceiling, what="批复金额", ceiling_label="审查核定金额",
        basis=f"即项目资金 {yuan(cost)}，审查意见未核减投资；依据{APPROVAL_ARTICLE}，立项批复金额以联合会审核定的金额为限")
    if refusal:
        raise DomainError(refusal, code="over_ceiling", field="approved_amount", article=APPROVAL_ARTICLE,
                          status=422)


def _budget_within_approval(project: Project, amount: Decimal) -> None:
    """Art. 14(5), 21: finance budgets what was approved — all budget years together. Before an approval
    (a budget recorded while the approval is pending, or self-procurement, Art. 16) the review's ceiling."""
    approval = ProjectApproval.objects.filter(project=project).first()
    already = ProjectBudget.objects.filter(project=project).aggregate(total=Sum("amount"))["total"] or Decimal(0)
    if approval is not None:
        ceiling, label = approval.approved_amount, "立项批复金额"
        basis = f"立项批复 {approval.doc_number}；依据{BUDGET_ARTICLE}，预算按立项批复金额安排"
    else:
        cost = project.construction_cost or Decimal(0)
        ceiling, label = reviewed_amount(construction_cost=cost), "审查核定金额"
        basis = f"尚未登记立项批复，以项目资金 {yuan(cost)} 为限；依据{BUDGET_ARTICLE}"
    refusal = ceiling_refusal(amount=amount, ceiling=ceiling, already=already, what="预算金额",
                              ceiling_label=label, basis=basis)
    if refusal:
        raise DomainError(refusal, code="over_ceiling", field="amount", article=BUDGET_ARTICLE, status=422)


def approval_record(
    *, project: Project, actor: Any, doc_number: str, approval_date: date, approved_amount: Any
) -> ProjectApproval:
    doc_number = (doc_number or "").strip()
    if not doc_number:
        raise DomainError("请填写立项批复文号。", code="required", field="doc_number")
    amount = _amount(approved_amount, "approved_amount", "批复金额")
    today = timezone.localdate()
    if approval_date > today:
        raise DomainError("批复日期不能晚于今天。", code="invalid", field="approval_date")
    with transaction.atomic():
        current = Project.objects.select_for_update().select_related("unit").get(pk=project.pk)
        require_field_owner(actor, current, MemberRole.DEVELOPMENT_REFORM, "立项批复", "第十四条第（四）项")
        self_procured = _is_self_procurement(current)
        if current.status == Status.OPINION_ISSUED:
            opinion = (ConsolidatedOpinion.objects.filter(round__project=current, status=ConsolidatedStatus.ISSUED)
                       .order_by("-issued_at").first())
            if opinion is not None and opinion.issued_on and approval_date < opinion.issued_on:
                raise DomainError(f"批复日期不能早于审查意见印发日期（{opinion.issued_on:%Y-%m-%d}）。",
                                  code="invalid", field="approval_date", article="第二十一条")
        elif not (self_procured and current.status == Status.APPROVED):
            raise Conflict(f"项目当前状态为「{Status(current.status).label}」，须在出具审查意见后登记立项批复。",
                           code="invalid_state", article="第十四条")
        _approval_within_review(current, amount)
        try:
            with transaction.atomic():
                approval = ProjectApproval.objects.create(
                    project=current, doc_number=doc_number, approval_date=approval_date, approved_amount=amount,
                    procurement_deadline=art26_deadline(approval_date), recorded_by=actor,
                    recorded_at=timezone.now(),
                )
        except IntegrityError as exc:
            raise Conflict("该项目的立项批复已经登记。", code="duplicate") from exc
        audit_record(event="reviews.approval_record", actor=actor, target=current,
                     data={"doc_number": doc_number, "approval_date": approval_date.isoformat(),
                           "approved_amount": str(amount),
                           "procurement_deadline": approval.procurement_deadline.isoformat()})
        # The approval date is also an assessment fact (Art. 9, 26): it flows into the project.
        Project.objects.filter(pk=current.pk).update(approval_date=approval_date)
        if current.status == Status.OPINION_ISSUED:
            project_transition(project=current, action="approve", actor=actor, note=f"立项批复{doc_number}",
                               context={"approval": approval})
        approval_obligations_open(approval, actor=actor)
        run_approval_hooks(approval)
        notify_approved(approval)
        notify_budget_awaited(approval)
    return approval


def budget_record(*, project: Project, actor: Any, year: int, amount: Any, source: str) -> ProjectBudget:
    value = _amount(amount, "amount", "预算金额")
    if source not in FundingSource.values:
        raise DomainError("请选择资金来源。", code="invalid", field="source")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError("预算年度无效。", code="invalid", field="year")
    with transaction.atomic():
        current = Project.objects.select_for_update().select_related("unit").get(pk=project.pk)
        require_field_owner(actor, current, MemberRole.FINANCE, "预算安排", "第十五条、第二十一条")
        if current.status not in (Status.OPINION_ISSUED, Status.APPROVED, Status.FILED):
            raise Conflict(f"项目当前状态为「{Status(current.status).label}」，不能登记预算。", code="invalid_state",
                           article="第二十一条")
        _budget_within_approval(current, value)
        try:
            with transaction.atomic():
                budget = ProjectBudget.objects.create(project=current, year=year, amount=value, source=source,
                                                      recorded_by=actor, recorded_at=timezone.now())
        except IntegrityError as exc:
            raise Conflict(f"该项目{year}年度预算已经登记。", code="duplicate", field="year") from exc
        from tongchou.portfolio.budget_holder import budget_holder_of

        holder = budget_holder_of(current)  # Art. 28: whose budget the construction funds are in
        audit_record(event="reviews.budget_record", actor=actor, target=current,
                     data={"year": year, "amount": str(value), "source": source, "budget_holder": holder["holder"],
                           "budget_holder_overridden": holder["overridden"]})
    return budget


def project_file(*, project: Project, actor: Any) -> Project:
    """Art. 18: the unit files the approved project with the digital bureau; the filing obligation
    opened by the approval is fulfilled in the same transaction."""
    with transaction.atomic():
        filed = project_transition(project=project, action="file", actor=actor, note="向数字化发展部门报备（第十八条）")
        filing_obligation_fulfil(filed, actor=actor)
    return filed
