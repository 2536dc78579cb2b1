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
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).with_name("durability_writer.py")


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "PYTEST_VERSION",
                                                             "DJANGO_SETTINGS_MODULE"}}
    env.update(PYTHONPATH=str(ROOT / "src"), HTTPS="0", TONGCHOU_VAR_DIR=str(tmp_path / "var"),
               TONGCHOU_MEDIA_ROOT=str(tmp_path / "files"), PYTHONUNBUFFERED="1")
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        user = s["USER"] or "postgres"
        auth = f"{user}:{s['PASSWORD']}" if s["PASSWORD"] else user
        env["DATABASE_URL"] = f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"
    else:
        subprocess.run([sys.executable, "-m", "tongchou", "migrate", "-v0"], env=env, check=True, cwd=tmp_path,
                       timeout=300)
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
            acknowledged.append(line.strip())
        os.kill(process.pid, signal.SIGKILL)  # mid-write: it is already inside the next one
        process.wait(timeout=30)
        acknowledged += [line.strip() for line in process.stdout.read().splitlines() if line.strip()]
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    return acknowledged


@pytest.mark.django_db(transaction=True)
def test_acknowledged_writes_survive_sigkill(tmp_path):
    env = _env(tmp_path)
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
