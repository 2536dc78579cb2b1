"""The .xlsx reports: yearly plan, approvals, O&M budget, performance results, expert fees.

Each report is a header and a row stream over the projects the requester may see; `write_table` writes
every string through `write_safe`, so a cell beginning with = + - @ stays text.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, QuerySet

from tongchou.accounts.models import Level
from tongchou.core_errors import DomainError
from tongchou.projects.models import Category, ProjectType, ReviewPath, Status, Support
from tongchou.reports.figures import Scope

Progress = Callable[[int], None]


@dataclass
class Report:
    title: str
    headers: list[str]
    queryset: QuerySet
    row: Callable[[dict[str, Any]], list[Any]]

    def rows(self, progress: Progress | None = None) -> Iterator[list[Any]]:
        done = 0
        for record in self.queryset.iterator(chunk_size=2000):
            done += 1
            if progress and done % 2000 == 0:
                progress(done)
            yield self.row(record)
        if progress:
            progress(done)


def _labels(choices: Any) -> dict[str, str]:
    return {k: str(v) for k, v in choices}


STATUS, PATH, SUPPORT = _labels(Status.choices), _labels(ReviewPath.choices), _labels(Support.choices)
LEVEL, TYPE, CATEGORY = _labels(Level.choices), _labels(ProjectType.choices), _labels(Category.choices)


def plan_report(scope: Scope) -> Report:
    """The yearly plan: the year's projects that have left the drafts (the register is the plan once the
    demand app's plan has become draft applications), with each one's management mode (Art. 3)."""
    from tongchou.portfolio.choices import ManagementMode
    from tongchou.portfolio.selectors import UNCLASSIFIED_LABEL

    modes = _labels(ManagementMode.choices)
    qs = (scope.submitted().exclude(status=Status.WITHDRAWN)
          .values("code", "name", "unit__name", "level", "year", "project_type", "category", "portfolio_mode__mode",
                  "construction_cost", "annual_om_cost", "review_path", "support", "status")
          .order_by("unit__name", "code"))

    def row(r: dict[str, Any]) -> list[Any]:
        return [r["code"], r["name"], r["unit__name"], LEVEL.get(r["level"], r["level"]), r["year"],
                TYPE.get(r["project_type"], ""), CATEGORY.get(r["category"], ""),
                modes.get(r["portfolio_mode__mode"] or "", UNCLASSIFIED_LABEL), r["construction_cost"],
                r["annual_om_cost"], PATH.get(r["review_path"], ""), SUPPORT.get(r["support"], ""),
                STATUS.get(r["status"], r["status"])]

    return Report("年度项目计划", ["项目编号", "项目名称", "建设单位", "层级", "预算年度", "项目类型", "项目类别",
                  "管理模式（第三条）", "项目资金（元）", "年度运维经费（元）", "审查路径", "支持意见", "状态"], qs, row)


def approvals_report(scope: Scope) -> Report:
    from tongchou.reviews.models import ProjectApproval

    qs = (ProjectApproval.objects.filter(project__in=scope.projects())
          .annotate(requested=F("project__construction_cost"))
          .values("project__code", "project__name", "project__unit__name", "project__year", "doc_number",
                  "approval_date", "requested", "approved_amount", "procurement_deadline")
          .order_by("approval_date", "id"))

    def row(r: dict[str, Any]) -> list[Any]:
        return [r["project__code"], r["project__name"], r["project__unit__name"], r["project__year"],
                r["doc_number"], r["approval_date"], r["requested"], r["approved_amount"],
                r["requested"] - r["approved_amount"], r["procurement_deadline"]]

    return Report("立项批复情况", ["项目编号", "项目名称", "建设单位", "预算年度", "批复文号", "批复日期",
                  "申报金额（元）", "批复金额（元）", "核减金额（元）", "启动政府采购期限"], qs, row)


def om_budget_report(scope: Scope) -> Report:
    from tongchou.delivery.models import OMFundingRequest, OMRequestStatus

    qs = OMFundingRequest.objects.filter(project__in=projects_any_year(scope))
    if scope.year:
        qs = qs.filter(year=scope.year)
    rows = (qs.annotate(cost=F("project__construction_cost"))
          .values("project__code", "project__name", "project__unit__name", "year", "cost", "amount",
                  "cap_exceeded", "eligible", "status", "granted_amount").order_by("year", "project__code"))
    statuses = _labels(OMRequestStatus.choices)

    def row(r: dict[str, Any]) -> list[Any]:
        ratio = (r["amount"] / r["cost"] * 100).quantize(Decimal("0.01")) if r["cost"] else None
        return [r["project__code"], r["project__name"], r["project__unit__name"], r["year"], r["cost"], r["amount"],
                ratio, "是" if r["cap_exceeded"] else "否", "是" if r["eligible"] else "否",
                statuses.get(r["status"], r["status"]), r["granted_amount"]]

    return Report("运维经费预算", ["项目编号", "项目名称", "建设单位", "运维年度", "建设成本（元）", "申请金额（元）",
                  "占建设成本（%）", "超过上限", "符合安排条件", "状态", "安排金额（元）"], rows, row)


def projects_any_year(scope: Scope) -> QuerySet:
    """O&M years and budget years are not the project's year: filter by the request's year instead."""
    return Scope(scope.user, None, scope.today).submitted()


def performance_report(scope: Scope) -> Report:
    from tongchou.delivery.models.performance import PerformanceReport

    qs = PerformanceReport.objects.filter(project__in=projects_any_year(scope))
    if scope.year:
        qs = qs.filter(year=scope.year)
    rows = qs.values("project__code", "project__name", "project__unit__name", "kind", "year", "period", "due_on",
                     "submitted_on", "budget", "spent", "score_total", "grade").order_by("year", "project__code", "id")
    kinds = _labels(PerformanceReport.Kind.choices)

    def row(r: dict[str, Any]) -> list[Any]:
        return [r["project__code"], r["project__name"], r["project__unit__name"], kinds.get(r["kind"], r["kind"]),
                r["year"], r["period"], r["due_on"], r["submitted_on"], r["budget"], r["spent"], r["score_total"],
                r["grade"]]

    return Report("绩效评价结果", ["项目编号", "项目名称", "建设单位", "类型", "年度", "期间", "截止日期", "报送日期",
                  "预算数（元）", "执行数（元）", "总分", "等级"], rows, row)


def expert_fees_report(scope: Scope) -> Report:
    from tongchou.experts.models import FeeEntry, Purpose
    from tongchou.experts.permissions import ART31, is_pool_manager

    if not is_pool_manager(scope.user):
        raise DomainError("专家费台账只有数字化发展局可以导出", code="forbidden", article=ART31, status=403,
                          hint="请联系州数字化发展局")
    qs = FeeEntry.objects.all()
    if scope.year:
        qs = qs.filter(year=scope.year)
    rows = qs.values("expert__code", "expert__name", "year", "service_date", "purpose", "minutes", "amount",
                     "payer").order_by("year", "expert__code", "service_date", "id")
    purposes = _labels(Purpose.choices)

    def row(r: dict[str, Any]) -> list[Any]:
        return [r["expert__code"], r["expert__name"], r["year"], r["service_date"], purposes.get(r["purpose"], ""),
                r["minutes"], r["amount"], r["payer"]]

    return Report("专家费", ["专家编号", "专家姓名", "年度", "服务日期", "用途", "时长（分钟）", "金额（元）", "支付单位"],
                  rows, row)


REPORTS: dict[str, Callable[[Scope], Report]] = {
    "plan": plan_report,
    "approvals": approvals_report,
    "om_budget": om_budget_report,
    "performance": performance_report,
    "expert_fees": expert_fees_report,
}

