"""Assessment texts for people. The engine's messages are its public contract (CLI and API readers see
them too) and name the facts that triggered a finding by their contract field names and values, e.g.
"资金来源为援疆资金（funding_source: xinjiang_aid）". On pages those read as Chinese: the field's label
and the value's name, or nothing where the message has just said the same in Chinese ("援疆资金").
Stored assessments keep the wording of the engine that made them, so this works on any of them.

Pure: only the policy package's vocabularies."""

from __future__ import annotations

import re
from typing import Any

from tongchou.policy import vocabulary as V
from tongchou.policy.facts import LABELS

FIELD_LABELS: dict[str, str] = {
    **LABELS,
    "exception.legal_basis": "第十三条法律依据",
    "exception.superior_consent": "上一级业务主管部门书面同意",
    "review_path": "审查路径",
}
# Value names by field; booleans and null are the same for every field.
VALUE_LABELS: dict[str, dict[str, str]] = {
    "level": V.LEVEL_NAMES,
    "funding_source": V.FUNDING_NAMES,
    "project_type": V.PROJECT_TYPE_NAMES,
    "category": V.CATEGORY_NAMES,
    "deployment": V.DEPLOYMENT_NAMES,
    "review_path": V.REVIEW_PATH_NAMES,
}
SCALARS = {"true": "是", "false": "否", "null": "未填写"}
# Values that mean one thing wherever they stand alone ("本项目审查路径：joint_review", "基本情况（basic_info）");
# short words like "new" or "none" are only translated next to their field.
BARE_VALUES: dict[str, str] = {
    value: label
    for names in (V.REVIEW_PATH_NAMES, V.FUNDING_NAMES, V.DEPLOYMENT_NAMES, V.CATEGORY_NAMES, V.MATERIAL_NAMES,
                  V.REVIEWER_NAMES)
    for value, label in names.items() if "_" in value
}

# Field names that cannot be an ordinary word in free text quoted by a message (a legal basis, say): "name",
# "unit" or "level" are only translated with a value of theirs ("level: county").
UNAMBIGUOUS = frozenset(f for f in FIELD_LABELS if "_" in f or "." in f)

_WORD = r"(?<![A-Za-z0-9_.])({})(?![A-Za-z0-9_])"
_FIELD = re.compile(_WORD.format("|".join(sorted(map(re.escape, UNAMBIGUOUS), key=len, reverse=True))))
_BARE = re.compile(_WORD.format("|".join(sorted(map(re.escape, BARE_VALUES), key=len, reverse=True))))
_PAREN = re.compile(r"（([^（）]*)）")
_ITEM = re.compile(r"^({})(?:: ([A-Za-z0-9_]+))?(.*)$".format(
    "|".join(sorted(map(re.escape, FIELD_LABELS), key=len, reverse=True))), re.S)
_CJK = re.compile(r"[\u4e00-\u9fff“”「」（）：，、]")


def value_label(field: str, value: Any) -> str:
    """A fact's value as people read it: 是/否, the enum's Chinese name, or the value itself."""
    if value is True or value is False or value is None:
        return SCALARS[str(value).lower() if value is not None else "null"]
    text = str(value)
    if text in SCALARS:
        return SCALARS[text]
    return VALUE_LABELS.get(field, {}).get(text) or BARE_VALUES.get(text, text)


def _tidy(rest: str) -> str:
    """" 为空" after a Chinese label reads "为空": drop the space the field name needed."""
    return rest[1:] if rest.startswith(" ") and len(rest) > 1 and _CJK.match(rest[1]) else rest


def _annotation(before: str, body: str) -> str | None:
    """The parenthesised part's new body, or None to drop it because the clause it closes already says it
    in Chinese ("援疆资金（funding_source: xinjiang_aid）", "重复采集数据（duplicate_data_collection: true）")."""
    clause = re.split(r"[，。；：]", before)[-1]
    items = body.split("、")
    out = []
    for item in items:
        m = _ITEM.match(item)
        if m is not None and m.group(1) not in UNAMBIGUOUS and not (
                m.group(2) in SCALARS or m.group(2) in VALUE_LABELS.get(m.group(1), {})):
            m = None
        if m is None:
            bare = BARE_VALUES.get(item)
            if bare is not None and len(items) == 1 and clause.endswith(bare):
                return None  # "基本情况（basic_info）"
            out.append(item)
            continue
        field, value, rest = m.group(1), m.group(2), m.group(3)
        label = FIELD_LABELS[field]
        alone = len(items) == 1 and not rest
        if value is not None:
            shown = value_label(field, value)
            said = label in clause if value == "true" else value not in SCALARS and shown in clause
            if alone and said:
                return None
            out.append(f"{label}：{shown}{rest}")
        elif alone and label in clause:
            return None  # "年度运维经费 100,000元（annual_om_cost）"
        elif rest.startswith("，") and clause.endswith(label):
            out.append(rest[1:])  # "项目资金（construction_cost，不含运维费用）"
        else:
            out.append(label + _tidy(rest))
    return "、".join(out) or None


def _fields(text: str) -> str:
    """Field names outside parentheses: dropped right after their own label, else replaced by it."""
    parts: list[str] = []
    last = 0
    for m in _FIELD.finditer(text):
        label = FIELD_LABELS[m.group(1)]
        head = text[last:m.start()]
        if ("".join(parts) + head).rstrip(" ").endswith(label):
            parts.append(head.rstrip(" "))
        else:
            parts.append(head + label)
        last = m.end()
        if text[last:last + 1] == " " and _CJK.match(text[last + 1:last + 2] or "a"):
            last += 1
    parts.append(text[last:])
    return "".join(parts)


def humanize_text(text: str) -> str:
    """An engine message (a finding's or an obligation's) with field names and enum values in Chinese."""
    if not text:
        return text
    parts: list[str] = []
    last = 0
    for m in _PAREN.finditer(text):
        before = "".join(parts) + text[last:m.start()]
        body = _annotation(before, m.group(1))
        parts.append(text[last:m.start()])
        if body is not None:
            parts.append(f"（{body}）")
        last = m.end()
    parts.append(text[last:])
    result = _fields("".join(parts))
    result = re.sub(r"(为|不为) (true|false|null)(?![A-Za-z0-9_])", lambda m: f"{m.group(1)}“{SCALARS[m.group(2)]}”", result)
    return _BARE.sub(lambda m: BARE_VALUES[m.group(1)], result)

