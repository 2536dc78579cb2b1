"""/api/v1/demand/ — the yearly call for needs, split/overlap findings and the yearly plan (Art. 8, 11, 3).
Thin: reads through `demand.selectors`, writes through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.api.idempotency import idempotent
from tongchou.demand import modes as mode_services
from tongchou.demand import plan as plan_services
from tongchou.demand import services
from tongchou.demand.columns import NEED_COLUMNS
from tongchou.demand.findings import call_findings_compute, need_warnings
from tongchou.demand.models import Call, Need
from tongchou.demand.selectors import call_get, calls_visible_to, is_call_bureau, need_get, needs_visible_to
from tongchou.documents.uploads import XLSX, inspect_upload
from tongchou.documents.xlsx import build_template

router = Router(tags=["需求征集与年度计划"])
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _me(request: AuthenticatedHttpRequest) -> Any:
    return request.user


def _xlsx(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def call_out(call: Call) -> dict[str, Any]:
    return {"id": call.pk, "year": call.year, "title": call.title, "bureau": call.bureau.name,
            "deadline": call.deadline.isoformat(), "instructions": call.instructions,
            "reopened_until": call.reopened_until.isoformat() if call.reopened_until else None,
            "open": services.call_is_open(call),
            "budget_cap": str(call.budget_cap) if call.budget_cap is not None else None}


def need_out(need: Need) -> dict[str, Any]:
    return {"id": need.pk, "unit": need.unit.name, "name": need.name, "goals": need.goals, "content": need.content,
            "technical_route": need.technical_route, "estimated_cost": str(need.estimated_cost),
            "category": need.category, "priority_basis": need.priority_basis, "contact": need.contact,
            "source": need.source, "decision": need.decision, "reason": need.reason, "rank": need.rank,
            "merged_into": need.merged_into_id, "project": need.project.code if need.project else None,
            "proposed_mode": need.proposed_mode, "confirmed_mode": need.confirmed_mode,
            "mode": mode_services.mode_key(need.mode), "mode_label": mode_services.mode_label(need.mode)}


class CallIn(Schema):
    year: int
    deadline: datetime.datetime
    instructions: str = ""
    title: str = ""
    budget_cap: Decimal | None = None


class ReopenIn(Schema):
    until: datetime.datetime
    reason: str


class NeedIn(Schema):
    name: str = ""
    goals: str = ""
    content: str = ""
    technical_route: str = ""
    estimated_cost: Decimal | str = "0"
    category: str = "development"
    priority_basis: str = ""
    contact: str = ""
    proposed_mode: str = ""


class RankIn(Schema):
    budget_cap: Decimal | None = None
    clear_cap: bool = False


class DecisionIn(Schema):
    decision: Literal["included", "deferred", "refused", "pending"]
    reason: str = ""


class NeedModeIn(Schema):
    mode: str


class MergeIn(Schema):
    lead: int
    others: list[int]
    reason: str


@router.get("/calls")
def calls_list(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [call_out(c) for c in calls_visible_to(_me(request))]


@router.post("/calls", response={201: dict})
@decorate_view(idempotent)
def calls_create(request: AuthenticatedHttpRequest, payload: CallIn) -> Status:
    call = services.call_open(actor=_me(request), **payload.dict())
    return Status(201, call_out(call))


@router.get("/calls/{call_id}")
def calls_get(request: AuthenticatedHttpRequest, call_id: int) -> dict[str, Any]:
    return call_out(call_get(user=_me(request), pk=call_id))


@router.post("/calls/{call_id}/reopen")
def calls_reopen(request: AuthenticatedHttpRequest, call_id: int, payload: ReopenIn) -> dict[str, Any]:
    call = services.call_reopen(actor=_me(request), call=call_get(user=_me(request), pk=call_id), **payload.dict())
    return call_out(call)


@router.get("/calls/{call_id}/template.xlsx")
def calls_template(request: AuthenticatedHttpRequest, call_id: int) -> HttpResponse:
    call = call_get(user=_me(request), pk=call_id)
    lines = [f"截止时间：{call.deadline:%Y-%m-%d %H:%M}。", "每行填写一个需求；金额单位为元。", *call.instructions.splitlines()]
    return _xlsx(build_template(NEED_COLUMNS, f"{call.title} 需求填报表", lines), f"needs-{call.year}.xlsx")


@router.get("/calls/{call_id}/needs")
def needs_list(request: AuthenticatedHttpRequest, call_id: int) -> list[dict[str, Any]]:
    call = call_get(user=_me(request), pk=call_id)
    return [need_out(n) for n in needs_visible_to(_me(request), call)]


@router.post("/calls/{call_id}/needs", response={201: dict})
@decorate_view(idempotent)
def needs_create(request: AuthenticatedHttpRequest, call_id: int, payload: NeedIn) -> Status:
    call = call_get(user=_me(request), pk=call_id)
    need = services.need_submit(actor=_me(request), call=call, data=payload.dict())
    return Status(201, need_out(need))


@router.post("/calls/{call_id}/needs/check")
def needs_check(request: AuthenticatedHttpRequest, call_id: int, payload: NeedIn) -> dict[str, Any]:
    """The live split/overlap warning for a need being typed (nothing is written)."""
    call = call_get(user=_me(request), pk=call_id)
    return {"warnings": need_warnings(user=_me(request), call=call, data=payload.dict())}


@router.post("/calls/{call_id}/needs/import", response={200: dict, 422: dict})
def needs_import(request: AuthenticatedHttpRequest, call_id: int, file: File[UploadedFile],
                 only_good_rows: Form[bool] = False) -> Status:
    call = call_get(user=_me(request), pk=call_id)
    check = inspect_upload(file.name, file, allowed={XLSX}, max_bytes=settings.UPLOAD_MAX_BYTES)
    created, result = services.needs_import(actor=_me(request), call=call, data=check, only_good_rows=only_good_rows)
    body = {"imported": len(created), "total_rows": result.total_rows, "bad_rows": result.bad_rows,
            "errors": [{"row": e.row, "column": e.column, "message": e.message, "text": str(e)}
                       for e in result.errors]}
    if result.errors and not created:
        body["message"] = (f"表格中有 {len(result.bad_rows)} 行存在错误，未导入任何数据。"
                           "请按错误清单修改后重新上传，或选择“仅导入正确的行”。")
        return Status(422, body)
    return Status(200, body)


@router.post("/calls/{call_id}/findings")
def findings_compute(request: AuthenticatedHttpRequest, call_id: int) -> dict[str, Any]:
    call = call_get(user=_me(request), pk=call_id)
    if not is_call_bureau(_me(request), call):
        services._require_bureau(_me(request), call)
    return call_findings_compute(actor=_me(request), call=call)


@router.get("/calls/{call_id}/findings")
def findings_get(request: AuthenticatedHttpRequest, call_id: int) -> dict[str, Any]:
    call = call_get(user=_me(request), pk=call_id)
    services._require_bureau(_me(request), call)
    return {"computed_at": call.findings_at.isoformat() if call.findings_at else None, **(call.findings or {})}


def _plan_out(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"rank": r["rank"], "need": need_out(r["need"]), "total": str(r["total"]), "flags": r["flags"],
             "running": str(r["running"]) if r["running"] is not None else None, "within_cap": r["within_cap"],
             "mode": r["mode"], "mode_label": r["mode_label"]}
            for r in rows]


def _totals_out(totals: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: ({"count": v["count"], "amount": str(v["amount"])} if isinstance(v, dict) else v)
             for k, v in t.items()} for t in totals]


@router.get("/calls/{call_id}/plan")
def plan_get(request: AuthenticatedHttpRequest, call_id: int, mode: str = "") -> dict[str, Any]:
    """The plan as ranked, filtered by management mode if asked, with counts and amounts by mode (Art. 3)."""
    call = call_get(user=_me(request), pk=call_id)
    services._require_bureau(_me(request), call)
    wanted = mode_services.parse_mode_filter(mode)
    rows = plan_services.plan_rows(call)
    return {"mode": wanted, "rows": _plan_out(mode_services.plan_rows_filtered(rows, wanted)),
            "totals": _totals_out(mode_services.plan_mode_totals(rows))}


@router.post("/calls/{call_id}/plan/rank")
def plan_rank(request: AuthenticatedHttpRequest, call_id: int, payload: RankIn) -> list[dict[str, Any]]:
    call = call_get(user=_me(request), pk=call_id)
    return _plan_out(plan_services.plan_rank(actor=_me(request), call=call, **payload.dict()))


@router.post("/calls/{call_id}/needs/{need_id}/decision")
def need_decision(request: AuthenticatedHttpRequest, call_id: int, need_id: int, payload: DecisionIn) -> dict[str, Any]:
    call = call_get(user=_me(request), pk=call_id)
    need = need_get(user=_me(request), call=call, pk=need_id)
    return need_out(plan_services.need_decide(actor=_me(request), need=need, **payload.dict()))


@router.post("/calls/{call_id}/needs/{need_id}/mode")
def need_mode(request: AuthenticatedHttpRequest, call_id: int, need_id: int, payload: NeedModeIn) -> dict[str, Any]:
    """The bureau confirms or corrects a need's management mode (Art. 3)."""
    call = call_get(user=_me(request), pk=call_id)
    need = need_get(user=_me(request), call=call, pk=need_id)
    return need_out(mode_services.need_mode_confirm(actor=_me(request), need=need, mode=payload.mode))


@router.post("/calls/{call_id}/plan/merge")
def plan_merge(request: AuthenticatedHttpRequest, call_id: int, payload: MergeIn) -> dict[str, Any]:
    call = call_get(user=_me(request), pk=call_id)
    lead = need_get(user=_me(request), call=call, pk=payload.lead)
    others = [need_get(user=_me(request), call=call, pk=pk) for pk in payload.others]
    return need_out(plan_services.needs_merge(actor=_me(request), lead=lead, others=others, reason=payload.reason))


@router.post("/calls/{call_id}/plan/drafts")
def plan_drafts(request: AuthenticatedHttpRequest, call_id: int) -> dict[str, Any]:
    call = call_get(user=_me(request), pk=call_id)
    projects = plan_services.plan_create_drafts(actor=_me(request), call=call)
    return {"created": [{"id": p.pk, "code": p.code, "unit": p.unit.name, "name": p.name} for p in projects]}


@router.get("/calls/{call_id}/plan.xlsx")
def plan_export(request: AuthenticatedHttpRequest, call_id: int, mode: str = "") -> HttpResponse:
    call = call_get(user=_me(request), pk=call_id)
    services._require_bureau(_me(request), call)
    wanted = mode_services.parse_mode_filter(mode)
    return _xlsx(plan_services.plan_export(actor=_me(request), call=call, mode=wanted),
                 f"plan-{call.year}{'-' + wanted if wanted else ''}.xlsx")
