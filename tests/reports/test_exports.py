"""Reports as .xlsx, made in the worker: formula cells stay text, downloads are audited, and each
report holds only what the requester may see."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.reports.conftest import make
from tongchou.accounts.models import Organisation
from tongchou.audit.models import AuditEvent
from tongchou.reports.jobs import report_job_request, report_job_run
from tongchou.reports.models import ReportJob

pytestmark = pytest.mark.django_db
EVIL = ["=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+2", "-3+4", "@SUM(A1)"]


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def cells(data: bytes):
    ws = load_workbook(io.BytesIO(data)).active
    return [[c for c in row] for row in ws.iter_rows()]


def request_and_download(client, capture, kind, year=None):
    """Asks for the report; the worker (immediate backend here) runs it once the request commits."""
    with capture(execute=True):
        response = client.post("/api/v1/reports/jobs", {"kind": kind, "year": year}, content_type="application/json")
    assert response.status_code == 202, response.content
    job = client.get(f"/api/v1/reports/jobs/{response.json()['id']}").json()
    assert job["status"] == "done", job
    download = client.get(job["download_url"])
    assert download.status_code == 200
    return job, download.content


def test_plan_report_writes_formula_like_names_as_text(client, login, register, immediate,
                                                       django_capture_on_commit_callbacks):
    edu = Organisation.objects.get(code="cj-edu")
    for name in EVIL:
        make(edu, 10_000, name=name)
    login("bureau")
    job, data = request_and_download(client, django_capture_on_commit_callbacks, "plan", 2025)
    rows = cells(data)
    names = {row[1].value: row[1] for row in rows[2:]}
    for name in EVIL:
        assert names[name].data_type == "s", name
    # The plan: 2025 projects that left the drafts, visible to the bureau: P2, P3, P4, P8 and the four above.
    assert job["rows"] == 8
    assert AuditEvent.objects.filter(event="report.downloaded").count() == 1
    assert AuditEvent.objects.filter(event="file.download").count() == 1


def test_plan_report_carries_the_management_mode(client, login, register, immediate, demo_users,
                                                 django_capture_on_commit_callbacks):
    """Art. 3: each plan row says its project's mode in force; one without a mode is 未分类."""
    from django.utils import timezone

    from tongchou.portfolio.models import ProjectMode

    ProjectMode.objects.create(project=register.p2, mode="unified", proposed_mode="specialised",
                               confirmed_mode="unified", proposed_by=demo_users["applicant"],
                               proposed_at=timezone.now(), confirmed_by=demo_users["bureau"],
                               confirmed_at=timezone.now())
    ProjectMode.objects.create(project=register.p3, mode="specialised", proposed_mode="specialised",
                               proposed_by=demo_users["applicant"], proposed_at=timezone.now())
    login("bureau")
    _job, data = request_and_download(client, django_capture_on_commit_callbacks, "plan", 2025)
    rows = cells(data)
    header = [c.value for c in rows[1]]
    by_code = {row[0].value: dict(zip(header, [c.value for c in row], strict=True)) for row in rows[2:]}
    assert by_code[register.p2.code]["管理模式（第三条）"] == "统一建设·统筹管理"
    assert by_code[register.p3.code]["管理模式（第三条）"] == "专业建设·分类管理"
    assert by_code[register.p4.code]["管理模式（第三条）"] == "未分类"


def test_approvals_report_has_requested_approved_and_cut(client, login, register, immediate,
                                                         django_capture_on_commit_callbacks):
    login("bureau")
    _job, data = request_and_download(client, django_capture_on_commit_callbacks, "approvals")
    rows = cells(data)
    assert [c.value for c in rows[1]][6:9] == ["申报金额（元）", "批复金额（元）", "核减金额（元）"]
    by_code = {row[0].value: [c.value for c in row] for row in rows[2:]}
    assert set(by_code) == {register.p4.code, register.p6.code}  # P5 is classified
    assert by_code[register.p4.code][6:9] == [1200000, 1000000, 200000]


def test_om_and_performance_reports_run(client, login, register, immediate, django_capture_on_commit_callbacks):
    login("applicant")
    job, data = request_and_download(client, django_capture_on_commit_callbacks, "om_budget", 2026)
    rows = cells(data)
    assert job["rows"] == 1 and rows[2][0].value == register.p4.code  # not 州医保局's P6
    job, _data = request_and_download(client, django_capture_on_commit_callbacks, "performance")
    assert job["rows"] == 0


def test_expert_fees_are_refused_to_a_unit_at_once(client, login, register):
    login("applicant")
    response = client.post("/api/v1/reports/jobs", {"kind": "expert_fees"}, content_type="application/json")
    assert response.status_code == 403
    assert "数字化发展局" in response.json()["detail"]
    assert ReportJob.objects.count() == 0


def test_expert_fees_report_for_the_bureau(client, login, register, immediate, django_capture_on_commit_callbacks):
    login("bureau")
    job, data = request_and_download(client, django_capture_on_commit_callbacks, "expert_fees", 2025)
    assert cells(data)[1][1].value == "专家姓名"


def test_a_job_is_its_requesters_only(client, login, register, demo_users):
    job = report_job_request(kind="plan", actor=demo_users["bureau"], year=2025)
    login("reviewer")
    assert client.get(f"/api/v1/reports/jobs/{job.pk}").status_code == 404
    assert client.get(f"/api/v1/reports/jobs/{job.pk}/download").status_code == 404


def test_progress_and_a_download_link_when_ready(client, login, register, demo_users):
    """Queued first (the worker picks it up), then done with 100 % and a link."""
    job = report_job_request(kind="plan", actor=demo_users["bureau"], year=None)
    login("bureau")
    page = client.get(f"/reports/exports/{job.pk}/").content.decode()
    assert "排队中" in page and 'hx-trigger="every 2s"' in page
    assert client.get(f"/api/v1/reports/jobs/{job.pk}/download").status_code == 409
    report_job_run(job.pk)
    page = client.get(f"/reports/exports/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert "已完成" in page and f"/reports/exports/{job.pk}/download/" in page and "100%" in page
    response = client.get(f"/reports/exports/{job.pk}/download/")
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]


def test_bad_kind_and_year_name_the_field(client, login, register):
    login("bureau")
    response = client.post("/api/v1/reports/jobs", {"kind": "nope"}, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "kind"
    response = client.post("/api/v1/reports/jobs", {"kind": "plan", "year": 99}, content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "year"


def test_figure_export_is_audited_and_formula_safe(client, login, register):
    edu = Organisation.objects.get(code="cj-edu")
    edu.name = "=cmd|' /C calc'!A0"
    edu.save()
    login("bureau")
    response = client.get("/reports/figures/by_unit.xlsx")
    assert response.status_code == 200
    rows = cells(response.content)
    unit_cells = [row[0] for row in rows[2:]]
    evil = [c for c in unit_cells if str(c.value).startswith("=cmd")]
    assert evil and evil[0].data_type == "s"
    assert AuditEvent.objects.filter(event="report.figure_exported").count() == 1
    api = client.get("/api/v1/reports/figures/amounts/export?year=2025")
    assert api.status_code == 200


def test_a_request_queues_the_worker_task_on_commit(register, demo_users, django_capture_on_commit_callbacks):
    """With the database backend (the worker's), asking for a report leaves one task row for
    `tongchou worker`, naming the job."""
    from django_tasks_db.models import DBTaskResult

    with django_capture_on_commit_callbacks(execute=True):
        job = report_job_request(kind="plan", actor=demo_users["bureau"], year=2025)
    row = DBTaskResult.objects.get()
    assert row.task_path == "tongchou.reports.tasks.report_job_task"
    assert row.args_kwargs["args"] == [job.pk]
    assert ReportJob.objects.get(pk=job.pk).status == "queued"
