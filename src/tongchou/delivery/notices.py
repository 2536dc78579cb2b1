"""Who is told about delivery steps that wait on a member unit (ADR 0167): the development and reform
commission about an acceptance application (Art. 24), finance about an O&M funding request (Art. 24, 29,
30) and a performance report (Art. 25). In-app rows in the caller's transaction, mail after commit."""

from __future__ import annotations

from typing import Any

from tongchou.accounts.models import Level, MemberRole, OrgKind, Role, User
from tongchou.delivery.rules.execution import overspend_warning
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify
from tongchou.reviews.notices import member_users, unit_users


def decider_users(member: str, project: Any) -> list[User]:
    """Who decides next: the prefecture member unit's reviewers, or for a county project the county bureau's
    lead, who records the county offices' decisions (Art. 19, 36; ADR 0190)."""
    if project.level != Level.COUNTY:
        return member_users(member, project)
    users = User.objects.filter(organisation__kind=OrgKind.BUREAU, organisation__level=Level.COUNTY,
                                organisation__jurisdiction=project.unit.jurisdiction, role=Role.BUREAU_LEAD,
                                is_active=True)
    if project.classified:
        users = users.filter(classified_access=True)
    return list(users.order_by("id"))


def _label(project: Any) -> str:
    return f"{project.code}《{project.name}》"


def _link(project: Any) -> str:
    return f"/projects/{project.pk}/delivery/"


def notify_acceptance_applied(acceptance: Any) -> None:
    project = acceptance.project
    notify(users=decider_users(MemberRole.DEVELOPMENT_REFORM, project), kind=Kind.INFO, link=_link(project),
           subject=f"竣工验收申请：{_label(project)}",
           body=f"{project.unit}于 {acceptance.applied_on:%Y年%m月%d日} 提交竣工验收申请和验收报告。请组建验收委员会"
                "并组织验收（第二十四条）。")


def notify_om_requested(request: Any) -> None:
    project = request.project
    verdict = "评估符合安排条件" if request.eligible else "评估不符合安排条件，不得安排（第二十四条、第三十条）"
    notify(users=decider_users(MemberRole.FINANCE, project), kind=Kind.INFO, link=_link(project),
           subject=f"运维经费申请：{_label(project)}（{request.year}年度）",
           body=f"{project.unit}申请{request.year}年度运维经费 {request.amount} 元，{verdict}。"
                "请在项目实施页面作出决定（第二十九条、第三十条）。")


def notify_performance_reported(report: Any) -> None:
    project = report.project
    period = f"{report.year}年度{report.period}" if report.period else f"{report.year}年度"
    warning = overspend_warning(report.budget, report.spent)
    notify(users=decider_users(MemberRole.FINANCE, project), kind=Kind.INFO, link=_link(project),
           subject=f"绩效报告已报送：{_label(project)}（{period}{report.get_kind_display()}）"
                   + (f"，{warning}" if warning else ""),
           body=f"{project.unit}已于 {report.submitted_on:%Y年%m月%d日} 报送{period}{report.get_kind_display()}"
                "（第二十五条）。" + (f"\n请注意：{warning}（预算数 {report.budget:,.2f} 元，执行数 "
                                     f"{report.spent:,.2f} 元），审核时请核实。" if warning else ""))


def notify_performance_reviewed(report: Any) -> None:
    """The unit learns finance's review of its report; a returned one with the reasons to correct."""
    project = report.project
    period = f"{report.year}年度{report.period}" if report.period else f"{report.year}年度"
    what = f"{period}{report.get_kind_display()}"
    if report.review_status == "returned":
        subject = f"绩效报告被退回：{_label(project)}（{what}）"
        body = f"{what}已被退回修改（第二十五条）。退回理由：{report.review_note}\n请修改后在项目实施页面的“绩效管理”中重新报送。"
    else:
        subject = f"绩效报告审核通过：{_label(project)}（{what}）"
        body = f"{what}已审核通过（第二十五条）。" + (f"审核意见：{report.review_note}" if report.review_note else "")
    notify(users=unit_users(project), kind=Kind.INFO, link=_link(project), subject=subject, body=body)
