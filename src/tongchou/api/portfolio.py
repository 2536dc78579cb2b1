"""/api/v1/portfolio — management modes (Art. 3), shared projects (Art. 6, 19), county rule sets
(Art. 36), funding routes (Art. 15) and the totals by mode and level. Thin: services and selectors."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpResponse
from ninja import Field, File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.api.idempotency import idempotent
from tongchou.documents.services import stored_file_read
from tongchou.documents.storage import file_response
from tongchou.portfolio import budget_holder, funding, modes, rulesets, selectors, shared
from tongchou.portfolio.models import JurisdictionRuleset
from tongchou.projects.selectors import project_get
from tongchou.reviews.selectors import project_for

router = Router(tags=["项目统筹"])


class ModeIn(Schema):
    mode: Literal["unified", "specialised"]


class FundingRouteIn(Schema):
    route: Literal["prefecture_budget", "major_expenditure_meeting"]
    budget_year: int | None = None
    reference: str = ""
    meeting_name: str = ""
    meeting_date: dt.date | None = None
    commission_date: dt.date | None = None


class SharedIn(Schema):
    jurisdictions: list[str]


class ParticipantIn(Schema):
    jurisdiction: str


class PartIn(Schema):
    project_id: int


class RulesetChoiceIn(Schema):
    ruleset_id: str | None = None


def _shared_out(user: Any, item: Any) -> dict[str, Any]:
    parent = item.parent
    return {
        "id": item.pk,
        "parent": {"id": parent.pk, "code": parent.code, "name": parent.name, "unit": parent.unit.name,
                   "status": parent.status, "status_label": parent.get_status_display()},
        "sees_all_parts": selectors.shared_sees_all_parts(user=user, shared=item),
        "participants": selectors.shared_parts(user=user, shared=item),
        "documents": [{"id": d.pk, "title": d.title, "name": d.file.display_name, "size": d.file.size,
                       "sm3": d.file.sm3, "uploaded_at": d.uploaded_at.isoformat()}
                      for d in selectors.shared_documents(shared=item)],
    }


@router.get("/projects/{int:project_id}", summary="项目的管理模式、统一建设系统提示、资金渠道、共建关系")
def project_detail(request: AuthenticatedHttpRequest, project_id: int) -> dict[str, Any]:
    return selectors.project_portfolio(user=request.user, pk=project_id)


@router.post("/projects/{int:project_id}/mode", summary="申报管理模式（第三条）")
def propose_mode(request: AuthenticatedHttpRequest, project_id: int, payload: ModeIn) -> dict[str, Any]:
    project = project_get(user=request.user, pk=project_id)
    modes.mode_propose(project=project, mode=payload.mode, actor=request.user)
    return selectors.project_portfolio(user=request.user, pk=project_id)


@router.post("/projects/{int:project_id}/mode/confirm", summary="审查确认管理模式（第三条）")
def confirm_mode(request: AuthenticatedHttpRequest, project_id: int, payload: ModeIn) -> dict[str, Any]:
    project = project_get(user=request.user, pk=project_id)
    modes.mode_confirm(project=project, mode=payload.mode, actor=request.user)
    return selectors.project_portfolio(user=request.user, pk=project_id)


@router.post("/projects/{int:project_id}/funding-route", summary="登记资金渠道（第十五条）")
def record_funding_route(request: AuthenticatedHttpRequest, project_id: int, payload: FundingRouteIn) -> dict[str, Any]:
    # Reached as finance reaches the budget (reviews' selector): finance records both.
    project = project_for(request.user, project_id)
    route = funding.funding_route_record(project=project, actor=request.user, **payload.dict())
    return {"project": project.pk, "funding_route": selectors.funding_route_out(route)}


class BudgetHolderIn(Schema):
    holder: Literal["unit", "bureau"] = Field(..., description="unit：项目建设单位；bureau：州数字化发展局")
    reason: str = Field(..., max_length=2000)


@router.post("/projects/{int:project_id}/budget-holder", summary="调整预算单位（州财政局，第二十八条）")
def set_budget_holder(request: AuthenticatedHttpRequest, project_id: int, payload: BudgetHolderIn) -> dict[str, Any]:
    # Reached as finance reaches the budget (reviews' selector), like the funding route.
    project = project_for(request.user, project_id)
    holder = budget_holder.budget_holder_set(project=project, actor=request.user, **payload.dict())
    return {"project": project.pk, "budget_holder": holder}


@router.post("/projects/{int:project_id}/shared", summary="设为县市（园区）共建共享项目（第六条）", response={201: dict})
@decorate_view(idempotent)
def make_shared(request: AuthenticatedHttpRequest, project_id: int, payload: SharedIn) -> Status:
    project = project_get(user=request.user, pk=project_id)
    item = shared.shared_project_create(parent=project, jurisdictions=payload.jurisdictions, actor=request.user)
    return Status(201, _shared_out(request.user, item))


@router.get("/shared", summary="我可见的共建共享项目")
def list_shared(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    items = selectors.shared_projects_visible_to(request.user).select_related("parent", "parent__unit")
    return [_shared_out(request.user, item) for item in items.order_by("-id")[:200]]


@router.get("/shared/{int:shared_id}", summary="共建共享项目：各子项目进度与共享文件")
def get_shared(request: AuthenticatedHttpRequest, shared_id: int) -> dict[str, Any]:
    return _shared_out(request.user, selectors.shared_get(user=request.user, pk=shared_id))


@router.post("/shared/{int:shared_id}/participants", summary="增加参与共建的县市或园区（第六条）",
             response={201: dict})
@decorate_view(idempotent)
def add_participant(request: AuthenticatedHttpRequest, shared_id: int, payload: ParticipantIn) -> Status:
    item = selectors.shared_get(user=request.user, pk=shared_id)
    shared.shared_participant_add(shared=item, jurisdiction=payload.jurisdiction, actor=request.user)
    return Status(201, _shared_out(request.user, item))


@router.delete("/shared/{int:shared_id}/participants/{int:participant_id}",
               summary="移出尚未关联子项目的参与县市或园区（第六条）")
def remove_participant(request: AuthenticatedHttpRequest, shared_id: int, participant_id: int) -> dict[str, Any]:
    item = selectors.shared_get(user=request.user, pk=shared_id)
    shared.shared_participant_remove(shared=item, participant_id=participant_id, actor=request.user)
    return _shared_out(request.user, item)


@router.post("/shared/{int:shared_id}/parts", summary="关联本县市（园区）的子项目（第六条、第十九条）")
def link_part(request: AuthenticatedHttpRequest, shared_id: int, payload: PartIn) -> dict[str, Any]:
    item = selectors.shared_get(user=request.user, pk=shared_id)
    part = project_get(user=request.user, pk=payload.project_id)
    shared.shared_part_link(shared=item, part=part, actor=request.user)
    return _shared_out(request.user, item)


@router.post("/shared/{int:shared_id}/documents", summary="上传共建总体要求和标准规范（PDF/DOCX）", response={201: dict})
@decorate_view(idempotent)
def upload_document(
    request: AuthenticatedHttpRequest, shared_id: int, title: str = Form(...), file: UploadedFile = File(...),  # noqa: B008
) -> Status:
    item = selectors.shared_get(user=request.user, pk=shared_id)
    document = shared.shared_document_add(shared=item, title=title, file_name=file.name or "", data=file,
                                          actor=request.user)
    return Status(201, {"id": document.pk, "title": document.title, "name": document.file.display_name,
                        "sm3": document.file.sm3})


@router.get("/shared/{int:shared_id}/documents/{int:document_id}", summary="下载共建要求和标准规范")
def download_document(request: AuthenticatedHttpRequest, shared_id: int, document_id: int) -> HttpResponse:
    document = selectors.shared_document_get(user=request.user, shared_pk=shared_id, pk=document_id)
    data = stored_file_read(stored=document.file, actor=request.user)
    return file_response(data, filename=document.file.display_name, content_type=document.file.content_type)


@router.get("/totals", summary="按管理模式和层级统计项目数（州级统计含县市、园区项目）")
def totals(request: AuthenticatedHttpRequest, year: int | None = None) -> dict[str, Any]:
    return selectors.totals_by_mode_and_level(request.user, year=year)


def _ruleset_out(choice: JurisdictionRuleset | None) -> dict[str, Any]:
    return {"jurisdiction": choice.jurisdiction if choice else None,
            "ruleset_id": choice.ruleset_id if choice else None,
            "adopts_prefecture": choice is None}


@router.put("/ruleset", summary="本县市适用的规则集（空为沿用州规则集，第三十六条）")
def choose_ruleset(request: AuthenticatedHttpRequest, payload: RulesetChoiceIn) -> dict[str, Any]:
    return _ruleset_out(rulesets.jurisdiction_ruleset_set(ruleset_id=payload.ruleset_id, actor=request.user))


@router.post("/rulesets", summary="上传本县市规则集（YAML，按州规则集格式校验后登记并选用）", response={201: dict})
@decorate_view(idempotent)
def upload_ruleset(request: AuthenticatedHttpRequest, file: UploadedFile = File(...)) -> Status:  # noqa: B008
    data = file.read(rulesets.MAX_RULESET_BYTES + 1)
    record = rulesets.local_ruleset_upload(file_name=file.name or "", data=data, actor=request.user)
    return Status(201, {"ruleset_id": record.ruleset_id, "jurisdiction": record.jurisdiction,
                        "sha256": record.sha256})
