"""Project facts: the input model of the assessment contract, validated strictly.

Unknown fields are errors (they are almost always typos), so are wrong types, negative money,
impossible dates and values outside the listed vocabularies. Every error names its field and says
in Chinese what is wrong; all errors of one object are reported together.

Validation is hand-written rather than a pydantic model: it runs once per assessed object and the
CLI assesses 100,000 objects in a few seconds (see bench/assess.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tongchou.policy import vocabulary as V

Money = int | Decimal


class FactsError(ValueError):
    """Invalid project facts; `errors` is a list of {"field", "message"} in Chinese."""

    def __init__(self, errors: list[dict[str, str]]) -> None:
        self.errors = errors
        super().__init__("；".join(e["message"] for e in errors))


class _Bad(Exception):
    def __init__(self, message: str, field: str | None = None) -> None:
        self.message = message
        self.field = field


@dataclass
class Facts:
    name: str
    unit: str
    level: str
    application_date: date
    as_of: date
    funding_source: str
    classified: bool
    emergency: bool
    project_type: str
    category: str
    construction_cost: Money
    annual_om_cost: Money | None
    deployment: str
    special_network_basis: str | None
    builds_standalone_infrastructure: bool
    buys_server_hardware: bool
    leases_internet_line: bool
    leases_unintegrated_private_network: bool
    key_components_compliant: bool
    crypto_compliant: bool
    major_security_risk: bool
    obsolete_technology: bool
    goals_clear: bool
    internal_integration_done: bool
    data_sharing_done: bool
    duplicate_data_collection: bool
    original_project_accepted: bool | None
    exception: dict[str, Any] | None
    provides_data_interface: bool
    involves_work_secrets: bool
    priority_basis: tuple[str, ...]
    materials: frozenset[str]
    approval_date: date | None
    procurement_start_date: date | None
    work_start_date: date | None
    construction_period_months: int | None
    free_om_months: int | None
    contract_term_months: int | None
    accepted: bool
    requests_om_funding: bool


_DATE_RE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_CACHE: dict[str, date] = {}
_new_facts = object.__new__


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is bool:
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:40] + "…"
        return f"字符串 \"{shown}\""
    if isinstance(value, (int, float, Decimal)):
        return f"数字 {value}"
    if isinstance(value, (list, tuple)):
        return "列表"
    if isinstance(value, dict):
        return "对象"
    return type(value).__name__


# --- one checker per kind of field; each returns the normalised value or raises _Bad -------------


def _text(label: str, *, nullable: bool = False, non_empty: bool = True):
    def check(name: str, value: Any) -> Any:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            kind = "字符串或 null" if nullable else "字符串"
            raise _Bad(f"{name}（{label}）须为{kind}，收到 {_describe(value)}")
        if non_empty and not value.strip():
            raise _Bad(f"{name}（{label}）不能为空")
        return value

    return check


def _enum(label: str, allowed: tuple[str, ...]):
    allowed_set = frozenset(allowed)
    listing = "、".join(allowed)

    def check(name: str, value: Any) -> Any:
        if isinstance(value, str) and value in allowed_set:
            return value
        raise _Bad(f"{name}（{label}）取值须为 {listing} 之一，收到 {_describe(value)}")

    return check


def parse_date(name: str, label: str, value: Any) -> date:
    if type(value) is date:
        return value
    if isinstance(value, str):
        known = _DATE_CACHE.get(value)
        if known is not None:
            return known
    if isinstance(value, str) and _DATE_RE.fullmatch(value):
        try:
            parsed = date.fromisoformat(value)
            if len(_DATE_CACHE) < 20000:
                _DATE_CACHE[value] = parsed
            return parsed
        except ValueError:
            raise _Bad(f"{name}（{label}）不是真实存在的日期：\"{value}\"") from None
    if isinstance(value, datetime):
        raise _Bad(f"{name}（{label}）须为日期（YYYY-MM-DD），不能带时刻")
    raise _Bad(f"{name}（{label}）须为 YYYY-MM-DD 格式的日期，收到 {_describe(value)}")


def _date(label: str, *, nullable: bool = False):
    def check(name: str, value: Any) -> Any:
        if value is None and nullable:
            return None
        if value is None:
            raise _Bad(f"{name}（{label}）须为 YYYY-MM-DD 格式的日期，不能为 null")
        return parse_date(name, label, value)

    return check


def _bool(label: str, *, nullable: bool = False):
    def check(name: str, value: Any) -> Any:
        if value is True or value is False:
            return value
        if value is None and nullable:
            return None
        kind = "true、false 或 null" if nullable else "true 或 false"
        raise _Bad(f"{name}（{label}）须为 JSON 布尔值 {kind}，收到 {_describe(value)}")

    return check


# 一千万亿元: far above any budget; bounds the cost of formatting absurd numbers such as 1e999999999
MONEY_LIMIT = 10**15


def _money(label: str, *, nullable: bool = False):
    def check(name: str, value: Any) -> Any:
        kind = type(value)
        if kind is int:
            if value < 0:
                raise _Bad(f"{name}（{label}）不能为负数，收到 {value}")
            if value > MONEY_LIMIT:
                raise _Bad(f"{name}（{label}）超出可受理的金额上限（{MONEY_LIMIT:,} 元），请核对单位是否为元")
            return value
        if kind is Decimal or kind is float:
            number = value if kind is Decimal else Decimal(repr(value))
            if not number.is_finite():
                raise _Bad(f"{name}（{label}）须为有限的数（元），收到 {value}")
            if number < 0:
                raise _Bad(f"{name}（{label}）不能为负数，收到 {value}")
            if number > MONEY_LIMIT:
                raise _Bad(f"{name}（{label}）超出可受理的金额上限（{MONEY_LIMIT:,} 元），请核对单位是否为元")
            return number
        if value is None and nullable:
            return None
        what = "不小于 0 的数（元）或 null" if nullable else "不小于 0 的数（元）"
        raise _Bad(f"{name}（{label}）须为{what}，收到 {_describe(value)}")

    return check


def _months(label: str):
    def check(name: str, value: Any) -> Any:
        if type(value) is int:
            if value < 0:
                raise _Bad(f"{name}（{label}）不能为负数，收到 {value}")
            return value
        if value is None:
            return None
        raise _Bad(f"{name}（{label}）须为不小于 0 的整数（月）或 null，收到 {_describe(value)}")

    return check


def _enum_list(label: str, allowed: tuple[str, ...], *, as_set: bool):
    allowed_set = frozenset(allowed)
    listing = "、".join(allowed)

    def check(name: str, value: Any) -> Any:
        if not isinstance(value, list):
            raise _Bad(f"{name}（{label}）须为列表，收到 {_describe(value)}")
        for item in value:  # the common, valid case; the loop below finds and reports the first bad item
            if type(item) is not str or item not in allowed_set:
                break
        else:
            return frozenset(value) if as_set else tuple(dict.fromkeys(value))
        for index, item in enumerate(value):
            if not (isinstance(item, str) and item in allowed_set):
                raise _Bad(
                    f"{name}[{index}]（{label}）取值须为 {listing} 之一，收到 {_describe(item)}", f"{name}[{index}]"
                )
        return frozenset(value) if as_set else tuple(dict.fromkeys(value))

    return check


_EXCEPTION_KEYS = {"legal_basis": "法律依据", "superior_consent": "上一级业务主管部门书面同意"}


def _exception(name: str, value: Any) -> Any:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _Bad(
            f"{name}（第十三条例外情形）须为对象 {{\"legal_basis\": 字符串, \"superior_consent\": 布尔值}} 或 null，"
            f"收到 {_describe(value)}"
        )
    for key in value:
        if key not in _EXCEPTION_KEYS:
            raise _Bad(
                f"{name}.{key}：未知字段（只允许 legal_basis、superior_consent），请检查拼写", f"{name}.{key}"
            )
    basis = value.get("legal_basis")
    if basis is not None and not isinstance(basis, str):
        raise _Bad(f"{name}.legal_basis（法律依据）须为字符串或 null，收到 {_describe(basis)}", f"{name}.legal_basis")
    consent = value.get("superior_consent")
    if consent is not None and type(consent) is not bool:
        raise _Bad(
            f"{name}.superior_consent（上一级业务主管部门书面同意）须为 JSON 布尔值 true 或 false，收到 {_describe(consent)}",
            f"{name}.superior_consent",
        )
    return {"legal_basis": basis, "superior_consent": consent}


_MISSING = object()
_REQUIRED = object()

# name → (checker, default or _REQUIRED, Chinese label)
FIELDS: dict[str, tuple[Any, Any, str]] = {
    "name": (_text("项目名称"), _REQUIRED, "项目名称"),
    "unit": (_text("项目建设单位"), _REQUIRED, "项目建设单位"),
    "level": (_enum("项目层级", V.LEVELS), "prefecture", "项目层级"),
    "application_date": (_date("申报日期"), _REQUIRED, "申报日期"),
    "as_of": (_date("评估基准日"), None, "评估基准日"),
    "funding_source": (_enum("资金来源", V.FUNDING_SOURCES), "prefecture_fiscal", "资金来源"),
    "classified": (_bool("涉密项目"), False, "涉密项目"),
    "emergency": (_bool("紧急项目"), False, "紧急项目"),
    "project_type": (_enum("项目类型", V.PROJECT_TYPES), _REQUIRED, "项目类型"),
    "category": (_enum("项目类别", V.CATEGORIES), "development", "项目类别"),
    "construction_cost": (_money("项目资金，不含运维费用"), _REQUIRED, "项目资金"),
    "annual_om_cost": (_money("年度运维经费", nullable=True), None, "年度运维经费"),
    "deployment": (_enum("部署方式", V.DEPLOYMENTS), "gov_cloud", "部署方式"),
    "special_network_basis": (_text("专网运行的国家规定依据", nullable=True, non_empty=False), None, "专网依据"),
    "builds_standalone_infrastructure": (_bool("单独新建或扩建基础设施"), False, "单独新建或扩建基础设施"),
    "buys_server_hardware": (_bool("新增采购服务器等硬件"), False, "新增采购服务器等硬件"),
    "leases_internet_line": (_bool("单独租赁互联网出口线路"), False, "单独租赁互联网出口线路"),
    "leases_unintegrated_private_network": (_bool("未整合的专网租赁"), False, "未整合的专网租赁"),
    "key_components_compliant": (_bool("关键部件符合测评要求"), True, "关键部件符合测评要求"),
    "crypto_compliant": (_bool("符合密码应用与网络安全保密要求"), True, "符合密码应用与网络安全保密要求"),
    "major_security_risk": (_bool("存在重大安全（保密）隐患"), False, "存在重大安全（保密）隐患"),
    "obsolete_technology": (_bool("技术路线落后、淘汰或高耗能"), False, "技术路线落后"),
    "goals_clear": (_bool("需求与绩效目标明确"), True, "需求与绩效目标明确"),
    "internal_integration_done": (_bool("内部系统整合到位"), True, "内部系统整合到位"),
    "data_sharing_done": (_bool("数据共享要求落实到位"), True, "数据共享要求落实到位"),
    "duplicate_data_collection": (_bool("重复采集数据"), False, "重复采集数据"),
    "original_project_accepted": (_bool("原项目已竣工验收", nullable=True), None, "原项目已竣工验收"),
    "exception": (_exception, None, "第十三条例外情形"),
    "provides_data_interface": (_bool("提供数据接口"), True, "提供数据接口"),
    "involves_work_secrets": (_bool("涉及工作秘密"), False, "涉及工作秘密"),
    "priority_basis": (_enum_list("重点支持情形", V.PRIORITY_BASES, as_set=False), (), "重点支持情形"),
    "materials": (_enum_list("已提交材料", V.MATERIALS, as_set=True), frozenset(), "已提交材料"),
    "approval_date": (_date("立项批复日期", nullable=True), None, "立项批复日期"),
    "procurement_start_date": (_date("启动政府采购日期", nullable=True), None, "启动政府采购日期"),
    "work_start_date": (_date("开始建设日期", nullable=True), None, "开始建设日期"),
    "construction_period_months": (_months("合同约定建设周期"), None, "合同约定建设周期"),
    "free_om_months": (_months("免费运维服务期"), None, "免费运维服务期"),
    "contract_term_months": (_months("硬件采购合同建设运维期"), None, "硬件采购合同建设运维期"),
    "accepted": (_bool("已通过竣工验收"), False, "已通过竣工验收"),
    "requests_om_funding": (_bool("申请运维经费认定"), False, "申请运维经费认定"),
}
LABELS = {name: label for name, (_, _, label) in FIELDS.items()}
_CHECKS = {name: check for name, (check, _, _) in FIELDS.items()}
_DEFAULTS = {name: default for name, (_, default, _) in FIELDS.items() if default is not _REQUIRED}
_REQUIRED_NAMES = tuple(name for name, (_, default, _) in FIELDS.items() if default is _REQUIRED)
_BOOLEANS = frozenset(name for name, (_, default, _) in FIELDS.items() if default is True or default is False)
# fast paths for the common, valid case; anything else goes through the field's checker
_ENUM_VALUES = {
    "level": frozenset(V.LEVELS),
    "funding_source": frozenset(V.FUNDING_SOURCES),
    "project_type": frozenset(V.PROJECT_TYPES),
    "category": frozenset(V.CATEGORIES),
    "deployment": frozenset(V.DEPLOYMENTS),
}
_NON_NEGATIVE_INTS = frozenset({"construction_cost", "annual_om_cost", "construction_period_months", "free_om_months",
                                "contract_term_months"})

_DATE_NAMES = frozenset({"application_date", "as_of", "approval_date", "procurement_start_date", "work_start_date"})
_NON_EMPTY_TEXTS = frozenset({"name", "unit"})


def parse_facts(data: Any) -> Facts:
    """Validates one JSON object of project facts; raises FactsError listing every bad field."""
    if not isinstance(data, dict):
        raise FactsError([{"field": "（整体）", "message": f"项目事实须为 JSON 对象，收到 {_describe(data)}"}])
    values = _DEFAULTS.copy()
    errors: list[dict[str, str]] | None = None
    booleans = _BOOLEANS
    checks = _CHECKS
    enums = _ENUM_VALUES
    ints = _NON_NEGATIVE_INTS
    date_names = _DATE_NAMES
    date_cache = _DATE_CACHE
    texts = _NON_EMPTY_TEXTS
    for name, value in data.items():
        # the common, valid cases first; they need no further checking
        kind = type(value)
        if kind is bool:
            if name in booleans:
                values[name] = value
                continue
        elif kind is str:
            allowed = enums.get(name)
            if allowed is not None:
                if value in allowed:
                    values[name] = value
                    continue
            elif name in date_names:
                known = date_cache.get(value)  # a string already parsed as a real date
                if known is not None:
                    values[name] = known
                    continue
            elif name in texts and value.strip():
                values[name] = value
                continue
        elif kind is int:
            if 0 <= value <= MONEY_LIMIT and name in ints:
                values[name] = value
                continue
        check = checks.get(name)
        if check is None:
            errors = errors or []
            errors.append({"field": str(name), "message": f"未知字段 {name}（多半是拼写错误），请删除或更正"})
            continue
        try:
            values[name] = check(name, value)
        except _Bad as bad:
            errors = errors or []
            errors.append({"field": bad.field or name, "message": bad.message})
    for name in _REQUIRED_NAMES:
        if name not in data:
            errors = errors or []
            errors.append({"field": name, "message": f"缺少必填字段 {name}（{LABELS[name]}）"})
    if errors:
        raise FactsError(errors)
    if values["as_of"] is None:
        values["as_of"] = values["application_date"]
    facts = _new_facts(Facts)
    facts.__dict__ = values  # every field is in `values`; skips a 40-argument __init__ per object
    return facts


def error_line(errors: list[dict[str, str]]) -> str:
    """All errors of one object on one line (for the CLI)."""
    return "；".join(e["message"] for e in errors)
