from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from tongchou.obligations.models import ObligationStatus
from tongchou.obligations.scheduler import enqueue_periodic
from tongchou.obligations.services import obligation_create
from tongchou.obligations.tasks import obligations_sweep_task

SRC = Path(__file__).resolve().parents[2] / "src"


@pytest.mark.django_db(transaction=True)
def test_worker_batch_runs_the_enqueued_sweep(make_project, calendar_seeded):
    project = make_project(status="approved")
    ob = obligation_create(project=project, code="ART18-FILING", title="报备", due_date=date(2020, 1, 6))
    call_command("worker", "--batch", "--interval", "0")
    ob.refresh_from_db()
    assert ob.status == ObligationStatus.OVERDUE


@pytest.mark.django_db
def test_the_scheduler_does_not_pile_up_waiting_sweeps():
    from django_tasks_db.models import DBTaskResult

    assert enqueue_periodic([obligations_sweep_task]) == 1
    assert enqueue_periodic([obligations_sweep_task]) == 0
    assert DBTaskResult.objects.filter(status="READY").count() == 1


def test_the_worker_sweeps_on_schedule_and_stops_cleanly_on_sigterm(tmp_path):
    """A real `tongchou worker` on an embedded database: the scheduler enqueues the sweep, the worker runs
    it, and SIGTERM ends both with status 0."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_VERSION"}}
    env.update(TONGCHOU_VAR_DIR=str(tmp_path), HTTPS="0", DJANGO_SETTINGS_MODULE="tongchou.config.settings",
               PYTHONPATH=os.pathsep.join([str(SRC), env.get("PYTHONPATH", "")]))
    cli = [sys.executable, "-m", "tongchou"]
    migrated = subprocess.run([*cli, "migrate", "-v0"], env=env, capture_output=True, text=True, timeout=300)
    assert migrated.returncode == 0, migrated.stderr[-2000:]
    worker = subprocess.Popen([*cli, "worker", "--sweep-every", "1", "--interval", "0.2"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        database = tmp_path / "tongchou.sqlite3"
        done = 0
        deadline = time.monotonic() + 120  # a loaded 2-core CI machine starts the worker slowly
        while time.monotonic() < deadline and done < 2:
            time.sleep(0.5)
            with sqlite3.connect(database, timeout=10) as con:
                done = con.execute(
                    "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status='SUCCESSFUL' "
                    "AND task_path LIKE '%obligations_sweep_task'").fetchone()[0]
        assert done >= 2, "the scheduler should have enqueued and the worker run at least two sweeps"
        worker.send_signal(signal.SIGTERM)
        output, _ = worker.communicate(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert worker.returncode == 0, output[-3000:]
    assert "scheduler stopped" in output
