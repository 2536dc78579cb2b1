"""Lifecycle actions on a project: what I may do now, and the plain decisions (退回、不予支持、撤回、紧急)."""

from __future__ import annotations

from typing import Any

from ninja import Router, Schema, Status
from ninja.decorators import decorate_view

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.api.idempotency import idempotent
from tongchou.api.projects import _project_out
from tongchou.lifecycle.actions import project_actions_for, project_decide
from tongchou.projects.reapply import project_reapply
from tongchou.projects.selectors import project_get

router = Router(tags=["项目生命周期"])


class DecisionIn(Schema):
    note: str = ""
    version: int | None = None


@router.get("/projects/{int:project_id}/actions", summary="我现在可以对该项目执行的操作（含依据条款）")
def actions(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    project = project_get(user=request.user, pk=project_id)
    return {"status": project.status, "version": project.version,
            "actions": project_actions_for(project=project, user=request.user)}


@router.post("/projects/{int:project_id}/actions/{action}", summary="退回补正、不予支持、撤回、登记为紧急项目")
def decide(request: AuthenticatedHttpRequest, project_id: int, action: str, payload: DecisionIn) -> dict[str, Any]:
    project = project_get(user=request.user, pk=project_id)
    done = project_decide(project=project, action=action, actor=request.user, note=payload.note,
                          expected_version=payload.version)
    return {"status": done.status, "version": done.version}


@router.post("/projects/{int:project_id}/reapply", response={201: dict},
             summary="重新申报：以批复失效（第二十六条）、不予支持或已撤回的项目为基础生成新的申报草稿")
@decorate_view(idempotent)
def reapply(request: AuthenticatedHttpRequest, project_id: int) -> Status:
    project = project_get(user=request.user, pk=project_id)
    new = project_reapply(project=project, actor=request.user)
    return Status(201, _project_out(new, detail=True))
