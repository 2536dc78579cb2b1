"""/api/v1/experts — the expert pool, draws, answers, fees and ratings (thin: services and selectors)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile
from pydantic import Field

from tongchou.accounts.models import Organisation
from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.api.idempotency import idempotent
from tongchou.core_errors import DomainError, NotFound
from tongchou.experts import selectors
from tongchou.experts.export_xlsx import experts_export_xlsx, fee_ledger_xlsx
from tongchou.experts.import_xlsx import experts_import_xlsx
from tongchou.experts.models import Expert
from tongchou.experts.panels import TEMPLATES
from tongchou.experts.permissions import is_pool_manager
from tongchou.experts.services_draws import draw_cancel, draw_close, draw_execute, draw_prepare, draw_unseal
from tongchou.experts.services_members import member_rate, member_record_duration, member_respond
from tongchou.experts.services_registry import (
    ExpertData,
    category_save,
    expert_contact_view,
    expert_save,
    expert_set_status,
    fee_rate_save,
)
from tongchou.projects.models import Project

router = Router(tags=["专家库"])


class CategoryIn(Schema):
    code: str = Field(min_length=1, max_length=32, pattern=r"^[a-z0-9_\-]+$")
    name: str = Field(min_length=1, max_length=64)
    is_active: bool = True


class FormerEmployerIn(Schema):
    org: str = Field(min_length=1, max_length=128)
    until: date


class ExpertIn(Schema):
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=64)
    title: str = Field(default="", max_length=64)
    title_level: str
    years: int = Field(ge=0, le=80)
    employer: str = Field(min_length=1, max_length=128)
    categories: list[str] = Field(min_length=1)
    phone: str = ""
    id_number: str = ""
    status: str = "active"
    available: bool = True
    former_employers: list[FormerEmployerIn] = []
    conflicts: list[str] = []
    user_id: int | None = None
    version: int | None = None


class StatusIn(Schema):
    status: str
    reason: str = Field(min_length=1, max_length=200)


class NeedIn(Schema):
    category: str
    count: int = Field(ge=1, le=50)


class DrawIn(Schema):
    purpose: str
    subject: str = Field(min_length=1, max_length=200)
    review_date: date
    needs: list[NeedIn] | None = None
    project_id: int | None = None
    requesting_unit: str | None = Field(default=None, description="申请单位代码（Art. 33；项目抽取取项目的建设单位）")
    vendors: list[str] = []
    plan_authors: list[str] = []
    reserves: int = Field(default=2, ge=0, le=10)
    exclude: list[str] = []


class ReasonIn(Schema):
    reason: str = Field(min_length=1, max_length=200)


class RespondIn(Schema):
    accept: bool
    reason: str = ""


class DurationIn(Schema):
    minutes: int = Field(ge=1, le=1440)


class RatingIn(Schema):
    score: int = Field(ge=0, le=100)
    comment: str = Field(default="", max_length=500)


class FeeRateIn(Schema):
    effective_from: date
    half_day: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    hourly_extra: Decimal = Field(ge=0, max_digits=10, decimal_places=2)
    daily_cap: Decimal = Field(ge=0, max_digits=10, decimal_places=2)


def _expert_out(expert: Expert, user: Any) -> dict[str, Any]:
    return {
        "id": expert.pk, "code": expert.code, "name": expert.name, "title": expert.title,
        "title_level": expert.title_level, "years": expert.years, "employer": expert.employer,
        "categories": sorted(c.code for c in expert.categories.all()), "status": expert.status,
        "available": expert.available, "suspension_proposed": expert.suspension_proposed,
        "version": expert.version, **selectors.expert_masked_contact(expert),
    }


@router.get("/categories")
def categories_list(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [{"code": c.code, "name": c.name, "is_active": c.is_active} for c in selectors.categories_all()]


@router.post("/categories")
def categories_save(request: AuthenticatedHttpRequest, payload: CategoryIn) -> dict[str, Any]:
    c = category_save(code=payload.code, name=payload.name, is_active=payload.is_active, actor=request.user)
    return {"code": c.code, "name": c.name, "is_active": c.is_active}


@router.get("/templates")
def panel_templates(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    return TEMPLATES


@router.get("/pool")
def experts_list(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [_expert_out(e, request.user) for e in selectors.experts_visible_to(request.user)]


def _data(payload: ExpertIn) -> ExpertData:
    return ExpertData(
        code=payload.code, name=payload.name, title=payload.title, title_level=payload.title_level,
        years=payload.years, employer=payload.employer, categories=payload.categories, phone=payload.phone,
        id_number=payload.id_number, status=payload.status, available=payload.available,
        former_employers=[(f.org, f.until) for f in payload.former_employers], conflicts=payload.conflicts,
        user_id=payload.user_id,
    )


@router.post("/pool", response={201: dict})
@decorate_view(idempotent)
def experts_create(request: AuthenticatedHttpRequest, payload: ExpertIn) -> Status:
    expert = expert_save(data=_data(payload), actor=request.user)
    return Status(201, _expert_out(expert, request.user))


@router.get("/pool/export.xlsx")
def experts_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    return _xlsx(experts_export_xlsx(actor=request.user), "experts.xlsx")


@router.post("/pool/import")
def experts_import(
    request: AuthenticatedHttpRequest, file: File[UploadedFile], only_good_rows: Form[bool] = False
) -> dict[str, Any]:
    report = experts_import_xlsx(upload=file, only_good_rows=only_good_rows, actor=request.user)
    return report.as_dict()


@router.get("/pool/{expert_id}")
def experts_get(request: AuthenticatedHttpRequest, expert_id: int) -> dict[str, Any]:
    expert = selectors.expert_get(user=request.user, pk=expert_id)
    out = _expert_out(expert, request.user)
    out["former_employers"] = [{"org": f.org, "until": f.until} for f in expert.former_employers.all()]
    out["conflicts"] = [c.org for c in expert.declared_conflicts.all()]
    return out


@router.put("/pool/{expert_id}")
def experts_update(request: AuthenticatedHttpRequest, expert_id: int, payload: ExpertIn) -> dict[str, Any]:
    expert = selectors.expert_get(user=request.user, pk=expert_id)
    expert = expert_save(data=_data(payload), actor=request.user, expert=expert, version=payload.version)
    return _expert_out(expert, request.user)


@router.get("/pool/{expert_id}/contact")
def experts_contact(request: AuthenticatedHttpRequest, expert_id: int) -> dict[str, str]:
    expert = selectors.expert_get(user=request.user, pk=expert_id)
    return expert_contact_view(expert=expert, actor=request.user)


@router.post("/pool/{expert_id}/status")
def experts_status(request: AuthenticatedHttpRequest, expert_id: int, payload: StatusIn) -> dict[str, Any]:
    expert = selectors.expert_get(user=request.user, pk=expert_id)
    expert = expert_set_status(expert=expert, status=payload.status, reason=payload.reason, actor=request.user)
    return _expert_out(expert, request.user)


@router.post("/draws", response={201: dict})
@decorate_view(idempotent)
def draws_prepare(request: AuthenticatedHttpRequest, payload: DrawIn) -> Status:
    project = None
    unit = None
    if payload.project_id is not None:
        project = Project.objects.filter(pk=payload.project_id).select_related("unit").first()
        if project is None or not (is_pool_manager(request.user) or project.unit_id == request.user.organisation_id):
            raise NotFound("未找到该项目，或您无权为其抽取专家")
    elif payload.requesting_unit:
        unit = Organisation.objects.filter(code=payload.requesting_unit).first()
        if unit is None:
            raise DomainError("未找到该申请单位", field="requesting_unit")
    elif not is_pool_manager(request.user):
        unit = request.user.organisation
    needs = [n.dict() for n in payload.needs] if payload.needs else TEMPLATES.get(payload.purpose, [])
    record = draw_prepare(
        purpose=payload.purpose, subject=payload.subject, review_date=payload.review_date, needs=list(needs),
        actor=request.user, project=project, requesting_unit=unit, vendors=payload.vendors,
        plan_authors=payload.plan_authors, reserves=payload.reserves, exclude=payload.exclude,
    )
    return Status(201, selectors.draw_public_view(user=request.user, record=record))


@router.get("/draws")
def draws_list(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [selectors.draw_public_view(user=request.user, record=d) for d in selectors.draws_visible_to(request.user)]


@router.get("/draws/{draw_id}")
def draws_get(request: AuthenticatedHttpRequest, draw_id: int) -> dict[str, Any]:
    return selectors.draw_public_view(user=request.user, record=selectors.draw_get(user=request.user, pk=draw_id))


@router.get("/draws/{draw_id}/record")
def draws_record(request: AuthenticatedHttpRequest, draw_id: int) -> dict[str, Any]:
    """The whole record for independent verification (bureau only): POOL, REQUEST and seed, which
    `tongchou experts draw --pool … --request … --seed …` turns into `result` byte for byte."""
    record = selectors.draw_get(user=request.user, pk=draw_id)
    if not is_pool_manager(request.user) or record.result is None:
        raise NotFound("抽取完成后，专家库管理人员可下载完整记录用于复核")
    return {"pool": record.pool_snapshot, "request": record.request, "seed": record.seed,
            "commitment": record.commitment, "pool_hash": record.pool_hash, "result": record.result}


@router.post("/draws/{draw_id}/execute")
def draws_execute(request: AuthenticatedHttpRequest, draw_id: int) -> dict[str, Any]:
    record = draw_execute(draw_record=selectors.draw_get(user=request.user, pk=draw_id), actor=request.user)
    return selectors.draw_public_view(user=request.user, record=record)


@router.post("/draws/{draw_id}/cancel")
def draws_cancel(request: AuthenticatedHttpRequest, draw_id: int, payload: ReasonIn) -> dict[str, Any]:
    record = draw_cancel(draw_record=selectors.draw_get(user=request.user, pk=draw_id), reason=payload.reason,
                         actor=request.user)
    return selectors.draw_public_view(user=request.user, record=record)


@router.post("/draws/{draw_id}/unseal")
def draws_unseal(request: AuthenticatedHttpRequest, draw_id: int) -> dict[str, Any]:
    record = draw_unseal(draw_record=selectors.draw_get(user=request.user, pk=draw_id), actor=request.user)
    return selectors.draw_public_view(user=request.user, record=record)


@router.post("/draws/{draw_id}/close")
def draws_close(request: AuthenticatedHttpRequest, draw_id: int) -> dict[str, Any]:
    record = draw_close(draw_record=selectors.draw_get(user=request.user, pk=draw_id), actor=request.user)
    return selectors.draw_public_view(user=request.user, record=record)


@router.get("/invitations")
def invitations(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [
        {"id": m.pk, "draw": m.draw_id, "subject": m.draw.subject, "review_date": m.review_date,
         "category": m.category, "status": m.status, "score": m.score, "score_comment": m.score_comment}
        for m in selectors.invitations_for(request.user)
    ]


@router.post("/members/{member_id}/respond")
def members_respond(request: AuthenticatedHttpRequest, member_id: int, payload: RespondIn) -> dict[str, Any]:
    member = selectors.member_get(user=request.user, pk=member_id)
    replacement = member_respond(member=member, accept=payload.accept, reason=payload.reason, actor=request.user)
    return {"status": "accepted" if payload.accept else "declined",
            "replacement_found": replacement is not None}


@router.post("/members/{member_id}/duration")
def members_duration(request: AuthenticatedHttpRequest, member_id: int, payload: DurationIn) -> dict[str, Any]:
    entry = member_record_duration(member=selectors.member_get(user=request.user, pk=member_id),
                                   minutes=payload.minutes, actor=request.user)
    return {"minutes": entry.minutes, "amount": str(entry.amount), "payer": entry.payer, "year": entry.year}


@router.post("/members/{member_id}/rating")
def members_rating(request: AuthenticatedHttpRequest, member_id: int, payload: RatingIn) -> dict[str, Any]:
    member = member_rate(member=selectors.member_get(user=request.user, pk=member_id), score=payload.score,
                         comment=payload.comment, actor=request.user)
    member.expert.refresh_from_db()
    return {"score": member.score, "suspension_proposed": member.expert.suspension_proposed}


@router.post("/fee-rates")
def fee_rates_save(request: AuthenticatedHttpRequest, payload: FeeRateIn) -> dict[str, Any]:
    rate = fee_rate_save(effective_from=payload.effective_from, half_day=payload.half_day,
                         hourly_extra=payload.hourly_extra, daily_cap=payload.daily_cap, actor=request.user)
    return {"effective_from": rate.effective_from, "half_day": str(rate.half_day),
            "hourly_extra": str(rate.hourly_extra), "daily_cap": str(rate.daily_cap)}


@router.get("/fees/ledger")
def fees_ledger(request: AuthenticatedHttpRequest, year: int) -> list[dict[str, Any]]:
    return [
        {"expert": r.expert_code, "name": r.expert_name, "year": r.year, "services": r.services,
         "minutes": r.minutes, "amount": str(r.amount)}
        for r in selectors.fee_ledger(year=year, user=request.user)
    ]


@router.get("/fees/ledger.xlsx")
def fees_ledger_export(request: AuthenticatedHttpRequest, year: int) -> HttpResponse:
    return _xlsx(fee_ledger_xlsx(year=year, actor=request.user), f"expert-fees-{year}.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
