"""Background tasks run by `tongchou worker` (django-tasks, database backend)."""

from __future__ import annotations

from django_tasks import task


@task()
def report_job_task(job_id: int) -> dict[str, object]:
    from tongchou.reports.jobs import report_job_run

    job = report_job_run(job_id)
    return {"job": job.pk, "status": job.status, "rows": job.rows}
