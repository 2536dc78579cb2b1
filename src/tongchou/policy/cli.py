"""`tongchou assess` and `tongchou rulesets`: fast commands that never start Django.

Input (`assess FILE`, `-` for standard input) is one JSON object or JSON Lines, told apart by
content as well as by extension:
- `.jsonl` files are JSON Lines, unless the whole file is one object spread over several lines;
- anything else that parses as a whole to one JSON object is a single object; otherwise JSON Lines.
Blank lines in JSON Lines are skipped and produce no output, but still count, so error lines keep
the file's own line numbers.

Exit status: 0 all assessed; 1 some JSON Lines were invalid (each gives {"line": N, "error": …} in
its place); 2 the input as a whole is unusable — a one-line Chinese message on standard error,
nothing on standard output, never a traceback.
"""

from __future__ import annotations

import gc
import json
import sys
from typing import Any, BinaryIO

from tongchou.policy.jsonio import decode as _decode
from tongchou.policy.jsonio import encode_bytes as _encode
from tongchou.policy.jsonio import kind as _kind
from tongchou.policy.jsonio import problem as _json_problem

USAGE_ASSESS = (
    "用法：tongchou assess [--ruleset 规则集ID] 文件\n"
    "  文件为一个 JSON 对象（.json）或 JSON Lines（.jsonl，每行一个对象）；- 表示从标准输入读取。\n"
    "  --ruleset 强制使用指定规则集（假设分析）；tongchou rulesets 列出已登记的规则集。\n"
    "退出状态：0 全部评估；1 部分行无效（该行输出 {\"line\": N, \"error\": …}）；2 输入整体不可用。"
)
USAGE_RULESETS = "用法：tongchou rulesets [--json]\n  列出已登记的规则集（id、有效期、文件 SHA-256、来源文件）。"


class _Unusable(Exception):
    """The input as a whole cannot be used (exit 2)."""


def _parse_args(argv: list[str]) -> tuple[str | None, str | None]:
    ruleset_id: str | None = None
    paths: list[str] = []
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg == "--":  # everything after it is a file name, even "-x.json"
            paths.extend(argv[i + 1:])
            break
        if arg in ("-h", "--help"):
            raise SystemExit(_help(USAGE_ASSESS))
        if arg == "--ruleset":
            if i + 1 >= len(argv) or not argv[i + 1].strip():
                raise _Unusable("参数 --ruleset 缺少规则集 ID")
            ruleset_id = argv[i + 1]
            i += 2
            continue
        if arg.startswith("--ruleset="):
            ruleset_id = arg.split("=", 1)[1]
            if not ruleset_id.strip():
                raise _Unusable("参数 --ruleset 缺少规则集 ID")
        elif arg.startswith("-") and arg != "-":
            raise _Unusable(f"未知参数 {arg}（tongchou assess --help 查看用法）")
        else:
            paths.append(arg)
        i += 1
    if len(paths) != 1:
        raise _Unusable("须指定且只能指定一个输入文件（- 表示标准输入）；tongchou assess --help 查看用法")
    return ruleset_id, paths[0]


def _help(text: str) -> int:
    print(text)
    return 0


def _read(path: str) -> str | list[str | None]:
    """The input as text; or, when some lines are not UTF-8, its lines (None for each bad one)."""
    try:
        if path == "-":
            raw = sys.stdin.buffer.read()
        else:
            with open(path, "rb") as handle:
                raw = handle.read()
    except FileNotFoundError:
        raise _Unusable(f"无法读取输入文件 {path}：文件不存在") from None
    except IsADirectoryError:
        raise _Unusable(f"无法读取输入文件 {path}：这是一个目录") from None
    except PermissionError:
        raise _Unusable(f"无法读取输入文件 {path}：没有读取权限") from None
    except OSError as exc:
        raise _Unusable(f"无法读取输入文件 {path}：{exc.strerror or exc}") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        first_error = exc.start + 1
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines: list[str | None] = []
    for raw_line in raw.split(b"\n"):
        try:
            lines.append(raw_line.decode("utf-8"))
        except UnicodeDecodeError:
            lines.append(None)
    if all(line is None or not line.strip() for line in lines):
        raise _Unusable(
            f"输入文件 {path} 不是 UTF-8 编码的文本（第 {first_error} 个字节处无法解码；如为 GBK 编码，请另存为 UTF-8）"
        )
    return lines


def _single_object(text: str, path: str) -> tuple[dict[str, Any] | None, str | None]:
    """The input as one JSON object (or None: read it as JSON Lines), and why a multi-line object failed."""
    stripped = text.strip()
    if not stripped.startswith("{"):
        return None, None
    try:
        value = _decode(stripped)
    except ValueError as exc:
        return None, (_json_problem(exc) if "\n" in stripped else None)
    if not isinstance(value, dict):
        return None, None
    if path.lower().endswith(".jsonl") and "\n" not in stripped:
        return None, None  # one line of a JSON Lines file: per-line rules (exit 1) apply
    return value, None


def assess_main(argv: list[str]) -> int:
    try:
        return _assess(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0) if isinstance(exit_.code, int) else 0
    except _Unusable as exc:
        _stderr(str(exc))
        return 2
    except KeyboardInterrupt:
        _stderr("已中断")
        return 2
    except BrokenPipeError:
        return 2
    except Exception as exc:  # noqa: BLE001 — a person gets a sentence, never a traceback
        _stderr(f"评估失败：内部错误（{type(exc).__name__}: {exc}）。请把输入文件交给系统管理员排查。")
        return 2


def _stderr(message: str) -> None:
    line = " ".join(message.split("\n"))
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _assess(argv: list[str]) -> int:
    ruleset_id, path = _parse_args(argv)
    assert path is not None
    from tongchou.policy.engine import assess
    from tongchou.policy.facts import FactsError, error_line, parse_facts
    from tongchou.policy.registry import default_registry
    from tongchou.policy.ruleset import RulesetError

    try:
        registry = default_registry()
        if ruleset_id is not None:
            registry.get(ruleset_id)
    except RulesetError as exc:
        raise _Unusable(f"规则集无法载入：{exc}") from None
    except FactsError as exc:
        raise _Unusable(error_line(exc.errors)) from None

    text = _read(path)
    gc.freeze()  # start-up objects (modules, rule sets, the input text) need no rescanning per line
    out: BinaryIO = sys.stdout.buffer
    if isinstance(text, list):
        return _assess_lines(text, registry, ruleset_id, out, None)
    single, whole_problem = _single_object(text, path)
    if single is not None:
        try:
            facts = parse_facts(single)
        except FactsError as exc:
            raise _Unusable(f"输入无效：{error_line(exc.errors)}") from None
        out.write(_encode(assess(facts, registry, ruleset_id=ruleset_id).as_dict()) + b"\n")
        out.flush()
        return 0
    return _assess_lines(text.split("\n"), registry, ruleset_id, out, whole_problem)


def _assess_lines(
    text_lines: list[str] | list[str | None],
    registry: Any,
    ruleset_id: str | None,
    out: BinaryIO,
    whole_problem: str | None,
) -> int:
    from tongchou.policy.engine import assess
    from tongchou.policy.facts import FactsError, error_line, parse_facts

    pending: list[bytes] = []  # held back until a line proves to be a JSON object (else exit 2)
    seen_object = False
    bad = 0
    first_problem = ""
    chunk: list[bytes] = []
    for number, line in enumerate(text_lines, start=1):
        problem: str | None = None
        if line is None:
            problem = f"第 {number} 行不是 UTF-8 编码的文本"
        elif not line.strip():
            continue
        else:
            try:
                value = _decode(line)
            except ValueError as exc:
                problem = f"第 {number} 行不是合法的 JSON：{_json_problem(exc).split('：', 1)[-1]}"
            else:
                if isinstance(value, dict):
                    seen_object = True
                    try:
                        result = assess(parse_facts(value), registry, ruleset_id=ruleset_id).as_dict()
                    except FactsError as exc:
                        bad += 1
                        chunk.append(_encode({"line": number, "error": error_line(exc.errors)}))
                    except Exception as exc:  # noqa: BLE001 — one bad line must not sink the other 99,999
                        problem = f"第 {number} 行评估失败：内部错误（{type(exc).__name__}），请把该行交给系统管理员排查"
                    else:
                        chunk.append(_encode(result))
                else:
                    problem = f"第 {number} 行须为 JSON 对象（项目事实），收到 {_kind(value)}"
        if problem is not None:
            bad += 1
            first_problem = first_problem or problem
            chunk.append(_encode({"line": number, "error": problem}))
        if not seen_object:
            pending.extend(chunk)
            chunk = []
        elif len(chunk) >= 512 or pending:
            if pending:
                chunk = pending + chunk
                pending = []
            out.write(b"\n".join(chunk) + b"\n")
            chunk = []
    if not seen_object:
        if whole_problem:
            raise _Unusable(f"输入不是合法的 JSON 对象：{whole_problem}")
        if first_problem:
            raise _Unusable(f"输入不是 JSON 对象或 JSON Lines：没有任何一行是 JSON 对象（{first_problem}）")
        raise _Unusable("输入为空：没有任何 JSON 对象")
    if chunk:
        out.write(b"\n".join(chunk) + b"\n")
    out.flush()
    return 1 if bad else 0


def rulesets_main(argv: list[str]) -> int:
    try:
        return _rulesets(argv)
    except _Unusable as exc:
        _stderr(str(exc))
        return 2
    except Exception as exc:  # noqa: BLE001
        _stderr(f"列出规则集失败：{type(exc).__name__}: {exc}")
        return 2


def _rulesets(argv: list[str]) -> int:
    as_json = False
    for arg in argv:
        if arg in ("-h", "--help"):
            return _help(USAGE_RULESETS)
        if arg == "--json":
            as_json = True
        else:
            raise _Unusable(f"未知参数 {arg}（tongchou rulesets --help 查看用法）")
    from tongchou.policy.registry import default_registry
    from tongchou.policy.ruleset import RulesetError

    try:
        registry = default_registry()
    except RulesetError as exc:
        raise _Unusable(f"规则集无法载入：{exc}") from None
    rows = [r.describe() for r in registry.rulesets]
    if as_json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False) + "\n")
        return 0
    print("已登记的规则集（按生效日期）：")
    for row in rows:
        until = row["valid_until"] or "长期"
        print(f"{row['id']}\t{row['valid_from']} 至 {until}\tsha256:{row['sha256']}\t{row['title']}\t{row['source']}")
    return 0
