"""Art. 3: the applicant proposes the management mode, the project's authority confirms it in review."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import UNIT_ROLES
from tongchou.audit.services import audit_record
from tongchou.core_errors import Conflict, DomainError
from tongchou.lifecycle.permissions import is_project_authority
from tongchou.portfolio.choices import ManagementMode
from tongchou.portfolio.models import ProjectMode
from tongchou.projects.models import Project
from tongchou.projects.selectors import EDITABLE_STATUSES

ARTICLE = "第三条"


def _checked(mode: str) -> str:
    if mode not in ManagementMode.values:
        raise DomainError("请选择管理模式：统一建设·统筹管理（unified）或专业建设·分类管理（specialised）。",
                          code="invalid", field="mode", article=ARTICLE)
    return mode


def mode_propose(*, project: Project, mode: str, actor: Any) -> ProjectMode:
    mode = _checked(mode)
    with transaction.atomic():
        current = Project.objects.select_for_update().get(pk=project.pk)
        if actor.role not in UNIT_ROLES or actor.organisation_id != current.unit_id:
            raise DomainError("只有项目建设单位可以申报管理模式。", code="forbidden", article=ARTICLE, status=403)
        if current.status not in EDITABLE_STATUSES:
            raise Conflict("项目已提交，管理模式由审查部门确认。", code="invalid_state", article=ARTICLE)
        record = ProjectMode.objects.select_for_update().filter(project=current).first()
        if record is None:
            record = ProjectMode(project=current)
        record.proposed_mode = mode
        record.proposed_by = actor
        record.proposed_at = timezone.now()
        if not record.confirmed_mode:
            record.mode = mode
        record.save()
        audit_record(event="portfolio.mode_propose", actor=actor, target=current, data={"mode": mode})
    return record


def mode_confirm(*, project: Project, mode: str, actor: Any) -> ProjectMode:
    """The authority confirms (or corrects) the mode; the applicant's proposal stays recorded."""
    mode = _checked(mode)
    with transaction.atomic():
        current = Project.objects.select_for_update().select_related("unit").get(pk=project.pk)
        if not is_project_authority(actor, current):
            raise DomainError("只有负责该项目审查的数字化发展局可以确认管理模式。", code="forbidden",
                              article=ARTICLE, status=403)
        record = ProjectMode.objects.select_for_update().filter(project=current).first()
        if record is None:
            raise Conflict("项目建设单位尚未申报管理模式，不能确认。", code="not_proposed", field="mode",
                           article=ARTICLE, hint="请退回项目建设单位补充管理模式。")
        previous = record.confirmed_mode
        record.mode = record.confirmed_mode = mode
        record.confirmed_by = actor
        record.confirmed_at = timezone.now()
        record.save()
        audit_record(event="portfolio.mode_confirm", actor=actor, target=current,
                     data={"mode": mode, "proposed": record.proposed_mode, "previous": previous})
    return record
