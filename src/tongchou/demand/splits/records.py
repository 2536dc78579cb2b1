"""One project of a `tongchou splits` input: the fields of `spec/splits.md` and their validation.

Validation is strict, as the assessment contract asks: a missing field, a wrong type, a negative amount,
an unknown category or an unknown field makes the line invalid, with a Chinese message naming the field.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

CATEGORIES = ("development", "equipment", "security_assessment")
SPECIAL_CATEGORIES = frozenset({"equipment", "security_assessment"})

FIELD_LABELS = {
    "id": "项目编号",
    "unit": "项目建设单位",
    "year": "申报预算年度",
    "name": "项目名称",
    "description": "建设内容描述",
    "construction_cost": "项目资金",
    "category": "项目类别",
    "classified": "是否涉密",
}
REQUIRED = ("id", "unit", "year", "name", "description", "construction_cost")


class RecordError(ValueError):
    """A project line that cannot be used; `field` names the culprit."""

    def __init__(self, field: str | None, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass(frozen=True, slots=True)
class ProjectRecord:
    id: str
    unit: str
    year: int
    name: str
    description: str
    construction_cost: float
    category: str = "development"
    classified: bool = False

    @property
    def special(self) -> bool:
        """特殊类：设备（硬件）采购类、等保测评·密评类或涉密项目（第十六条、第十七条）。"""
        return self.classified or self.category in SPECIAL_CATEGORIES


def _label(field: str) -> str:
    return f"{field}（{FIELD_LABELS[field]}）"


def _text(obj: dict[str, Any], field: str) -> str:
    value = obj[field]
    if not isinstance(value, str):
        raise RecordError(field, f"字段 {_label(field)} 应为字符串")
    if not value.strip():
        raise RecordError(field, f"字段 {_label(field)} 不能为空")
    return value


def parse_record(obj: Any) -> ProjectRecord:
    """Turns one decoded JSON value into a project, or raises RecordError in Chinese."""
    if not isinstance(obj, dict):
        raise RecordError(None, "每行应为一个 JSON 对象（项目）")
    unknown = sorted(k for k in obj if k not in FIELD_LABELS)
    if unknown:
        raise RecordError(unknown[0], f"未知字段 {', '.join(unknown)}（可用字段：{', '.join(FIELD_LABELS)}）")
    for field in REQUIRED:
        if field not in obj or obj[field] is None:
            raise RecordError(field, f"缺少必填字段 {_label(field)}")
    id_ = _text(obj, "id")
    unit = _text(obj, "unit")
    name = _text(obj, "name")
    description = _text(obj, "description")

    year = obj["year"]
    if isinstance(year, bool) or not isinstance(year, int):
        if isinstance(year, float) and year.is_integer() and not isinstance(year, bool):
            year = int(year)
        else:
            raise RecordError("year", f"字段 {_label('year')} 应为整数年份，如 2026")
    if not 1900 <= year <= 2200:
        raise RecordError("year", f"字段 {_label('year')} 的值 {year} 不是合理的年份")

    cost = obj["construction_cost"]
    if isinstance(cost, bool) or not isinstance(cost, int | float):
        raise RecordError("construction_cost", f"字段 {_label('construction_cost')} 应为数字（单位：元）")
    if not math.isfinite(cost):
        raise RecordError("construction_cost", f"字段 {_label('construction_cost')} 应为有限数字")
    if cost < 0:
        raise RecordError("construction_cost", f"字段 {_label('construction_cost')} 不能为负数")

    category = obj.get("category", "development")
    if category is None:
        category = "development"
    if category not in CATEGORIES:
        raise RecordError(
            "category",
            f"字段 {_label('category')} 的值 {category!r} 无效，应为 development（建设开发类）、"
            "equipment（设备采购类）或 security_assessment（等保测评·密评类）",
        )
    classified = obj.get("classified", False)
    if classified is None:
        classified = False
    if not isinstance(classified, bool):
        raise RecordError("classified", f"字段 {_label('classified')} 应为 true 或 false")
    return ProjectRecord(
        id=id_,
        unit=unit,
        year=year,
        name=name,
        description=description,
        construction_cost=cost,
        category=category,
        classified=classified,
    )
