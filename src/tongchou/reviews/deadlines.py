"""Deadlines that follow from 立项批复: Art. 26 (start procurement within one year of the approval, or
apply again) and Art. 18 (file the approved project with the bureau).

The obligations register is the infra colleague's; until it is on main, other apps subscribe to
`on_project_approved` (called inside the approval's transaction) and `project_deadlines` is what
pages and the API show."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from tongchou.projects.models import Status

ApprovalHook = Callable[[Any], None]
_APPROVAL_HOOKS: list[ApprovalHook] = []

FILED_OR_LATER = {Status.FILED, Status.PROCUREMENT, Status.IMPLEMENTATION, Status.TRIAL_OPERATION,
                  Status.ACCEPTANCE_APPLIED, Status.ACCEPTED, Status.OPERATING, Status.RETIRED}
PROCUREMENT_OR_LATER = FILED_OR_LATER - {Status.FILED}


def on_project_approved(hook: ApprovalHook) -> ApprovalHook:
    if hook not in _APPROVAL_HOOKS:
        _APPROVAL_HOOKS.append(hook)
    return hook


def run_approval_hooks(approval: Any) -> None:
    for hook in list(_APPROVAL_HOOKS):
        hook(approval)


def art26_deadline(approval_date: date) -> date:
    """One year after the approval; 29 February falls back to 28 February. The anniversary itself is
    still in time (assessment contract, ART26-LAPSED interpretation)."""
    try:
        return approval_date.replace(year=approval_date.year + 1)
    except ValueError:
        return approval_date.replace(year=approval_date.year + 1, day=28)


def project_deadlines(project: Any, *, today: date) -> list[dict[str, Any]]:
    approval = getattr(project, "approval", None)
    if approval is None:
        return []
    filed = project.status in FILED_OR_LATER
    procured = project.status in PROCUREMENT_OR_LATER
    due = approval.procurement_deadline
    return [
        {"code": "ART18-FILING", "article": "第十八条", "due": None, "done": filed,
         "message": "项目完成批复立项后，应及时向数字化发展部门报备。"},
        {"code": "ART26-PROCUREMENT-DEADLINE", "article": "第二十六条", "due": due, "done": procured,
         "lapsed": (not procured) and today > due,
         "message": f"立项批复于{approval.approval_date:%Y-%m-%d}出具，须在{due:%Y-%m-%d}前（含当日）启动政府采购，"
                    "逾期须重新申报。"},
    ]
