"""Lifecycle guards owned by reviews (registered in ReviewsConfig.ready)."""

from __future__ import annotations

from typing import Any

from tongchou.core_errors import DomainError
from tongchou.lifecycle.guards import register_guard
from tongchou.reviews.models import (
    Conclusion,
    ConsolidatedOpinion,
    ConsolidatedStatus,
    ProjectApproval,
    ProjectBudget,
    ProjectRouting,
    ReviewPath,
)


def _path(project: Any) -> str | None:
    return ProjectRouting.objects.filter(project=project).values_list("review_path", flat=True).first()


def _issued_opinion(project: Any) -> ConsolidatedOpinion | None:
    latest = project.review_rounds.order_by("-number").first()
    if latest is None:
        return None
    return ConsolidatedOpinion.objects.filter(round=latest, status=ConsolidatedStatus.ISSUED).first()


def issue_opinion_needs_consolidated(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    if _issued_opinion(project) is None:
        return DomainError("尚未印发行业主管部门审查意见，不能出具审查意见。", code="no_consolidated_opinion",
                           article="第十四条", hint="请在审查轮次页面综合各方意见并印发。")
    return None


def approve_needs_approval_record(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    if not ProjectApproval.objects.filter(project=project).exists():
        return DomainError("尚未登记发改委立项批复（文号、日期、批复金额）。", code="no_approval",
                           article="第十四条第（四）项", hint="请由州发改委登记立项批复。")
    opinion = _issued_opinion(project)
    if opinion is not None and opinion.conclusion == Conclusion.DISAGREE:
        return DomainError("行业主管部门审查意见为不同意，不能立项批复。", code="opinion_disagree", article="第十四条")
    return None


def file_needs_approval(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    if _path(project) == ReviewPath.SELF_PROCUREMENT:
        return None
    if not ProjectApproval.objects.filter(project=project).exists():
        return DomainError("项目尚未完成立项批复，不能报备。", code="no_approval", article="第十八条")
    return None


def start_procurement_needs_opinion_approval_budget(
    project: Any, actor: Any, context: dict[str, Any]
) -> DomainError | None:
    """Art. 21: tender on the bureau's opinion, the NDRC approval and the finance budget. A
    self-procurement project (Art. 16) has no opinion; its registration stands for the approval."""
    missing = []
    if _path(project) != ReviewPath.SELF_PROCUREMENT:
        if _issued_opinion(project) is None:
            missing.append("行业主管部门审查意见")
        if not ProjectApproval.objects.filter(project=project).exists():
            missing.append("发改委立项批复")
    if not ProjectBudget.objects.filter(project=project).exists():
        missing.append("财政预算批复")
    if missing:
        return DomainError(f"启动政府采购前须取得{'、'.join(missing)}。", code="prerequisites_missing",
                           article="第二十一条", hint="请相关单位在统筹中登记后再启动采购。")
    return None


def register() -> None:
    register_guard("issue_opinion", issue_opinion_needs_consolidated)
    register_guard("approve", approve_needs_approval_record)
    register_guard("file", file_needs_approval)
    register_guard("start_procurement", start_procurement_needs_opinion_approval_budget)
