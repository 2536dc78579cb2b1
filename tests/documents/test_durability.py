"""kill -9 in the middle of writing: every write that was acknowledged is still there afterwards.

A subprocess stores files through the real service (file, row and audit event) and prints each id only
after its transaction committed; it is killed with SIGKILL at a random moment, restarted, killed again.
Then every printed id must be present with its bytes matching their SM3 digest, and the audit chain must
still verify. This kills the writing process, not the database server: PostgreSQL here is shared with
other developers and must not be killed (see docs/operations.md for the server-crash drill).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("durability_writer.py")


@pytest.fixture(scope="module")
def migrated_sqlite(tmp_path_factory) -> Path | None:
    """One migrated SQLite file for the module; each test copies it (migrating takes seconds)."""
    if connection.vendor != "sqlite":
        return None
    var = tmp_path_factory.mktemp("template") / "var"
    env = _base_env(var, var.parent / "files")
    subprocess.run([sys.executable, "-m", "tongchou", "migrate", "-v0"], env=env, check=True, cwd=var.parent,
                   timeout=300)
    return var / "tongchou.sqlite3"


def _base_env(var: Path, files: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_VERSION",
                                                             "DJANGO_SETTINGS_MODULE"}}
    env.update(PYTHONPATH=str(ROOT / "src"), HTTPS="0", TONGCHOU_VAR_DIR=str(var),
               TONGCHOU_MEDIA_ROOT=str(files), PYTHONUNBUFFERED="1")
    return env


@pytest.fixture
def writer_env(tmp_path, migrated_sqlite) -> dict[str, str]:
    """The subprocesses' environment: a copy of the migrated SQLite file, or on PostgreSQL the test
    database itself (the test is transactional, so what they commit is visible and flushed after)."""
    env = _base_env(tmp_path / "var", tmp_path / "files")
    if migrated_sqlite is None:
        s = connection.settings_dict
        user = s["USER"] or "postgres"
        auth = f"{user}:{s['PASSWORD']}" if s["PASSWORD"] else user
        env["DATABASE_URL"] = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    else:
        (tmp_path / "var").mkdir()
        for suffix in ("", "-wal"):
            source = migrated_sqlite.with_name(migrated_sqlite.name + suffix)
            if source.exists():
                shutil.copy2(source, tmp_path / "var" / source.name)
    return env


def _write_then_kill(env: dict[str, str], start: int, tmp_path: Path, rng: random.Random) -> list[str]:
    process = subprocess.Popen([sys.executable, str(WRITER), "write", str(start)], env=env, cwd=tmp_path,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    acknowledged: list[str] = []
    target = rng.randint(10, 30)
    try:
        while len(acknowledged) < target:
            line = process.stdout.readline()
            if not line:
                raise AssertionError(f"writer stopped: {process.stderr.read()[-2000:]}")
            acknowledged.append(line.split()[0])
        os.kill(process.pid, signal.SIGKILL)  # mid-write: it is already inside the next one
        process.wait(timeout=30)
        acknowledged += [line.split()[0] for line in process.stdout.read().splitlines() if line.strip()]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    return acknowledged


@pytest.mark.django_db(transaction=True)
def test_acknowledged_writes_survive_sigkill(tmp_path, writer_env):
    env = writer_env
    rng = random.Random(20250305)
    acknowledged = _write_then_kill(env, 0, tmp_path, rng)
    acknowledged += _write_then_kill(env, 1000, tmp_path, rng)  # restart after the kill, kill again
    assert len(acknowledged) >= 20
    result = subprocess.run([sys.executable, str(WRITER), "check", *acknowledged], env=env, cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["missing"] == []
    assert report["corrupt"] == []
    assert report["chain_broken"] == []
    assert report["rows"] >= len(acknowledged)  # at most one unacknowledged commit beyond them
    leftovers = [p for p in (tmp_path / "files").rglob(".tmp-*")]
    assert len(leftovers) <= 2  # a kill between write and rename may leave a temp file, never a torn one


@pytest.mark.skipif(connection.vendor != "sqlite", reason="tongchou backup/restore is for the embedded SQLite "
                    "mode; on PostgreSQL the commands refuse (tested in test_backup.py)")
@pytest.mark.django_db(transaction=True)
def test_online_backup_while_writing_and_cli_restore(tmp_path, writer_env):
    """`tongchou backup` run while a writer keeps committing gives a consistent snapshot; `tongchou
    restore` verifies it, refuses without --yes, and with --yes brings back exactly that snapshot."""
    env = writer_env
    tongchou = [sys.executable, "-m", "tongchou"]
    writer = subprocess.Popen([sys.executable, str(WRITER), "write", "0"], env=env, cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    acks: list[tuple[str, float]] = []

    def read_one() -> tuple[str, float]:
        line = writer.stdout.readline().split()
        assert line, "writer stopped"
        acks.append((line[0], float(line[1])))
        return acks[-1]

    try:
        for _ in range(10):
            read_one()
        archive = tmp_path / "online.tar.gz"
        started = time.monotonic()
        made = subprocess.run([*tongchou, "backup", "--output", str(archive)], env=env, cwd=tmp_path,
                              capture_output=True, text=True, timeout=300)
        finished = time.monotonic()
        assert made.returncode == 0, made.stderr
        while read_one()[1] <= finished:  # until the writer has committed after the snapshot
            pass
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()

    dry = subprocess.run([*tongchou, "restore", str(archive)], env=env, cwd=tmp_path, capture_output=True,
                         text=True, timeout=300)
    assert dry.returncode != 0
    assert "全部 SM3 摘要校验通过" in dry.stdout and "--yes" in dry.stderr
    done = subprocess.run([*tongchou, "restore", str(archive), "--yes"], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "恢复完成" in done.stdout

    ids = [pk for pk, _ in acks]
    check = subprocess.run([sys.executable, str(WRITER), "check", *ids], env=env, cwd=tmp_path,
                           capture_output=True, text=True, timeout=120, check=True)
    report = json.loads(check.stdout.strip().splitlines()[-1])
    missing = set(report["missing"])
    assert not missing & {pk for pk, at in acks if at < started}  # committed before the backup began
    assert {pk for pk, at in acks if at > finished} <= missing  # committed after it ended: rolled back
    kept = [pk not in missing for pk in ids]
    assert kept == sorted(kept, reverse=True)  # one point in time: what survives is a prefix
    assert report["corrupt"] == [] and report["chain_broken"] == []


@pytest.mark.django_db(transaction=True)
def test_concurrent_read_then_write_transactions_all_commit(tmp_path, writer_env):
    """Two processes appending to the audit chain at once (read the head, then write) both finish every
    write. On SQLite this needs transactions that take the write lock at BEGIN (IMMEDIATE): a deferred
    one that read first fails at once with "database is locked" instead of waiting its turn."""
    env = writer_env
    runs = [subprocess.Popen([sys.executable, str(WRITER), "audit", "100"], env=env, cwd=tmp_path,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [run.communicate(timeout=600) for run in runs]
    for run, (out, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err[-1500:]
        assert len(out.splitlines()) == 100
    check = subprocess.run([sys.executable, str(WRITER), "check"], env=env, cwd=tmp_path, capture_output=True,
                           text=True, timeout=120, check=True)
    assert json.loads(check.stdout.strip().splitlines()[-1])["chain_broken"] == []
