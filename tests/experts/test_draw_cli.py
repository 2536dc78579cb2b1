"""`tongchou experts draw` as a user runs it: a subprocess, files in, JSON out, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tongchou.crypto.sm import sm3_hex

SRC = Path(__file__).resolve().parents[2] / "src"
SEED = "5" * 64

POOL = {
    "experts": [
        {"id": "E001", "name": "张三", "categories": ["software", "security"], "employer": "新疆某大学",
         "status": "active", "former_employers": [{"org": "某科技公司", "until": "2023-05-31"}],
         "conflicts": ["某信息技术有限公司"]},
        {"id": "E002", "name": "李四", "categories": ["software"], "employer": "州教育局", "status": "active"},
        {"id": "E003", "name": "王五", "categories": ["software"], "employer": "甲", "status": "active"},
        {"id": "E004", "name": "赵六", "categories": ["software"], "employer": "乙", "status": "active"},
        {"id": "E005", "name": "钱七", "categories": ["software", "investment"], "employer": "丙", "status": "active"},
        {"id": "E006", "name": "孙八", "categories": ["investment"], "employer": "丁", "status": "active"},
        {"id": "E007", "name": "周九", "categories": ["investment"], "employer": "戊", "status": "suspended"},
        {"id": "E008", "name": "吴十", "categories": ["investment"], "employer": "己", "status": "active"},
        {"id": "E009", "name": "郑一", "categories": ["software"], "employer": "庚", "status": "active"},
        {"id": "E010", "name": "冯二", "categories": ["software"], "employer": "辛", "status": "active",
         "conflicts": ["某咨询公司"]},
        {"id": "E011", "name": "陈三", "categories": ["software"], "employer": "壬", "status": "active"},
    ]
}
REQUEST = {
    "date": "2025-06-20", "project_unit": "州教育局", "vendors": ["某科技公司"], "plan_authors": ["某咨询公司"],
    "needs": [{"category": "software", "count": 3}, {"category": "investment", "count": 2}],
    "reserves": 2, "exclude": ["E009"],
}


def run(tmp_path: Path, *args: str, pool=POOL, request=REQUEST) -> subprocess.CompletedProcess[bytes]:
    pool_file = tmp_path / "pool.json"
    request_file = tmp_path / "request.json"
    for path, data in ((pool_file, pool), (request_file, request)):
        path.write_bytes(data if isinstance(data, bytes) else json.dumps(data, ensure_ascii=False).encode())
    argv = [a.replace("{pool}", str(pool_file)).replace("{request}", str(request_file)) for a in args]
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run([sys.executable, "-m", "tongchou", "experts", *argv], capture_output=True, env=env, timeout=60)


def draw_cmd(tmp_path, *extra, **kw):
    return run(tmp_path, "draw", "--pool", "{pool}", "--request", "{request}", *extra, **kw)


def test_draw_prints_one_json_object(tmp_path):
    res = draw_cmd(tmp_path, "--seed", SEED)
    assert res.returncode == 0, res.stderr.decode()
    assert res.stderr == b""
    out = json.loads(res.stdout)
    assert list(out) == ["seed", "commitment", "selected", "reserves", "excluded", "eligible"]
    assert out["seed"] == SEED and out["commitment"] == sm3_hex(SEED.encode("ascii"))
    assert out["eligible"] == {"software": 4, "investment": 3}
    assert out["excluded"] == [
        {"id": "E001", "reason": "former_employer"},
        {"id": "E002", "reason": "same_unit"},
        {"id": "E007", "reason": "inactive"},
        {"id": "E009", "reason": "requested_exclusion"},
        {"id": "E010", "reason": "declared_conflict"},
    ]
    assert [s["category"] for s in out["selected"]] == ["software"] * 3 + ["investment"] * 2
    ids = [s["id"] for s in out["selected"]] + [r["id"] for r in out["reserves"]]
    assert len(ids) == len(set(ids))
    assert {s["id"] for s in out["selected"][:3]} <= {"E003", "E004", "E005", "E011"}


def test_same_input_same_bytes(tmp_path):
    a = draw_cmd(tmp_path, "--seed", SEED)
    b = draw_cmd(tmp_path, "--seed", SEED)
    assert a.returncode == 0 and a.stdout == b.stdout
    assert b"\\u" not in a.stdout  # ensure_ascii=False: Chinese stays Chinese


def test_without_seed_a_fresh_one_is_used_and_printed(tmp_path):
    a = json.loads(draw_cmd(tmp_path).stdout)
    b = json.loads(draw_cmd(tmp_path).stdout)
    for out in (a, b):
        assert len(out["seed"]) == 64 and set(out["seed"]) <= set("0123456789abcdef")
        assert out["commitment"] == sm3_hex(out["seed"].encode("ascii"))
    assert a["seed"] != b["seed"]
    again = draw_cmd(tmp_path, "--seed", a["seed"])
    assert json.loads(again.stdout) == a  # anyone holding the record reproduces the draw


def test_too_few_exits_2_naming_category_and_numbers(tmp_path):
    req = {**REQUEST, "needs": [{"category": "investment", "count": 4}]}
    res = draw_cmd(tmp_path, "--seed", SEED, request=req)
    assert res.returncode == 2 and res.stdout == b""
    message = res.stderr.decode()
    assert "investment" in message and "4" in message and "3" in message
    assert message.count("\n") == 1


@pytest.mark.parametrize("seed", ["abc", "A" * 64, "a" * 63, "a" * 65, "z" * 64, ""])
def test_bad_seed_exits_2(tmp_path, seed):
    res = draw_cmd(tmp_path, "--seed", seed)
    assert res.returncode == 2 and res.stdout == b""
    assert "--seed" in res.stderr.decode()


@pytest.mark.parametrize(
    ("pool", "req", "field"),
    [
        (b"{not json", REQUEST, "POOL"),
        ({"experts": "x"}, REQUEST, "experts"),
        ({"experts": [{"id": "E1", "categories": ["a"], "status": "busy"}]}, REQUEST, "experts[0].status"),
        ({"experts": [{"id": "E1", "categories": ["a"], "status": "active"},
                      {"id": "E1", "categories": ["a"], "status": "active"}]}, REQUEST, "experts[1].id"),
        ({"experts": [{"id": "E1", "categories": "a", "status": "active"}]}, REQUEST, "experts[0].categories"),
        ({"experts": [{"id": "E1", "categories": ["a"], "status": "active",
                       "former_employers": [{"org": "x", "until": "2023-02-30"}]}]}, REQUEST,
         "experts[0].former_employers[0].until"),
        (POOL, {**REQUEST, "date": "20250620"}, "date"),
        (POOL, {**REQUEST, "needs": [{"category": "software", "count": 0}]}, "needs[0].count"),
        (POOL, {**REQUEST, "needs": [{"category": "software", "count": True}]}, "needs[0].count"),
        (POOL, {**REQUEST, "needs": []}, "needs"),
        (POOL, {**REQUEST, "reserves": -1}, "reserves"),
        (POOL, {**REQUEST, "reserves": 1.5}, "reserves"),
        (POOL, {**REQUEST, "vendors": "某科技公司"}, "vendors"),
        (POOL, {k: v for k, v in REQUEST.items() if k != "project_unit"}, "project_unit"),
        (POOL, [1, 2], "REQUEST"),
    ],
)
def test_unusable_input_exits_2_with_one_chinese_line(tmp_path, pool, req, field):
    res = draw_cmd(tmp_path, "--seed", SEED, pool=pool, request=req)
    assert res.returncode == 2 and res.stdout == b""
    message = res.stderr.decode()
    assert field in message and message.count("\n") == 1 and "Traceback" not in message


@pytest.mark.parametrize(
    "argv",
    [
        ["draw", "--pool", "{pool}"],
        ["draw", "--pool", "/nonexistent/pool.json", "--request", "{request}"],
        ["draw", "--pool", "{pool}", "--request", "{request}", "--bogus"],
        ["shuffle", "--pool", "{pool}", "--request", "{request}"],
        [],
    ],
)
def test_usage_errors_exit_2(tmp_path, argv):
    res = run(tmp_path, *argv)
    assert res.returncode == 2 and res.stdout == b""
    assert res.stderr.decode().strip()


def test_the_command_starts_without_django(tmp_path):
    code = (
        "import sys; from tongchou.cli import main; rc = main(['experts', 'draw', '--help']);"
        "assert not [m for m in sys.modules if m.startswith('django')], 'django imported'"
    )
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, env=env, timeout=60)
    assert res.returncode == 0, res.stderr.decode()
