"""Long exports and what-if runs: requested on a page or the API, run by `tongchou worker`.

A job row carries the status and progress the page polls; its file is a `StoredFile`, read back
through the audited download. The job runs with the requester's own view of the register.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tongchou.accounts.models import User
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError, NotFound
from tongchou.documents.uploads import XLSX
from tongchou.documents.xlsx import write_table
from tongchou.reports.figures import FIGURES, Scope
from tongchou.reports.models import JobKind, JobStatus, ReportJob
from tongchou.reports.workbooks import REPORTS

logger = logging.getLogger("tongchou.reports")


def _year(value: Any) -> int | None:
    if value in (None, ""):
        return None
    try:
        year = int(value)
    except (TypeError, ValueError):
        raise DomainError("预算年度应为整数", code="invalid", field="year") from None
    if not 2000 <= year <= 2100:
        raise DomainError("预算年度应在 2000 至 2100 之间", code="invalid", field="year")
    return year


def jobs_visible_to(user: User) -> QuerySet[ReportJob]:
    if not user.is_authenticated:
        return ReportJob.objects.none()
    return ReportJob.objects.filter(requested_by=user).select_related("file")


def job_get(*, user: User, pk: int) -> ReportJob:
    job = jobs_visible_to(user).filter(pk=pk).first()
    if job is None:
        raise NotFound("未找到该报表任务，或您无权查看")
    return job


def report_job_request(*, kind: str, actor: User, year: Any = None, ruleset_id: str | None = None,
                       draft_id: int | None = None) -> ReportJob:
    """Checks the request now (so a refusal is immediate), then queues it for the worker."""
    from tongchou.reports.tasks import report_job_task
    from tongchou.reports.whatif import candidate_for

    if kind not in JobKind.values:
        raise DomainError(f"未知的报表类型「{str(kind)[:20]}」", code="invalid", field="kind",
                          hint="可选：" + "、".join(JobKind.values))
    params: dict[str, Any] = {}
    if kind == JobKind.WHATIF:
        candidate = candidate_for(user=actor, ruleset_id=ruleset_id, draft_id=draft_id)
        params = {"ruleset_id": candidate.ruleset.id, "draft_id": candidate.draft_id}
    else:
        params = {"year": _year(year)}
        REPORTS[kind](Scope(actor, params["year"]))  # refuses here, not in the worker
    with transaction.atomic():
        job = ReportJob.objects.create(kind=kind, params=params, requested_by=actor)
        audit_record(event="report.requested", actor=actor, target=job, data={"kind": kind, **params})
        transaction.on_commit(lambda: report_job_task.enqueue(job.pk))
    return job


def _progress(job: ReportJob, total: int) -> Any:
    def update(done: int) -> None:
        percent = min(99, int(done * 100 / total)) if total else 99
        ReportJob.objects.filter(pk=job.pk).update(progress=percent, rows=done)
    return update


def _export(job: ReportJob) -> tuple[bytes, str, int, dict[str, Any]]:
    year = job.params.get("year")
    report = REPORTS[job.kind](Scope(job.requested_by, year))
    total = report.queryset.count()
    data = write_table(report.headers, report.rows(_progress(job, total)), title=report.title,
                       sheet_name=report.title)
    name = f"{report.title}{'-' + str(year) if year else ''}.xlsx"
    return data, name, total, {}


def _whatif(job: ReportJob) -> tuple[bytes, str, int, dict[str, Any]]:
    from tongchou.reports.whatif import candidate_for, whatif_projects, whatif_run

    user = job.requested_by
    candidate = candidate_for(user=user, ruleset_id=job.params.get("ruleset_id"), draft_id=job.params.get("draft_id"))
    total = whatif_projects(user).count()
    outcome = whatif_run(user=user, candidate=candidate, progress=_progress(job, total)).as_dict()
    rows = ([c["code"], c["name"], c["unit"], Decimal(c["construction_cost"]), c["path_now_label"],
             c["path_then_label"], c["support_now_label"], c["support_then_label"]] for c in outcome["changed"])
    data = write_table(["项目编号", "项目名称", "建设单位", "项目资金（元）", "现行审查路径", "试算审查路径",
                        "现行支持意见", "试算支持意见"], rows, title=f"规则集试算：{candidate.ruleset.id}",
                       sheet_name="变化的项目")
    outcome["changed_preview"] = outcome.pop("changed")[:200]
    return data, f"规则集试算-{candidate.ruleset.id}.xlsx", outcome["assessed"], outcome


def report_job_run(job_id: int) -> ReportJob:
    """The worker's part. A failure is recorded on the job in Chinese; nothing half-written is kept."""
    from tongchou.documents.services import stored_file_create

    job = ReportJob.objects.select_related("requested_by").get(pk=job_id)
    if job.status not in (JobStatus.QUEUED, JobStatus.RUNNING):
        return job
    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=0)
    try:
        data, name, rows, summary = (_whatif if job.kind == JobKind.WHATIF else _export)(job)
        stored = stored_file_create(data=data, display_name=name, kind=XLSX, actor=job.requested_by,
                                    purpose=f"report:{job.kind}")
        with transaction.atomic():
            job.refresh_from_db()
            job.status, job.progress, job.rows, job.result = JobStatus.DONE, 100, rows, summary
            job.file, job.finished_at = stored, timezone.now()
            job.save(update_fields=["status", "progress", "rows", "result", "file", "finished_at"])
            audit_record(event="report.generated", actor=job.requested_by, target=job,
                         data={"kind": job.kind, "rows": rows, "file": str(stored.pk)})
    except Exception as exc:
        logger.exception("report job %s failed", job.pk)
        message = exc.message if isinstance(exc, DomainError) else "生成时发生内部错误，请稍后重试或联系系统管理员"
        with transaction.atomic():
            ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=str(message)[:500],
                                                      finished_at=timezone.now())
            audit_record(event="report.generated", actor=job.requested_by, target=job, outcome="failed",
                         data={"kind": job.kind, "error": str(message)[:200]})
    job.refresh_from_db()
    return job


def report_job_download(*, job: ReportJob, actor: User) -> tuple[bytes, str]:
    from tongchou.documents.services import stored_file_read

    if job.status != JobStatus.DONE or job.file is None:
        raise DomainError("报表尚未生成完毕", code="not_ready", status=409, hint="请稍候刷新页面后再下载")
    with transaction.atomic():
        data = stored_file_read(stored=job.file, actor=actor)
        audit_record(event="report.downloaded", actor=actor, target=job,
                     data={"kind": job.kind, "file": str(job.file.pk), "sm3": job.file.sm3})
    return data, job.file.display_name


def figure_export(*, key: str, scope: Scope, actor: User) -> tuple[bytes, str]:
    """One dashboard figure as .xlsx (small: the numbers of the chart), audited as an export."""
    if key not in FIGURES:
        raise NotFound("未找到该统计图表")
    figure = FIGURES[key](scope)
    data = write_table(figure.headers, figure.rows, title=figure.title, sheet_name=figure.title)
    with transaction.atomic():
        audit_record(event="report.figure_exported", actor=actor,
                     data={"figure": key, "year": scope.year, "rows": len(figure.rows)})
    return data, f"{figure.title}{'-' + str(scope.year) if scope.year else ''}.xlsx"
