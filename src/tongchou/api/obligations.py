"""/api/v1/obligations — deadlines the caller may see; fulfil or waive one."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Router, Schema

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.core_errors import NotFound
from tongchou.obligations.models import Obligation, ServiceLevel
from tongchou.obligations.selectors import obligations_visible_to
from tongchou.obligations.service_levels import service_level_update
from tongchou.obligations.services import obligation_fulfil, obligation_waive

router = Router(tags=["期限"])


class ObligationOut(Schema):
    id: int
    project_code: str
    project_name: str
    code: str
    title: str
    article: str
    source: str
    due_date: date
    status: str
    responsible_org: str
    calendar_warning: str
    reminded_at: datetime | None
    escalated_at: datetime | None

    @staticmethod
    def resolve_project_code(obj: Obligation) -> str:
        return obj.project.code

    @staticmethod
    def resolve_project_name(obj: Obligation) -> str:
        return obj.project.name

    @staticmethod
    def resolve_responsible_org(obj: Obligation) -> str:
        return str(obj.responsible_org)


class CloseIn(Schema):
    note: str = ""


class ServiceLevelOut(Schema):
    code: str
    title: str
    article: str
    period: int
    unit: str
    remind_before: int
    responsible: str
    active: bool


class ServiceLevelIn(Schema):
    period: int
    unit: str
    remind_before: int
    active: bool = True


@router.get("/service-levels", response=list[ServiceLevelOut], summary="办理时限")
def service_levels(request: AuthenticatedHttpRequest) -> object:
    return ServiceLevel.objects.all()


@router.put("/service-levels/{code}", response=ServiceLevelOut, summary="修改办理时限（州数字化发展局负责人、系统管理员；只对此后开启的事项生效）")
def service_level_put(request: AuthenticatedHttpRequest, code: str, payload: ServiceLevelIn) -> object:
    return service_level_update(code=code, period=payload.period, unit=payload.unit,
                                remind_before=payload.remind_before, active=payload.active, actor=request.user)


def _get(request: AuthenticatedHttpRequest, obligation_id: int) -> Obligation:
    ob = obligations_visible_to(request.user).filter(pk=obligation_id).first()
    if ob is None:
        raise NotFound()
    return ob


@router.get("", response=list[ObligationOut], summary="我可见的期限事项")
def obligation_list(request: AuthenticatedHttpRequest, status: str | None = None, project: str | None = None) -> object:
    rows = obligations_visible_to(request.user)
    if status:
        rows = rows.filter(status=status)
    if project:
        rows = rows.filter(project__code=project)
    return rows[:500]


@router.post("/{obligation_id}/fulfil", response=ObligationOut, summary="办结")
def fulfil(request: AuthenticatedHttpRequest, obligation_id: int, payload: CloseIn) -> object:
    return obligation_fulfil(obligation=_get(request, obligation_id), actor=request.user, note=payload.note)


@router.post("/{obligation_id}/waive", response=ObligationOut, summary="免除（数字化发展局）")
def waive(request: AuthenticatedHttpRequest, obligation_id: int, payload: CloseIn) -> object:
    return obligation_waive(obligation=_get(request, obligation_id), actor=request.user, reason=payload.note)
