"""Rule-set files: loading, validation and the precomputed parameters the rules read.

A rule set is a YAML file (see `rulesets/changji-2025-trial.yaml`): identity, validity and every
number, period and list the rules use, each with its unit and article. Loading checks the whole
file and names the offending key; the file's SHA-256 goes into every assessment's receipt.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from tongchou.policy import vocabulary as V

FORMAT_VERSION = 1
_ID_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")


_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]
    """Safe YAML with dates left as text, so an impossible date is reported by key, not by the parser."""


_Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


class RulesetError(Exception):
    """A rule-set file that cannot be used; the message names the file and the key."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        self.source = source
        self.key = key
        self.problem = problem
        super().__init__(f"规则集文件 {source} 的 {key}：{problem}")


def _positive_int(value: Any) -> bool:
    return type(value) is int and value > 0


def _positive_number(value: Any) -> bool:
    return type(value) in (int, float) and value > 0


def _ratio(value: Any) -> bool:
    return type(value) in (int, float) and 0 < value <= 1


def _subset_of(vocabulary: tuple[str, ...]):
    def check(value: Any) -> bool:
        return (
            isinstance(value, list)
            and len(value) > 0
            and all(isinstance(v, str) and v in vocabulary for v in value)
            and len(set(value)) == len(value)
        )

    return check


# name → (check, what a valid value looks like)
PARAMETER_SPECS: dict[str, tuple[Any, str]] = {
    "joint_review_threshold": (_positive_number, "正数（元）"),
    "security_review_ceiling": (_positive_number, "正数（元）"),
    "joint_reviewers": (_subset_of(V.REVIEWERS), f"不重复的成员单位列表，取自 {', '.join(V.REVIEWERS)}"),
    "small_special_reviewers": (_subset_of(V.REVIEWERS), "不重复的成员单位列表"),
    "mid_special_reviewers": (_subset_of(V.REVIEWERS), "不重复的成员单位列表"),
    "special_categories": (_subset_of(V.CATEGORIES), f"项目类别列表，取自 {', '.join(V.CATEGORIES)}"),
    "construction_project_types": (_subset_of(V.PROJECT_TYPES), "项目类型列表"),
    "max_construction_period": (_positive_int, "正整数（月）"),
    "min_free_om_period": (_positive_int, "正整数（月）"),
    "min_hardware_term": (_positive_int, "正整数（月）"),
    "procurement_window": (_positive_int, "正整数（年）"),
    "om_cost_cap_ratio": (_ratio, "大于0且不超过1的比例"),
    "required_materials_always": (_subset_of(V.MATERIALS), "材料名称列表"),
    "required_materials_construction": (_subset_of(V.MATERIALS), "材料名称列表"),
    "required_materials_work_secrets": (_subset_of(V.MATERIALS), "材料名称列表"),
    "required_materials_operations": (_subset_of(V.MATERIALS), "材料名称列表"),
}
_TOP_KEYS = {
    "format": True,
    "id": True,
    "title": True,
    "issuing_body": True,
    "issue_date": True,
    "valid_from": True,
    "valid_until": True,
    "validity_article": True,
    "validity_note": False,
    "parameters": True,
}
_PARAMETER_KEYS = {"value": True, "unit": True, "article": True, "note": False}


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    value: Any
    unit: str
    article: str
    note: str | None


@dataclass(frozen=True, slots=True, eq=False)
class Parameters:
    """The rule set's values in the shapes the rules compare against (computed once per file)."""

    joint_review_threshold: int | Decimal
    security_review_ceiling: int | Decimal
    joint_reviewers: tuple[str, ...]
    small_special_reviewers: tuple[str, ...]
    mid_special_reviewers: tuple[str, ...]
    special_categories: frozenset[str]
    construction_project_types: frozenset[str]
    max_construction_period: int
    min_free_om_period: int
    min_hardware_term: int
    procurement_window: int
    om_cost_cap_ratio: Decimal
    required_materials_always: tuple[str, ...]
    required_materials_construction: tuple[str, ...]
    required_materials_work_secrets: tuple[str, ...]
    required_materials_operations: tuple[str, ...]
    # (project_type, involves_work_secrets) → the materials Art. 10 requires, computed once
    required_materials: dict[tuple[str, bool], tuple[str, ...]]


def _required_materials(values: dict[str, Any]) -> dict[tuple[str, bool], tuple[str, ...]]:
    table: dict[tuple[str, bool], tuple[str, ...]] = {}
    for project_type in V.PROJECT_TYPES:
        for secrets in (False, True):
            required = list(values["required_materials_always"])
            if project_type in values["construction_project_types"]:
                required += values["required_materials_construction"]
                if secrets:
                    required += values["required_materials_work_secrets"]
            elif project_type == "operations":
                required += values["required_materials_operations"]
            table[(project_type, secrets)] = tuple(dict.fromkeys(required))
    return table


@dataclass(frozen=True, slots=True, eq=False)
class RuleSet:
    id: str
    title: str
    issuing_body: str
    issue_date: date
    valid_from: date
    valid_until: date | None
    validity_article: str
    validity_note: str | None
    sha256: str
    source: str
    parameters: Parameters
    catalogue: dict[str, Parameter]
    valid_from_iso: str
    valid_until_iso: str | None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def article(self, name: str) -> str:
        return self.catalogue[name].article

    def describe(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title,
            "issuing_body": self.issuing_body,
            "issue_date": self.issue_date.isoformat(),
            "valid_from": self.valid_from.isoformat(),
            "valid_until": self.valid_until.isoformat() if self.valid_until else None,
            "sha256": self.sha256,
            "source": self.source,
        }


def _as_number(value: int | float) -> int | Decimal:
    # Decimal through str keeps 0.10 exact, so money comparisons carry no binary rounding.
    return value if type(value) is int else Decimal(str(value))


def _date(source: str, key: str, value: Any, *, nullable: bool = False) -> date | None:
    if value is None and nullable:
        return None
    if isinstance(value, date):
        return value
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise RulesetError(source, key, "须为 YYYY-MM-DD 格式的日期" + ("或 null" if nullable else ""))


def _text(source: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise RulesetError(source, key, "须为非空字符串")
    return value


def parse_ruleset(raw: bytes, source: str) -> RuleSet:
    """Validates the bytes of a rule-set file and builds the RuleSet (raises RulesetError)."""
    try:
        data = yaml.load(raw, Loader=_Loader)  # noqa: S506 — a SafeLoader subclass
    except (yaml.YAMLError, ValueError) as exc:
        raise RulesetError(source, "（整个文件）", f"不是合法的 YAML：{exc}") from None
    if not isinstance(data, dict):
        raise RulesetError(source, "（整个文件）", "顶层须为映射（键: 值）")
    for key in data:
        if key not in _TOP_KEYS:
            raise RulesetError(source, str(key), "未知的键（拼写错误？）")
    for key, required in _TOP_KEYS.items():
        if required and key not in data:
            raise RulesetError(source, key, "缺少必需的键")
    if data["format"] != FORMAT_VERSION:
        raise RulesetError(source, "format", f"不支持的格式版本，须为 {FORMAT_VERSION}")
    ruleset_id = data["id"]
    if not isinstance(ruleset_id, str) or not _ID_RE.match(ruleset_id):
        raise RulesetError(source, "id", "须为小写字母、数字、点、连字符或下划线组成的标识")
    valid_from = _date(source, "valid_from", data["valid_from"])
    valid_until = _date(source, "valid_until", data["valid_until"], nullable=True)
    assert valid_from is not None
    if valid_until is not None and valid_until < valid_from:
        raise RulesetError(source, "valid_until", "不能早于 valid_from")

    params = data["parameters"]
    if not isinstance(params, dict):
        raise RulesetError(source, "parameters", "须为映射（参数名: {value, unit, article}）")
    catalogue: dict[str, Parameter] = {}
    for name in params:
        if name not in PARAMETER_SPECS:
            raise RulesetError(source, f"parameters.{name}", "未知的参数（拼写错误？）")
    for name, (check, expected) in PARAMETER_SPECS.items():
        key = f"parameters.{name}"
        if name not in params:
            raise RulesetError(source, key, "缺少该参数")
        entry = params[name]
        if not isinstance(entry, dict):
            raise RulesetError(source, key, "须为映射，包含 value、unit、article")
        for sub in entry:
            if sub not in _PARAMETER_KEYS:
                raise RulesetError(source, f"{key}.{sub}", "未知的键（拼写错误？）")
        for sub, required in _PARAMETER_KEYS.items():
            if required and sub not in entry:
                raise RulesetError(source, f"{key}.{sub}", "缺少必需的键")
        if not check(entry["value"]):
            raise RulesetError(source, f"{key}.value", f"取值 {entry['value']!r} 无效，须为{expected}")
        unit = _text(source, f"{key}.unit", entry["unit"])
        article = _text(source, f"{key}.article", entry["article"])
        note = entry.get("note")
        if note is not None:
            note = _text(source, f"{key}.note", note)
        catalogue[name] = Parameter(name, entry["value"], unit, article, note)

    def value(name: str) -> Any:
        return catalogue[name].value

    if value("security_review_ceiling") < value("joint_review_threshold"):
        raise RulesetError(source, "parameters.security_review_ceiling.value", "不能小于 joint_review_threshold")

    parameters = Parameters(
        joint_review_threshold=_as_number(value("joint_review_threshold")),
        security_review_ceiling=_as_number(value("security_review_ceiling")),
        joint_reviewers=tuple(value("joint_reviewers")),
        small_special_reviewers=tuple(value("small_special_reviewers")),
        mid_special_reviewers=tuple(value("mid_special_reviewers")),
        special_categories=frozenset(value("special_categories")),
        construction_project_types=frozenset(value("construction_project_types")),
        max_construction_period=value("max_construction_period"),
        min_free_om_period=value("min_free_om_period"),
        min_hardware_term=value("min_hardware_term"),
        procurement_window=value("procurement_window"),
        om_cost_cap_ratio=Decimal(str(value("om_cost_cap_ratio"))),
        required_materials_always=tuple(value("required_materials_always")),
        required_materials_construction=tuple(value("required_materials_construction")),
        required_materials_work_secrets=tuple(value("required_materials_work_secrets")),
        required_materials_operations=tuple(value("required_materials_operations")),
        required_materials=_required_materials({name: p.value for name, p in catalogue.items()}),
    )
    issue_date = _date(source, "issue_date", data["issue_date"])
    assert issue_date is not None
    return RuleSet(
        id=ruleset_id,
        title=_text(source, "title", data["title"]),
        issuing_body=_text(source, "issuing_body", data["issuing_body"]),
        issue_date=issue_date,
        valid_from=valid_from,
        valid_until=valid_until,
        validity_article=_text(source, "validity_article", data["validity_article"]),
        validity_note=_text(source, "validity_note", data["validity_note"]) if data.get("validity_note") is not None else None,
        sha256=hashlib.sha256(raw).hexdigest(),
        source=source,
        parameters=parameters,
        catalogue=catalogue,
        valid_from_iso=valid_from.isoformat(),
        valid_until_iso=valid_until.isoformat() if valid_until else None,
    )


def load_ruleset(path: str | Path) -> RuleSet:
    """Reads and validates one rule-set file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise RulesetError(str(path), "（整个文件）", f"无法读取：{exc.strerror or exc}") from None
    return parse_ruleset(raw, str(path))
