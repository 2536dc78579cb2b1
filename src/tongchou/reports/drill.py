"""The lists behind the figures that the register list cannot show (opinions, deadlines, O&M)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from tongchou.accounts.models import MemberRole
from tongchou.core_errors import NotFound
from tongchou.reports.figures import Scope

LIMIT = 500


@dataclass
class DrillList:
    title: str
    headers: list[str]
    rows: list[list[Any]]
    links: list[str]
    truncated: bool


def _project_link(pk: int) -> str:
    return reverse("projects:detail", args=[pk])


def _finish(title: str, headers: list[str], rows: list[list[Any]], links: list[str]) -> DrillList:
    truncated = len(rows) > LIMIT
    return DrillList(title, headers, rows[:LIMIT], links[:LIMIT], truncated)


def drill_cycle_times(scope: Scope, member: str) -> DrillList:
    from tongchou.calendar.rules import working_days_between
    from tongchou.calendar.selectors import calendar_load
    from tongchou.reviews.models import Opinion

    if member not in MemberRole.values:
        raise NotFound()
    cal = calendar_load()
    rows, links = [], []
    qs = (Opinion.objects.filter(round__project__in=scope.projects(), member=member)
          .values("round__project_id", "round__project__code", "round__project__name", "task__opened_on",
                  "submitted_at", "task__paused_working_days").order_by("-submitted_at")[: LIMIT + 1])
    for r in qs:
        day = timezone.localtime(r["submitted_at"]).date()
        days = max(working_days_between(cal, r["task__opened_on"], day).days - r["task__paused_working_days"], 0)
        rows.append([r["round__project__code"], r["round__project__name"], r["task__opened_on"], day,
                     r["task__paused_working_days"], days])
        links.append(_project_link(r["round__project_id"]))
    return _finish(f"{dict(MemberRole.choices)[member]}：已出具意见的审查用时",
                   ["项目编号", "项目名称", "任务开始", "出具意见", "补正暂停（工作日）", "用时（工作日）"], rows, links)


def drill_overdue(scope: Scope, org_id: str) -> DrillList:
    from tongchou.obligations.models import OPEN_STATUSES
    from tongchou.obligations.selectors import obligations_visible_to

    try:
        org = int(org_id)
    except ValueError:
        raise NotFound() from None
    qs = (obligations_visible_to(scope.user)
          .filter(project__in=scope.projects(), status__in=OPEN_STATUSES, due_date__lt=scope.as_of,
                  responsible_org_id=org).order_by("due_date", "id")[: LIMIT + 1])
    rows, links, name = [], [], ""
    for o in qs:
        name = o.responsible_org.name
        rows.append([o.project.code, o.project.name, o.title, o.article, o.due_date, (scope.as_of - o.due_date).days])
        links.append(_project_link(o.project_id))
    return _finish(f"{name or '责任单位'}：逾期未办事项",
                   ["项目编号", "项目名称", "事项", "依据条款", "到期日", "逾期天数"], rows, links)


def drill_om(scope: Scope, year: str) -> DrillList:
    from tongchou.delivery.models import OMFundingRequest

    try:
        value = int(year)
    except ValueError:
        raise NotFound() from None
    qs = (OMFundingRequest.objects.filter(project__in=scope.projects(), year=value)
          .annotate(cost=F("project__construction_cost"))
          .select_related("project").order_by("-amount", "id")[: LIMIT + 1])
    rows, links = [], []
    for r in qs:
        rows.append([r.project.code, r.project.name, r.cost, r.amount, "是" if r.cap_exceeded else "否",
                     r.get_status_display(), r.granted_amount])
        links.append(_project_link(r.project_id))
    return _finish(f"{value} 年度运维经费申请",
                   ["项目编号", "项目名称", "建设成本（元）", "申请金额（元）", "超过上限", "状态", "安排金额（元）"],
                   rows, links)


DRILLS = {"cycle_times": drill_cycle_times, "overdue": drill_overdue, "om": drill_om}


def drill_get(scope: Scope, key: str, value: str) -> DrillList:
    if key not in DRILLS:
        raise NotFound()
    return DRILLS[key](scope, value)
