"""/api/v1/reports — dashboard figures, unit overview, long exports, rule-set what-if (thin)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpResponse
from ninja import File, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.files import UploadedFile

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.api.idempotency import idempotent
from tongchou.core_errors import NotFound
from tongchou.documents.storage import file_response
from tongchou.documents.uploads import CONTENT_TYPES, XLSX
from tongchou.policy import default_registry
from tongchou.reports import jobs
from tongchou.reports.figures import FIGURES, Scope, figure_cached
from tongchou.reports.jobs import _year
from tongchou.reports.models import ReportJob
from tongchou.reports.unit_overview import unit_overview
from tongchou.reports.whatif import drafts_visible_to, ruleset_draft_upload

router = Router(tags=["统计报表"])


class FigureOut(Schema):
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    links: list[str]
    chart: str
    series: list[int]
    note: str


class JobIn(Schema):
    kind: str
    year: int | None = None
    ruleset_id: str | None = None
    draft_id: int | None = None


class JobOut(Schema):
    id: int
    kind: str
    status: str
    progress: int
    rows: int
    params: dict[str, Any]
    error: str
    requested_at: datetime
    finished_at: datetime | None
    download_url: str | None
    result: dict[str, Any]

    @staticmethod
    def resolve_download_url(obj: ReportJob) -> str | None:
        return f"/api/v1/reports/jobs/{obj.pk}/download" if obj.status == "done" else None


class DraftOut(Schema):
    id: int
    ruleset_id: str
    title: str
    valid_from: str
    sha256: str
    display_name: str
    uploaded_at: datetime

    @staticmethod
    def resolve_valid_from(obj: Any) -> str:
        return obj.valid_from.isoformat()


@router.get("/figures", response=list[str], summary="可用的统计图表")
def list_figures(request: AuthenticatedHttpRequest) -> list[str]:
    return list(FIGURES)


@router.get("/figures/{key}", response=FigureOut, summary="一张统计图表的数据（按本人可见范围）")
def figure(request: AuthenticatedHttpRequest, key: str, year: int | None = None) -> dict[str, Any]:
    if key not in FIGURES:
        raise NotFound("未找到该统计图表")
    return figure_cached(key, Scope(request.user, _year(year)))


@router.get("/figures/{key}/export", summary="导出一张统计图表（.xlsx）")
def figure_export(request: AuthenticatedHttpRequest, key: str, year: int | None = None) -> HttpResponse:
    data, name = jobs.figure_export(key=key, scope=Scope(request.user, _year(year)), actor=request.user)
    return file_response(data, filename=name, content_type=CONTENT_TYPES[XLSX])


@router.get("/unit-overview", summary="本单位概况：项目、本月到期、已逾期")
def unit(request: AuthenticatedHttpRequest) -> dict[str, Any]:
    overview = unit_overview(Scope(request.user))

    def item(o: Any) -> dict[str, Any]:
        return {"id": o.pk, "project_code": o.project.code, "project_name": o.project.name, "title": o.title,
                "article": o.article, "due_date": o.due_date.isoformat(), "status": o.status}

    return {"total": overview.total, "amount": str(overview.amount),
            "by_status": [{k: (str(v) if k == "amount" else v) for k, v in r.items()} for r in overview.by_status],
            "due_this_month": [item(o) for o in overview.due_this_month],
            "overdue": [item(o) for o in overview.overdue], "month_end": overview.month_end.isoformat()}


@router.post("/jobs", response={202: JobOut}, summary="申请生成报表或规则集试算（由后台任务执行）")
def job_create(request: AuthenticatedHttpRequest, payload: JobIn) -> Status:
    return Status(202, jobs.report_job_request(kind=payload.kind, actor=request.user, year=payload.year,
                                        ruleset_id=payload.ruleset_id, draft_id=payload.draft_id))


@router.get("/jobs", response=list[JobOut], summary="本人申请的报表任务")
def job_list(request: AuthenticatedHttpRequest) -> Any:
    return jobs.jobs_visible_to(request.user).defer("result")[:50]


@router.get("/jobs/{job_id}", response=JobOut, summary="报表任务的状态与进度")
def job_detail(request: AuthenticatedHttpRequest, job_id: int) -> ReportJob:
    return jobs.job_get(user=request.user, pk=job_id)


@router.get("/jobs/{job_id}/download", summary="下载已生成的报表（审计留痕）")
def job_download(request: AuthenticatedHttpRequest, job_id: int) -> HttpResponse:
    job = jobs.job_get(user=request.user, pk=job_id)
    data, name = jobs.report_job_download(job=job, actor=request.user)
    return file_response(data, filename=name, content_type=CONTENT_TYPES[XLSX])


@router.get("/rulesets", summary="已登记的规则集")
def rulesets(request: AuthenticatedHttpRequest) -> list[dict[str, Any]]:
    return [r.describe() for r in default_registry().rulesets]


@router.get("/ruleset-drafts", response=list[DraftOut], summary="规则集草案（数字化发展局）")
def drafts(request: AuthenticatedHttpRequest) -> Any:
    return drafts_visible_to(request.user)[:100]


@router.post("/ruleset-drafts", response={201: DraftOut}, summary="上传规则集草案（校验后保存，不会自动启用）")
@decorate_view(idempotent)
def draft_upload(request: AuthenticatedHttpRequest, file: File[UploadedFile]) -> Status:
    data = file.read(256 * 1024 + 1)
    return Status(201, ruleset_draft_upload(data=data, display_name=file.name or "draft.yaml",
                                            actor=request.user))
