"""`project_transition` — the one way a project changes state. One transaction: a conditional update
(status and version must still be what the actor saw, so of two concurrent actions exactly one wins),
the timeline row and the audit event."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError, NotFound
from tongchou.lifecycle.effects import run_effects
from tongchou.lifecycle.guards import guards_for
from tongchou.lifecycle.models import ProjectTransition
from tongchou.lifecycle.permissions import may_act
from tongchou.lifecycle.table import BY_ACTION
from tongchou.projects.models import Project, Status


def project_transition(
    *,
    project: Project,
    action: str,
    actor: Any,
    expected_version: int | None = None,
    note: str = "",
    context: dict[str, Any] | None = None,
) -> Project:
    transition = BY_ACTION.get(action)
    if transition is None:
        raise DomainError(f"未知的操作「{action}」", code="unknown_action", field="action")
    context = dict(context or {})
    with transaction.atomic():
        current = Project.objects.select_related("unit").filter(pk=project.pk).first()
        if current is None:
            raise NotFound()
        if expected_version is not None and current.version != expected_version:
            raise Conflict("该项目已被他人修改，请刷新页面后重试。", code="stale_version")
        if current.status not in transition.sources:
            raise Conflict(
                f"项目当前状态为「{Status(current.status).label}」，不能执行「{transition.label}」。",
                code="invalid_state",
                article=transition.article,
            )
        if not may_act(actor, current, transition):
            raise DomainError(
                f"您无权对该项目执行「{transition.label}」。", code="forbidden", article=transition.article, status=403
            )
        for check in guards_for(action):
            refusal = check(current, actor, context)
            if refusal is not None:
                raise refusal
        updated = Project.objects.filter(pk=current.pk, status=current.status, version=current.version).update(
            status=transition.target, version=current.version + 1, updated_at=timezone.now()
        )
        if updated != 1:
            raise Conflict("该项目刚被他人处理，请刷新页面后查看最新状态。", code="concurrent_transition")
        ProjectTransition.objects.create(
            project=current,
            action=action,
            from_status=current.status,
            to_status=transition.target,
            actor=actor,
            at=timezone.now(),
            note=note,
            article=transition.article,
        )
        audit_record(
            event=f"project.{action}",
            actor=actor,
            target=current,
            data={"from": current.status, "to": transition.target, "note": note, "article": transition.article},
            actor_name="" if actor is not None else "system",
        )
        run_effects(current, transition, actor)
    current.refresh_from_db()
    return current
