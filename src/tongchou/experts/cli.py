"""`tongchou experts draw --pool POOL.json --request REQUEST.json [--seed SEED]` (no Django).

Exit 0 with one JSON object on standard output; exit 2 with one line in Chinese on standard error and
nothing on standard output when the input is unusable or a category has too few eligible experts.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from tongchou.experts.draw import DrawInputError, draw, new_seed

USAGE = "用法：tongchou experts draw --pool POOL.json --request REQUEST.json [--seed 64位小写十六进制]"
_OPTIONS = {"--pool": "pool", "--request": "request", "--seed": "seed"}


class UsageError(Exception):
    pass


def _write(stream: Any, text: str) -> None:
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        stream.flush()
        buffer.write(text.encode("utf-8"))
        buffer.flush()
    else:
        stream.write(text)


def _parse_args(argv: list[str]) -> dict[str, str]:
    if not argv or argv[0] != "draw":
        raise UsageError(f"未知的子命令{('：' + argv[0]) if argv else ''}。{USAGE}")
    values: dict[str, str] = {}
    args = argv[1:]
    i = 0
    while i < len(args):
        arg = args[i]
        name, eq, inline = arg.partition("=")
        if name not in _OPTIONS:
            raise UsageError(f"无法识别的参数：{arg}。{USAGE}")
        key = _OPTIONS[name]
        if key in values:
            raise UsageError(f"参数 {name} 重复出现。{USAGE}")
        if eq:
            values[key] = inline
            i += 1
        else:
            if i + 1 >= len(args):
                raise UsageError(f"参数 {name} 缺少取值。{USAGE}")
            values[key] = args[i + 1]
            i += 2
    for name in ("--pool", "--request"):
        if _OPTIONS[name] not in values:
            raise UsageError(f"缺少必填参数 {name}。{USAGE}")
    return values


def _load_json(path: str, label: str) -> Any:
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise DrawInputError(f"无法读取 {label} 文件 {path}：{exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DrawInputError(f"{label} 文件 {path} 不是 UTF-8 编码的文本") from None
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise DrawInputError(f"{label} 文件 {path} 不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列，{exc.msg}") from None
    except ValueError as exc:
        raise DrawInputError(f"{label} 文件 {path} 不是有效的 JSON：{exc}") from None


def _reject_constant(name: str) -> Any:
    raise ValueError(f"不允许 {name}")


def main(argv: list[str]) -> int:
    if argv and argv[0] in {"-h", "--help"} or argv[1:2] in (["-h"], ["--help"]):
        _write(sys.stdout, USAGE + "\n")
        return 0
    try:
        args = _parse_args(argv)
        seed = args["seed"] if "seed" in args else new_seed()
        pool = _load_json(args["pool"], "POOL")
        request = _load_json(args["request"], "REQUEST")
        result = draw(pool, request, seed)
    except (UsageError, DrawInputError) as exc:
        message = " ".join(str(exc).split())
        _write(sys.stderr, f"错误：{message}\n")
        return 2
    _write(sys.stdout, json.dumps(result, ensure_ascii=False) + "\n")
    return 0
