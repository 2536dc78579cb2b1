"""Art. 15: a fiscally funded project's money is either in the prefecture budget or decided at the
government's major fiscal expenditure meeting and the Party committee's finance and economics
commission. Finance or the project's authority records which; procurement waits for it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongchou.accounts.models import MemberRole, Role
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.lifecycle.guards import register_guard
from tongchou.lifecycle.permissions import is_project_authority
from tongchou.portfolio.choices import FundingRouteKind
from tongchou.portfolio.models import FundingRoute
from tongchou.projects.models import FundingSource, Project

ARTICLE = "第十五条"


def funding_route_applies(project: Project) -> bool:
    """Art. 15 speaks of projects whose money comes from the prefecture's fiscal funds (ADR 0103)."""
    return project.funding_source == FundingSource.PREFECTURE_FISCAL


def _may_record(actor: Any, project: Project) -> bool:
    org = getattr(actor, "organisation", None)
    if actor.role == Role.MEMBER_REVIEWER and org is not None and org.member_role == MemberRole.FINANCE:
        return True
    return is_project_authority(actor, project)


def may_record_funding_route(actor: Any, project: Project) -> bool:
    return _may_record(actor, project)


def _date(value: Any, field: str, label: str) -> dt.date:
    if not isinstance(value, dt.date):
        raise DomainError(f"请填写{label}。", code="required", field=field, article=ARTICLE)
    if value > timezone.localdate():
        raise DomainError(f"{label}不能晚于今天。", code="invalid", field=field, article=ARTICLE)
    return value


def funding_route_record(
    *,
    project: Project,
    actor: Any,
    route: str,
    budget_year: int | None = None,
    reference: str = "",
    meeting_name: str = "",
    meeting_date: dt.date | None = None,
    commission_date: dt.date | None = None,
) -> FundingRoute:
    if route not in FundingRouteKind.values:
        raise DomainError("请选择资金渠道：纳入州财政预算，或经重大财政支出专题会和州党委财经委员会审议。",
                          code="invalid", field="route", article=ARTICLE)
    reference = (reference or "").strip()[:100]
    meeting_name = (meeting_name or "").strip()[:200]
    fields: dict[str, Any] = {"route": route, "reference": reference}
    if route == FundingRouteKind.PREFECTURE_BUDGET:
        if not isinstance(budget_year, int) or isinstance(budget_year, bool) or not 2000 <= budget_year <= 2100:
            raise DomainError("请填写纳入州财政预算的预算年度。", code="required", field="budget_year", article=ARTICLE)
        fields["budget_year"] = budget_year
    else:
        fields["meeting_name"] = meeting_name or "州人民政府重大财政支出专题会"
        fields["meeting_date"] = _date(meeting_date, "meeting_date", "重大财政支出专题会日期")
        fields["commission_date"] = _date(commission_date, "commission_date", "州党委财经委员会审议日期")
    with transaction.atomic():
        current = Project.objects.select_for_update().select_related("unit").get(pk=project.pk)
        if not _may_record(actor, current):
            raise DomainError("只有州财政局或负责该项目的数字化发展局可以登记资金渠道。", code="forbidden",
                              article=ARTICLE, status=403)
        try:
            with transaction.atomic():
                record = FundingRoute.objects.create(project=current, recorded_by=actor,
                                                     recorded_at=timezone.now(), **fields)
        except IntegrityError as exc:
            raise Conflict("该项目的资金渠道已经登记。", code="duplicate", field="route", article=ARTICLE) from exc
        audit_record(event="portfolio.funding_route_record", actor=actor, target=current,
                     data={k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items()})
    return record


def procurement_needs_funding_route(project: Any, actor: Any, context: dict[str, Any]) -> DomainError | None:
    if not funding_route_applies(project) or FundingRoute.objects.filter(project=project).exists():
        return None
    return DomainError(
        "不能启动政府采购：本项目资金来源于州本级财政，尚未登记资金渠道。依据第十五条，须按程序纳入州财政预算，"
        "或经州人民政府重大财政支出专题会和州党委财经委员会研究审议。",
        code="no_funding_route", article=ARTICLE, field="funding_route",
        hint="请州财政局或数字化发展局登记资金渠道（预算年度，或会议名称及日期）后再启动采购。",
    )


def register_guards() -> None:
    register_guard("start_procurement", procurement_needs_funding_route)
