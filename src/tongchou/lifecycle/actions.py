"""Lifecycle actions that are a decision and nothing more (退回补正, 不予支持, 撤回, 紧急项目): no record
of another domain goes with them, so they are taken here. Every other action belongs to the service
that records what it needs (the review opinion, the approval, the contract, the acceptance …)."""

from __future__ import annotations

from typing import Any

from tongchou.core_errors import DomainError
from tongchou.lifecycle.permissions import may_act
from tongchou.lifecycle.services import project_transition
from tongchou.lifecycle.table import BY_ACTION, available_actions
from tongchou.projects.models import Project

DECISION_ACTIONS = frozenset({"return", "reject", "withdraw", "mark_emergency"})
# A decision against the applicant must say why (the applicant reads it).
NOTE_REQUIRED = frozenset({"return", "reject", "mark_emergency"})

# Where the other actions are taken, for the refusal's hint.
DOMAIN_OF_ACTION = {
    "submit": "申报页面“提交”（/api/v1/projects/{id}/submit）",
    "start_review": "审查与立项页“受理并启动审查”（审查工作台“待受理”中列出）",
    "register_self_procurement": "审查与立项页“受理并启动审查”（审查工作台“待受理”中列出）",
    "issue_opinion": "审查工作台“签发综合审查意见”",
    "approve": "发改委“登记立项批复”",
    "file": "项目页“报备”",
}


def project_actions_for(*, project: Project, user: Any) -> list[dict[str, Any]]:
    """The actions this user may take on this project now, each with its article. 重新申报 is listed
    too: it leaves this project as it is and creates a new draft (`creates_project`, ADR 0185)."""
    from tongchou.projects import reapply

    offered = [
        {"action": t.action, "label": t.label, "article": t.article, "target": t.target,
         "here": t.action in DECISION_ACTIONS, "note_required": t.action in NOTE_REQUIRED}
        for t in available_actions(project.status)
        if may_act(user, project, t)
    ]
    if reapply.may_reapply(user=user, project=project):
        reason = reapply.REAPPLY_FROM[project.status]
        offered.append({"action": reapply.ACTION, "label": reapply.LABEL, "article": reason.article,
                        "target": "draft", "here": False, "note_required": False, "creates_project": True,
                        "endpoint": f"/api/v1/projects/{project.pk}/reapply"})
    return offered


def project_decide(*, project: Project, action: str, actor: Any, note: str = "",
                   expected_version: int | None = None) -> Project:
    if action == "reapply":
        raise DomainError("「重新申报」会新建一个申报草稿，请在项目页点击“重新申报”或调用"
                          f"/api/v1/projects/{project.pk}/reapply。", code="use_domain_service", field="action",
                          article="第二十六条")
    if action not in BY_ACTION:
        raise DomainError(f"未知的操作「{action}」", code="unknown_action", field="action")
    if action not in DECISION_ACTIONS:
        where = DOMAIN_OF_ACTION.get(action, "相应业务页面")
        raise DomainError(f"「{BY_ACTION[action].label}」须在{where}办理，以便同时登记所需材料。",
                          code="use_domain_service", field="action", article=BY_ACTION[action].article)
    note = (note or "").strip()
    if action in NOTE_REQUIRED and not note:
        raise DomainError(f"「{BY_ACTION[action].label}」须填写理由（note），申报单位将看到该理由。",
                          code="note_required", field="note", article=BY_ACTION[action].article)
    return project_transition(project=project, action=action, actor=actor, note=note,
                              expected_version=expected_version)
