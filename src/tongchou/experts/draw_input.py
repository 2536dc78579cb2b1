"""Strict reading of a draw's POOL and REQUEST (contract: shared/spec/expert-draw.md).

Pure Python, no Django: the CLI must start fast and the web calls the same code. Every refusal is a
`DrawInputError` whose message names the file and the field, in Chinese.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

STATUSES = ("active", "suspended", "retired")
DEFAULT_RESERVES = 2
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
SEED_PATTERN = re.compile(r"[0-9a-f]{64}")


class DrawInputError(ValueError):
    """Unusable input: the CLI exits 2 with this message."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class FormerEmployer:
    org: str
    until: date


@dataclass(frozen=True)
class Expert:
    id: str
    categories: frozenset[str]
    employer: str | None
    status: str
    former_employers: tuple[FormerEmployer, ...]
    conflicts: frozenset[str]


@dataclass(frozen=True)
class Need:
    category: str
    count: int


@dataclass(frozen=True)
class DrawRequest:
    date: date
    project_unit: str
    vendors: tuple[str, ...]
    plan_authors: tuple[str, ...]
    needs: tuple[Need, ...]
    reserves: int
    exclude: frozenset[str]


def _fail(where: str, field: str, problem: str) -> DrawInputError:
    return DrawInputError(f"{where}：字段 {field} {problem}", field=field)


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value: Any, where: str, field: str, *, allow_empty: bool = False) -> str:
    if not isinstance(value, str):
        raise _fail(where, field, f"应为字符串（当前为 {_describe(value)}）")
    if not allow_empty and not value.strip():
        raise _fail(where, field, "不能为空")
    return value


def _text_list(value: Any, where: str, field: str) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise _fail(where, field, f"应为字符串数组（当前为 {_describe(value)}）")
    return tuple(_text(item, where, f"{field}[{i}]") for i, item in enumerate(value))


def _date(value: Any, where: str, field: str) -> date:
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise _fail(where, field, f"应为 YYYY-MM-DD 格式的日期（当前为 {_describe(value)}）")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _fail(where, field, f"不是有效日期：{value}") from None


def _object(value: Any, where: str, field: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _fail(where, field, f"应为 JSON 对象（当前为 {_describe(value)}）")
    return value


def _required(obj: dict[str, Any], key: str, where: str, field: str) -> Any:
    if key not in obj:
        raise _fail(where, field, "缺失（必填）")
    return obj[key]


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float):
        return f"数字 {value}"
    if isinstance(value, str):
        return f"字符串 \"{value[:40]}\""
    if isinstance(value, list):
        return "数组"
    if isinstance(value, dict):
        return "对象"
    return type(value).__name__


def parse_pool(raw: Any, where: str = "POOL") -> tuple[Expert, ...]:
    top = _object(raw, where, "（根）")
    experts_raw = _required(top, "experts", where, "experts")
    if not isinstance(experts_raw, list):
        raise _fail(where, "experts", f"应为数组（当前为 {_describe(experts_raw)}）")
    experts: list[Expert] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(experts_raw):
        base = f"experts[{i}]"
        obj = _object(item, where, base)
        expert_id = _text(_required(obj, "id", where, f"{base}.id"), where, f"{base}.id")
        if expert_id in seen:
            raise _fail(where, f"{base}.id", f"与 experts[{seen[expert_id]}] 重复：{expert_id}（专家编号必须唯一）")
        seen[expert_id] = i
        if "name" in obj:
            _text(obj["name"], where, f"{base}.name", allow_empty=True)
        categories = _text_list(_required(obj, "categories", where, f"{base}.categories"), where, f"{base}.categories")
        status = _required(obj, "status", where, f"{base}.status")
        if status not in STATUSES:
            raise _fail(where, f"{base}.status", f"应为 active、suspended 或 retired 之一（当前为 {_describe(status)}）")
        employer = obj.get("employer")
        if employer is not None:
            employer = _text(employer, where, f"{base}.employer", allow_empty=True)
        formers_raw = obj.get("former_employers", [])
        if not isinstance(formers_raw, list):
            raise _fail(where, f"{base}.former_employers", f"应为数组（当前为 {_describe(formers_raw)}）")
        formers = []
        for j, former in enumerate(formers_raw):
            fbase = f"{base}.former_employers[{j}]"
            fobj = _object(former, where, fbase)
            org = _text(_required(fobj, "org", where, f"{fbase}.org"), where, f"{fbase}.org")
            until = _date(_required(fobj, "until", where, f"{fbase}.until"), where, f"{fbase}.until")
            formers.append(FormerEmployer(org=org, until=until))
        conflicts = _text_list(obj.get("conflicts", []), where, f"{base}.conflicts")
        experts.append(
            Expert(
                id=expert_id,
                categories=frozenset(categories),
                employer=employer,
                status=status,
                former_employers=tuple(formers),
                conflicts=frozenset(conflicts),
            )
        )
    return tuple(experts)


def parse_request(raw: Any, where: str = "REQUEST") -> DrawRequest:
    obj = _object(raw, where, "（根）")
    draw_date = _date(_required(obj, "date", where, "date"), where, "date")
    project_unit = _text(_required(obj, "project_unit", where, "project_unit"), where, "project_unit")
    vendors = _text_list(obj.get("vendors", []), where, "vendors")
    plan_authors = _text_list(obj.get("plan_authors", []), where, "plan_authors")
    needs_raw = _required(obj, "needs", where, "needs")
    if not isinstance(needs_raw, list) or not needs_raw:
        raise _fail(where, "needs", "应为非空数组，每项形如 {\"category\": …, \"count\": …}")
    needs: list[Need] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(needs_raw):
        base = f"needs[{i}]"
        nobj = _object(item, where, base)
        category = _text(_required(nobj, "category", where, f"{base}.category"), where, f"{base}.category")
        if category in seen:
            raise _fail(where, f"{base}.category", f"与 needs[{seen[category]}] 重复：{category}（同一类别请合并为一项）")
        seen[category] = i
        count = _required(nobj, "count", where, f"{base}.count")
        if not _is_int(count) or count < 1:
            raise _fail(where, f"{base}.count", f"应为不小于 1 的整数（当前为 {_describe(count)}）")
        needs.append(Need(category=category, count=count))
    reserves = obj.get("reserves", DEFAULT_RESERVES)
    if not _is_int(reserves) or reserves < 0:
        raise _fail(where, "reserves", f"应为不小于 0 的整数（当前为 {_describe(reserves)}）")
    exclude = _text_list(obj.get("exclude", []), where, "exclude")
    return DrawRequest(
        date=draw_date,
        project_unit=project_unit,
        vendors=vendors,
        plan_authors=plan_authors,
        needs=tuple(needs),
        reserves=reserves,
        exclude=frozenset(exclude),
    )


def check_seed(seed: Any) -> str:
    if not isinstance(seed, str) or not SEED_PATTERN.fullmatch(seed):
        raise DrawInputError(
            "--seed 应为 64 位小写十六进制字符（0-9、a-f）；省略 --seed 时由系统随机生成",
            field="seed",
        )
    return seed
