"""`tongchou splits FILE` as a user runs it: exit codes 0/1/2, error lines, stdin, no Django."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .splits_cases import BACKGROUND, BOILER, project

SRC = str(Path(__file__).resolve().parents[2] / "src")
PHASES = [
    project("p1", "智慧校园管理平台（一期）", "建设电子班牌信息发布、校园一卡通消费与门禁、教师电子备课。" + BOILER, cost=450_000),
    project("p2", "智慧校园管理平台（二期）", "在一期基础上建设家校互动通知、课后服务选课、校园一卡通消费与门禁扩容。" + BOILER,
            cost=430_000),
]


def tongchou(*args: str, stdin: str | None = None, hashseed: str = "0") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": SRC, "PYTHONHASHSEED": hashseed}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    return subprocess.run(
        [sys.executable, "-m", "tongchou", *args], input=stdin, capture_output=True, text=True, env=env,
        timeout=120, check=False,
    )


def write(tmp_path: Path, lines: list) -> Path:
    path = tmp_path / "projects.jsonl"
    path.write_text("\n".join(x if isinstance(x, str) else json.dumps(x, ensure_ascii=False) for x in lines) + "\n",
                    encoding="utf-8")
    return path


def test_valid_input_exits_0_with_groups(tmp_path):
    result = tongchou("splits", str(write(tmp_path, BACKGROUND + PHASES)))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert len(lines) == 1
    group = lines[0]
    assert group["code"] == "ART8-SPLIT"
    assert group["ids"] == ["p1", "p2"]
    assert group["units"] == ["州教育局"] and group["years"] == [2026]
    assert group["combined_cost"] == 880_000 and group["evades_review"] is True
    assert set(group) >= {"code", "ids", "units", "years", "score", "combined_cost", "evades_review", "message"}


def test_no_group_prints_nothing_and_exits_0(tmp_path):
    result = tongchou("splits", str(write(tmp_path, BACKGROUND)))
    assert (result.returncode, result.stdout) == (0, "")


def test_standard_input_with_dash():
    text = "\n".join(json.dumps(p, ensure_ascii=False) for p in BACKGROUND + PHASES)
    result = tongchou("splits", "-", stdin=text)
    assert result.returncode == 0
    assert json.loads(result.stdout.splitlines()[0])["ids"] == ["p1", "p2"]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        ({"id": "z", "unit": "州教育局", "year": 2026, "name": "某系统", "description": "某内容"}, "construction_cost"),
        (dict(BACKGROUND[0], id="z", year="2026"), "year"),
        (dict(BACKGROUND[0], id="z", year=True), "year"),
        (dict(BACKGROUND[0], id="z", construction_cost=-1), "construction_cost"),
        (dict(BACKGROUND[0], id="z", construction_cost="30万"), "construction_cost"),
        (dict(BACKGROUND[0], id="z", category="software"), "category"),
        (dict(BACKGROUND[0], id="z", classified="否"), "classified"),
        (dict(BACKGROUND[0], id=17), "id"),
        (dict(BACKGROUND[0], id="z", name="  "), "name"),
        (dict(BACKGROUND[0], id="z", unti="州教育局"), "unti"),
        (dict(BACKGROUND[0]), "id"),  # duplicate id: b1 again
    ],
)
def test_an_invalid_line_is_reported_and_skipped_exit_1(tmp_path, bad, field):
    result = tongchou("splits", str(write(tmp_path, BACKGROUND + PHASES + [bad])))
    assert result.returncode == 1
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    errors = [x for x in lines if "line" in x]
    assert errors == [{"line": len(BACKGROUND) + 3, "error": errors[0]["error"]}]
    assert field in errors[0]["error"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in errors[0]["error"])  # in Chinese
    assert [x["ids"] for x in lines if "code" in x] == [["p1", "p2"]]  # the rest still detected


def test_not_json_and_not_an_object_lines_are_errors(tmp_path):
    result = tongchou("splits", str(write(tmp_path, ["{坏的", "[1, 2]", *PHASES])))
    assert result.returncode == 1
    lines = [json.loads(x) for x in result.stdout.splitlines()]
    assert [x["line"] for x in lines if "line" in x] == [1, 2]


@pytest.mark.parametrize("content", ["", "\n\n", "not json\n[1]\n\"text\"\n"])
def test_input_without_any_json_object_exits_2(tmp_path, content):
    path = tmp_path / "x.jsonl"
    path.write_text(content, encoding="utf-8")
    result = tongchou("splits", str(path))
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() and "Traceback" not in result.stderr


def test_unreadable_file_exits_2(tmp_path):
    result = tongchou("splits", str(tmp_path / "missing.jsonl"))
    assert (result.returncode, result.stdout) == (2, "")
    assert "无法读取" in result.stderr and "Traceback" not in result.stderr


def test_output_is_the_same_whatever_the_hash_seed_and_line_order(tmp_path):
    lines = BACKGROUND + PHASES + [dict(p, id="c" + p["id"], unit="昌吉市教育局", year=2027) for p in PHASES]
    first = tongchou("splits", str(write(tmp_path, lines)), hashseed="1").stdout
    second = tongchou("splits", str(write(tmp_path, list(reversed(lines)))), hashseed="987").stdout
    assert first and first == second


def test_the_command_does_not_load_django():
    code = ("import sys; from tongchou.cli import main; main(['splits', '--help']); "
            "assert not any(m.startswith('django') for m in sys.modules), 'django imported'")
    env = {**os.environ, "PYTHONPATH": SRC}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, result.stderr
