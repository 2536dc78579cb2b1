"""Art. 26: an approval whose procurement has not started a year later lapses; the project must apply
again. The state change goes through the lifecycle's `lapse` transition (timeline row and audit event
with the article); this module decides when, and tells the people concerned."""

from __future__ import annotations

from django.db import transaction

from tongchou.accounts.models import User
from tongchou.core_errors import Conflict
from tongchou.lifecycle.services import project_transition
from tongchou.notifications.models import Kind
from tongchou.notifications.services import notify
from tongchou.obligations.models import Obligation
from tongchou.obligations.recipients import bureau_users, responsible_users
from tongchou.obligations.registry import register_overdue_handler
from tongchou.projects.models import Project, Status

ART26 = "第二十六条"
PROCUREMENT_DEADLINE = "ART26-PROCUREMENT-DEADLINE"
# Approved (and filed) projects whose procurement has not started are the only ones that can lapse.
LAPSABLE = frozenset({Status.APPROVED, Status.FILED})


def project_lapse(*, project: Project, reason: str, actor: User | None = None) -> Project:
    with transaction.atomic():
        current = Project.objects.select_related("unit").get(pk=project.pk)
        if current.status not in LAPSABLE:
            raise Conflict(
                f"项目当前状态为“{current.get_status_display()}”，不能认定批复失效。",
                article=ART26, hint="只有已批复（或已报备）且尚未启动政府采购的项目会因逾期失效。",
            )
        locked = project_transition(project=current, action="lapse", actor=actor, note=reason)
        notify(
            users=[*responsible_users(locked.unit), *bureau_users(locked.unit)],
            subject=f"批复已失效：{locked.code}《{locked.name}》",
            body=f"{reason}\n依据《办法》{ART26}，该项目须重新申报。",
            link="/deadlines/", kind=Kind.DECISION,
        )
    project.refresh_from_db()
    return locked


@register_overdue_handler(PROCUREMENT_DEADLINE)
def _lapse_when_procurement_deadline_passes(obligation: Obligation) -> str:
    project_lapse(
        project=obligation.project,
        reason=f"立项批复后 1 年内（至 {obligation.due_date:%Y年%m月%d日}）未启动政府采购，批复失效。",
    )
    return f"项目批复已失效（{ART26}），须重新申报"
