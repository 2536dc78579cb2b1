"""Who is told about review steps (in-app notifications, mail on commit via `notifications.notify`)."""

from __future__ import annotations

from typing import Any

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES, Level, MemberRole, OrgKind, Role, User
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify


def task_writers(task: Any) -> list[User]:
    org = task.reviewer_org
    roles = list(BUREAU_ROLES) if org.kind == OrgKind.BUREAU else [Role.MEMBER_REVIEWER]
    return list(User.objects.filter(organisation=org, role__in=roles, is_active=True).order_by("id"))


def unit_users(project: Any) -> list[User]:
    return list(User.objects.filter(organisation_id=project.unit_id, role__in=UNIT_ROLES, is_active=True))


def authority_users(review_round: Any) -> list[User]:
    return list(User.objects.filter(organisation_id=review_round.authority_id, role__in=BUREAU_ROLES,
                                    is_active=True))


def member_users(member: str, project: Any) -> list[User]:
    """The reviewers of a prefecture member unit who decide on this project next (ADR 0167). None for a
    county project (the county bureau records for the county's offices, Art. 19, 36); a classified
    project's name reaches only those entitled to see it."""
    if project.level == Level.COUNTY:
        return []
    users = User.objects.filter(organisation__kind=OrgKind.MEMBER_UNIT, organisation__member_role=member,
                                role=Role.MEMBER_REVIEWER, is_active=True)
    if project.classified:
        users = users.filter(classified_access=True)
    return list(users.order_by("id"))


def _label(project: Any) -> str:
    return f"{project.code}《{project.name}》"


def round_link(review_round: Any) -> str:
    return f"/reviews/rounds/{review_round.pk}/"


def notify_round_opened(review_round: Any) -> None:
    for task in review_round.tasks.select_related("reviewer_org").all():
        notify(users=task_writers(task), kind=Kind.INFO, link=round_link(review_round),
               subject=f"新的审查任务：{_label(review_round.project)}（{task.get_member_display()}）",
               body=f"请于 {task.due_date:%Y年%m月%d日} 前就{task.get_member_display()}职责方面出具意见（第十四条）。")


def notify_supplement_requested(task: Any, question: str) -> None:
    project = task.round.project
    notify(users=unit_users(project), kind=Kind.INFO, link="/reviews/",
           subject=f"补正要求：{_label(project)}",
           body=f"{task.reviewer_org}在审查中要求补正：{question}\n请在统筹“审查工作台”中答复；答复前该项审查计时暂停。")


def notify_supplement_answered(task: Any) -> None:
    notify(users=task_writers(task), kind=Kind.INFO, link=round_link(task.round),
           subject=f"补正已答复：{_label(task.round.project)}",
           body=f"项目建设单位已答复补正要求，审查计时恢复，新的办理期限为 {task.due_date:%Y年%m月%d日}。")


def notify_opinion_issued(consolidated: Any) -> None:
    project = consolidated.round.project
    notify(users=unit_users(project), kind=Kind.DECISION, link=f"/reviews/projects/{project.pk}/",
           subject=f"审查意见已出具：{_label(project)}",
           body=f"{consolidated.issuer}已出具行业主管部门审查意见（{consolidated.doc_number}），"
                f"结论：{consolidated.get_conclusion_display()}。")


def notify_approved(approval: Any) -> None:
    project = approval.project
    notify(users=unit_users(project), kind=Kind.DECISION, link=f"/reviews/projects/{project.pk}/",
           subject=f"立项批复已登记：{_label(project)}",
           body=f"批复文号 {approval.doc_number}，批复金额 {approval.approved_amount} 元。请及时向数字化发展局报备"
                f"（第十八条），并于 {approval.procurement_deadline:%Y年%m月%d日} 前启动政府采购（第二十六条）。")


def notify_approval_awaited(consolidated: Any) -> None:
    """The opinion is issued: the development and reform commission's 立项批复 is next (Art. 14(4), 21). A
    不同意 opinion leaves nothing to approve."""
    from tongchou.reviews.models import Conclusion

    if consolidated.conclusion == Conclusion.DISAGREE:
        return
    project = consolidated.round.project
    notify(users=member_users(MemberRole.DEVELOPMENT_REFORM, project), kind=Kind.INFO,
           link=f"/reviews/projects/{project.pk}/", subject=f"待立项批复：{_label(project)}",
           body=f"{consolidated.issuer}已出具审查意见（{consolidated.doc_number}），结论："
                f"{consolidated.get_conclusion_display()}。请登记立项批复（第十四条第（四）项）；"
                "取得批复和预算后方可启动政府采购（第二十一条）。")


def notify_budget_awaited(approval: Any) -> None:
    """The approval is recorded: finance's budget is next (Art. 15, 21), unless it is already arranged."""
    project = approval.project
    if project.budgets.exists():
        return
    notify(users=member_users(MemberRole.FINANCE, project), kind=Kind.INFO,
           link=f"/reviews/projects/{project.pk}/", subject=f"待安排预算：{_label(project)}",
           body=f"州发改委已登记立项批复（{approval.doc_number}，批复金额 {approval.approved_amount} 元）。"
                "请登记预算安排（第十五条、第二十一条）；未安排预算的项目不能启动政府采购。")
