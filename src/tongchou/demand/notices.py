"""Who hears about the call and the plan: the units in a call's scope, and the submitter of a need.
Called inside the writing service's transaction (the in-app notice commits with it, e-mail after)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tongchou.accounts.models import UNIT_ROLES, Level, User
from tongchou.demand.models import Call, Need
from tongchou.notifications.services import notify


def _scope_users(call: Call) -> list[User]:
    qs = User.objects.filter(is_active=True, role__in=list(UNIT_ROLES), organisation__isnull=False)
    if call.bureau.level == Level.COUNTY:
        qs = qs.filter(organisation__level=Level.COUNTY, organisation__jurisdiction=call.bureau.jurisdiction)
    else:
        qs = qs.exclude(organisation__level=Level.COUNTY)
    return list(qs)


def notify_call(call: Call, *, reopened: bool = False) -> None:
    until = call.reopened_until if reopened and call.reopened_until else call.deadline
    when = timezone.localtime(until).strftime("%Y年%m月%d日 %H:%M")
    subject = (f"{call.title}已重新开放，补报截止 {when}" if reopened else f"{call.title}已发布，截止 {when}")
    notify(users=_scope_users(call), subject=subject, body=call.instructions,
           link=reverse("demand:call", args=[call.pk]))


def notify_decision(need: Need) -> None:
    notify(users=[need.created_by], subject=f"需求「{need.name}」：{need.get_decision_display()}",
           body=need.reason, link=reverse("demand:call", args=[need.call_id]))


def notify_draft(need: Need) -> None:
    assert need.project is not None
    notify(users=[need.created_by], subject=f"需求「{need.name}」已纳入年度计划并生成申报草稿 {need.project.code}",
           body="请补充申报材料后提交（第十条）。", link=reverse("projects:edit", args=[need.project.pk]))
