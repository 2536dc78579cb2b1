"""pydantic's validation errors, said in Chinese: "<字段名>：<what is wrong and what to do>".

pydantic words its errors in English ("Field required", "Input should be a valid date…"); the API answers
people, so each error is re-worded here from its ``type`` and ``ctx`` (the limits: max_length, ge, the
allowed literal values…). The field is named by its label: the schema field's ``title`` (or a short
``description``), else the ``verbose_name`` of the same-named field on the Django model the schema writes
(``ContractIn`` → ``Contract``), else the one Chinese ``verbose_name`` all our models agree on for that
name, else the name itself. ``translate`` is pure; ``label_for`` reads the schema and the model registry.
"""

from __future__ import annotations

import re
import types
import typing
from functools import cache
from typing import Any

from pydantic import BaseModel

_CJK = re.compile(r"[\u4e00-\u9fff]")
_QUOTED = re.compile(r"'([^']*)'")
WHOLE_BODY = "请求体"

# Names whose models disagree on a label (``name`` is 项目名称 on Project, 里程碑 on Milestone…).
# The API's own names (paging, path ids, optimistic locking) have no model field to borrow a label from.
COMMON_LABELS = {
    "name": "名称", "kind": "类型", "year": "年度", "note": "说明", "summary": "内容摘要", "result": "结果",
    "date": "日期", "status": "状态", "amount": "金额（元）", "reason": "理由", "comment": "意见",
    "title": "标题", "description": "说明", "reported_on": "报告日期", "due_on": "期限", "new_due_on": "新的期限",
    "report": "报告内容", "issues": "存在问题", "findings": "检查发现", "period": "期间", "unit": "单位",
    "grade": "等级", "score": "评分", "accept": "是否接受", "conclusion": "结论", "comments": "意见",
    "purpose": "用途", "classified": "是否涉密", "expected_version": "版本号（expected_version）",
    "limit": "每页条数", "offset": "起始位置", "start": "开始日期", "end": "结束日期", "as_of": "截至日期",
    "after": "起始日期", "n": "工作日天数", "day": "日期", "format": "格式", "unread": "仅未读",
    "lead_days": "提前天数", "ruleset": "规则集", "ruleset_id": "规则集", "project": "项目",
}
ID_SUFFIX = "_id"


def _text(error: dict[str, Any]) -> str | None:
    """What is wrong and what to do, for the error's type; None for a type not worded here."""
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "必填，请填写。"
    if kind == "string_too_long":
        return f"最多 {ctx.get('max_length')} 个字符，请删减。"
    if kind == "string_too_short":
        return "不能为空，请填写。" if ctx.get("min_length") == 1 else f"至少 {ctx.get('min_length')} 个字符。"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项，请删减。"
    if kind == "too_short":
        return f"至少 {ctx.get('min_length')} 项，请补充。"
    if kind == "greater_than":
        return f"须大于 {ctx.get('gt')}。"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}。"
    if kind == "less_than":
        return f"须小于 {ctx.get('lt')}。"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}。"
    if kind in ("int_parsing", "int_type", "int_parsing_size"):
        return "应为整数，请填写数字。"
    if kind == "int_from_float":
        return "应为整数，不能带小数。"
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type"):
        return "应为数字（如 1200000 或 12.50），请填写数字。"
    if kind in ("finite_number", "decimal_not_finite"):
        return "应为有限的数字。"
    if kind == "decimal_max_digits":
        return f"最多 {ctx.get('max_digits')} 位数字。"
    if kind == "decimal_max_places":
        return f"最多保留 {ctx.get('decimal_places')} 位小数。"
    if kind == "decimal_whole_digits":
        return f"整数部分最多 {ctx.get('whole_digits')} 位。"
    if kind in ("bool_parsing", "bool_type"):
        return "应为 true 或 false。"
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_from_datetime_inexact", "date_type"):
        return "日期格式应为 YYYY-MM-DD，且须是实际存在的日期。"
    if kind in ("datetime_parsing", "datetime_from_date_parsing", "datetime_type"):
        return "日期时间格式应为 YYYY-MM-DDTHH:MM:SS。"
    if kind in ("literal_error", "enum"):
        allowed = _QUOTED.findall(str(ctx.get("expected", "")))
        return f"只能是 {'、'.join(allowed)} 之一。" if allowed else "不是可选的值，请按接口文档填写。"
    if kind == "json_invalid":
        return "不是有效的 JSON，请检查格式（引号、逗号、括号）。"
    if kind in ("model_attributes_type", "model_type", "dict_type"):
        return "应为 JSON 对象（{…}）。"
    if kind in ("list_type", "tuple_type", "set_type"):
        return "应为列表（JSON 数组 […]）。"
    if kind == "string_type":
        return "应为文本（字符串）。"
    if kind == "extra_forbidden":
        return "未知字段，请检查拼写或删除。"
    if kind in ("uuid_parsing", "uuid_type"):
        return "应为有效的 UUID。"
    if kind in ("url_parsing", "url_type", "url_scheme"):
        return "应为有效的网址。"
    if kind == "none_required":
        return "此处不能填写。"
    return None


def translate(error: dict[str, Any], label: str) -> str:
    """One pydantic error as a Chinese sentence naming ``label``; never pydantic's English text."""
    if error.get("type") in ("value_error", "assertion_error"):
        own = str(error.get("msg", "")).removeprefix("Value error, ").removeprefix("Assertion failed, ")
        if _CJK.search(own):  # our own validator wrote it for people
            return own if own.startswith(label) else f"{label}：{own}"
    text = _text(error)
    return f"{label}：{text or '输入无效，请检查后重新填写。'}"


def _model_types(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models inside an annotation (``MemberIn`` in ``list[MemberIn] | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        return [m for arg in typing.get_args(annotation) for m in _model_types(arg)]
    return []


def _schema_label(field: Any) -> str:
    """The field's ``title``, or its ``description`` when that is a short Chinese name (not a sentence)."""
    if field.title:
        return str(field.title)
    description = str(field.description or "").split("（")[0]
    if _CJK.search(description) and not re.search(r"[A-Za-z：；，。]", description) and len(description) <= 16:
        return description
    return ""


@cache
def _model_fields() -> tuple[dict[str, dict[str, str]], dict[str, str]]:
    """(model name → field name → Chinese verbose_name, field name → the one label every model agrees on)."""
    from django.apps import apps

    by_model: dict[str, dict[str, str]] = {}
    seen: dict[str, set[str]] = {}
    for model in apps.get_models():
        if not model.__module__.startswith("tongchou."):
            continue
        fields: dict[str, str] = {}
        for f in model._meta.get_fields():
            name = str(getattr(f, "verbose_name", "") or "")
            if f.auto_created or not _CJK.search(name):
                continue
            for key in {f.name, getattr(f, "attname", f.name)}:
                fields[key] = name
                seen.setdefault(key, set()).add(name)
        by_model[model.__name__] = fields
    return by_model, {k: next(iter(v)) for k, v in seen.items() if len(v) == 1}


def name_label(name: str, schema: type[BaseModel] | None = None) -> str:
    """The Chinese label of a bare field name, looked up in the Django models; the name itself if none."""
    by_model, agreed = _model_fields()
    if schema is not None:
        own = by_model.get(schema.__name__.removesuffix("In"), {}).get(name)
        if own:
            return own
    label = COMMON_LABELS.get(name) or agreed.get(name)
    if label:
        return label
    if name.endswith(ID_SUFFIX):  # project_id → 项目编号 (a path or reference id)
        base = name.removesuffix(ID_SUFFIX)
        base_label = COMMON_LABELS.get(base) or agreed.get(base)
        return f"{base_label}编号" if base_label else name
    return name


def label_for(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> str:
    """The label of the field at ``loc`` (pydantic's location inside ``model``), walking nested schemas."""
    names = [p for p in loc if isinstance(p, str)]
    if not names:
        return WHOLE_BODY
    owner, field = None, None
    current = [model] if model is not None else []
    for part in names:
        hit = next(((m, m.model_fields[part]) for m in current if part in m.model_fields), None)
        if hit is None:
            owner, field = None, None
            break
        owner, field = hit
        current = _model_types(field.annotation)
    if field is not None and _schema_label(field):
        return _schema_label(field)
    return name_label(names[-1], owner)
