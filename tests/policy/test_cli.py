"""`tongchou assess` and `tongchou rulesets` as a user runs them: exit status, stdout, stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.policy.builders import facts

SRC = Path(__file__).resolve().parents[2] / "src"


def run(*args: str, stdin: str | bytes | None = None, env: dict[str, str] | None = None):
    environ = {**os.environ, "PYTHONPATH": str(SRC), **(env or {})}
    environ.pop("DJANGO_SETTINGS_MODULE", None)
    data = stdin.encode("utf-8") if isinstance(stdin, str) else stdin
    proc = subprocess.run([sys.executable, "-m", "tongchou", *args], input=data, capture_output=True,
                          env=environ, timeout=60)
    return proc.returncode, proc.stdout.decode("utf-8"), proc.stderr.decode("utf-8")


def lines(stdout: str) -> list[dict]:
    return [json.loads(line) for line in stdout.splitlines()]


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_single_object_file(tmp_path):
    code, out, err = run("assess", write(tmp_path, "p.json", json.dumps(facts(), ensure_ascii=False, indent=2)))
    assert code == 0 and err == ""
    [result] = lines(out)
    assert result["review_path"] == "joint_review"
    assert result["receipt"]["ruleset_id"] == "changji-2025-trial"
    assert "\n" not in out.strip()  # compact: one line


def test_json_lines_in_input_order(tmp_path):
    text = "\n".join(json.dumps(facts(construction_cost=c)) for c in (100000, 900000, 3000000)) + "\n"
    code, out, err = run("assess", write(tmp_path, "p.jsonl", text))
    assert code == 0 and err == ""
    assert [r["review_path"] for r in lines(out)] == ["self_procurement", "joint_review", "joint_review"]


def test_invalid_lines_are_reported_in_place_and_the_rest_assessed(tmp_path):
    text = "\n".join([
        json.dumps(facts()),
        json.dumps(facts(construction_cost=-1)),
        "",
        "{not json",
        json.dumps([1, 2]),
        json.dumps(facts(application_date="2025-02-30", classified=1)),
        json.dumps(facts(construction_cost=100000)),
    ]) + "\n"
    code, out, err = run("assess", write(tmp_path, "p.jsonl", text))
    assert code == 1
    assert err == ""
    results = lines(out)
    assert len(results) == 6  # the blank line 3 gives nothing, but keeps its number
    assert results[0]["review_path"] == "joint_review"
    assert set(results[1]) == {"line", "error"} and results[1]["line"] == 2
    assert "construction_cost" in results[1]["error"]
    assert results[2]["line"] == 4 and "JSON" in results[2]["error"]
    assert results[3]["line"] == 5 and "对象" in results[3]["error"]
    assert results[4]["line"] == 6
    assert "application_date" in results[4]["error"] and "classified" in results[4]["error"]
    assert results[5]["review_path"] == "self_procurement"


def test_an_invalid_single_object_exits_2_naming_the_field(tmp_path):
    code, out, err = run("assess", write(tmp_path, "p.json", json.dumps(facts(construction_cost=-1), indent=1)))
    assert code == 2 and out == ""
    assert "construction_cost" in err and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err


def test_a_one_line_jsonl_file_with_a_bad_line_is_still_json_lines(tmp_path):
    code, out, err = run("assess", write(tmp_path, "p.jsonl", json.dumps(facts(level="city")) + "\n"))
    assert code == 1 and err == ""
    assert lines(out) == [{"line": 1, "error": lines(out)[0]["error"]}]
    assert "level" in lines(out)[0]["error"]


def test_json_lines_detected_by_content_whatever_the_extension(tmp_path):
    text = json.dumps(facts()) + "\n" + json.dumps(facts(construction_cost=1)) + "\n"
    code, out, _ = run("assess", write(tmp_path, "p.json", text))
    assert code == 0 and len(lines(out)) == 2
    code, out, _ = run("assess", write(tmp_path, "p.txt", json.dumps(facts(), indent=2)))
    assert code == 0 and len(lines(out)) == 1


@pytest.mark.parametrize(
    ("name", "content"),
    [("p.json", "hello\n"), ("p.jsonl", "[1]\n2\n\"x\"\n"), ("p.json", ""), ("p.jsonl", "\n\n  \n"), ("p.json", "[{}]")],
)
def test_input_that_is_not_json_objects_exits_2(tmp_path, name, content):
    code, out, err = run("assess", write(tmp_path, name, content))
    assert code == 2 and out == "" and err.strip()
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unreadable_inputs_exit_2(tmp_path):
    code, out, err = run("assess", str(tmp_path / "missing.json"))
    assert code == 2 and out == "" and "missing.json" in err
    code, out, err = run("assess", str(tmp_path))
    assert code == 2 and out == "" and "目录" in err
    binary = tmp_path / "bin.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    code, out, err = run("assess", str(binary))
    assert code == 2 and out == "" and "UTF-8" in err


def test_stdin_object_and_lines():
    code, out, _ = run("assess", "-", stdin=json.dumps(facts(), indent=2))
    assert code == 0 and len(lines(out)) == 1
    code, out, _ = run("assess", "-", stdin=json.dumps(facts()) + "\n" + json.dumps(facts(emergency=True)) + "\n")
    assert code == 0 and [r["applicability"] for r in lines(out)] == ["binding", "excluded"]
    code, out, err = run("assess", "-", stdin=json.dumps(facts(emergency="yes")))
    assert code == 2 and out == "" and "emergency" in err


def test_utf8_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(b"\xef\xbb\xbf" + (json.dumps(facts()) + "\r\n").encode() * 2)
    code, out, _ = run("assess", str(path))
    assert code == 0 and len(lines(out)) == 2


def test_usage_errors_exit_2():
    for args in (("assess",), ("assess", "a.json", "b.json"), ("assess", "--bogus", "a.json"), ("assess", "--ruleset")):
        code, out, err = run(*args)
        assert code == 2 and out == "" and err.strip(), args


def test_forcing_a_rule_set(tmp_path):
    path = write(tmp_path, "p.json", json.dumps(facts(application_date="2026-03-01")))
    code, out, _ = run("assess", "--ruleset", "changji-2025-trial", path)
    assert code == 0
    [result] = lines(out)
    assert result["ruleset"]["id"] == "changji-2025-trial" and result["ruleset"]["in_force"] is False
    code, out, err = run("assess", "--ruleset=nope", path)
    assert code == 2 and out == "" and "nope" in err


def test_rulesets_lists_what_is_registered():
    code, out, err = run("rulesets")
    assert code == 0 and err == ""
    assert "changji-2025-trial" in out and "2025-01-17" in out and "2026-01-16" in out and "sha256:" in out
    code, out, _ = run("rulesets", "--json")
    [row] = json.loads(out)
    assert row["id"] == "changji-2025-trial" and len(row["sha256"]) == 64


def test_a_broken_rule_set_directory_exits_2_naming_the_key(tmp_path):
    (tmp_path / "bad.yaml").write_text("format: 1\nid: x\ntitel: y\n", encoding="utf-8")
    for args in (("rulesets",), ("assess", "-")):
        code, out, err = run(*args, stdin="{}", env={"TONGCHOU_RULESETS_DIR": str(tmp_path)})
        assert code == 2 and out == ""
        assert "titel" in err and "bad.yaml" in err


def test_assess_does_not_import_django(tmp_path):
    path = write(tmp_path, "p.json", json.dumps(facts()))
    probe = (
        f"import sys; sys.argv=['tongchou','assess',{path!r}]\n"
        "from tongchou.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "assert not [m for m in sys.modules if m == 'django' or m.startswith('django.')], 'django imported'\n"
        "assert 'pydantic' not in sys.modules\n"
        "sys.exit(code)\n"
    )
    environ = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, env=environ, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()


def test_absurdly_deep_json_is_an_error_not_a_crash(tmp_path):
    deep = "[" * 100000 + "]" * 100000
    text = json.dumps(facts()) + "\n" + deep + "\n"
    code, out, err = run("assess", write(tmp_path, "p.jsonl", text))
    assert code == 1 and err == ""
    assert lines(out)[1] == {"line": 2, "error": "第 2 行不是合法的 JSON：嵌套层级过深"}


def test_a_line_that_is_not_utf8_is_a_line_error(tmp_path):
    path = tmp_path / "p.jsonl"
    path.write_bytes(json.dumps(facts()).encode() + b"\n" + '{"name": "州局"}'.encode("gbk") + b"\n")
    code, out, err = run("assess", str(path))
    assert code == 1 and err == ""
    assert lines(out)[1] == {"line": 2, "error": "第 2 行不是 UTF-8 编码的文本"}
