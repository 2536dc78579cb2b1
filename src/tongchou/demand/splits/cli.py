"""`tongchou splits FILE`: JSON Lines of projects in, JSON Lines of suspected groups out (spec/splits.md).

Exit 0 when every line was usable, 1 when some lines were invalid (each reported as
{"line": N, "error": "..."} and skipped), 2 when the input as a whole is unusable (message on standard
error, nothing on standard output). Imports nothing from Django, so it starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from .engine import detect
from .records import ProjectRecord, RecordError, parse_record

USAGE = "用法：tongchou splits FILE（JSON Lines，每行一个项目；FILE 为 - 时读标准输入）"


class InputUnusable(Exception):
    pass


def read_input(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise InputUnusable(f"无法读取输入文件 {path}：{exc.strerror or exc}") from exc


def parse_lines(data: bytes) -> tuple[list[ProjectRecord], list[dict[str, Any]], bool]:
    """Records, error lines, and whether any line was a JSON object at all."""
    records: list[ProjectRecord] = []
    errors: list[dict[str, Any]] = []
    seen_ids: dict[str, int] = {}
    any_object = False
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    for number, raw in enumerate(data.split(b"\n"), start=1):
        if not raw.strip():
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            errors.append({"line": number, "error": "该行不是 UTF-8 编码的文本"})
            continue
        try:
            obj = json.loads(text)
        except (json.JSONDecodeError, RecursionError) as exc:
            errors.append({"line": number, "error": f"该行不是合法的 JSON：{exc.msg if hasattr(exc, 'msg') else exc}"})
            continue
        if isinstance(obj, dict):
            any_object = True
        try:
            record = parse_record(obj)
        except RecordError as exc:
            errors.append({"line": number, "error": exc.message})
            continue
        if record.id in seen_ids:
            errors.append(
                {"line": number, "error": f"字段 id（项目编号）重复：{record.id} 已在第 {seen_ids[record.id]} 行出现"}
            )
            continue
        seen_ids[record.id] = number
        records.append(record)
    return records, errors, any_object


def main(argv: list[str]) -> int:
    if len(argv) != 1 or argv[0] in {"-h", "--help"}:
        if argv and argv[0] in {"-h", "--help"}:
            print(USAGE)
            return 0
        print(USAGE, file=sys.stderr)
        return 2
    try:
        data = read_input(argv[0])
    except InputUnusable as exc:
        print(str(exc), file=sys.stderr)
        return 2
    records, errors, any_object = parse_lines(data)
    if not any_object:
        print("输入不可用：没有任何一行是 JSON 对象（每行应为一个项目的 JSON 对象）", file=sys.stderr)
        return 2
    out = sys.stdout
    try:
        for error in errors:
            out.write(json.dumps(error, ensure_ascii=False) + "\n")
        for line in detect(records):
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.flush()
    except BrokenPipeError:
        # The reader (head, a pager) stopped listening: not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    return 1 if errors else 0
