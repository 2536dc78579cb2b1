"""Columns of an Excel import and the conversion of one cell: shared by the template builder and
the reader in `xlsx.py`, so what the template promises is what the reader accepts."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from openpyxl.utils.datetime import from_excel

TEXT, INT, MONEY, DATE, ENUM, BOOL = "text", "int", "money", "date", "enum", "bool"
COLUMN_TYPES = (TEXT, INT, MONEY, DATE, ENUM, BOOL)
TYPE_LABELS = {TEXT: "文本", INT: "整数", MONEY: "金额（元）", DATE: "日期", ENUM: "下拉选择", BOOL: "是/否"}
YES, NO = "是", "否"
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


@dataclass(frozen=True)
class Column:
    """One column of an import: the Chinese header the user sees and the key the code uses."""

    header: str
    key: str
    type: str = TEXT
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (stored value, 中文 label) for ENUM
    min_value: Decimal | int | None = None  # INT and MONEY; MONEY defaults to 0
    max_value: Decimal | int | None = None
    help: str = ""
    width: float | None = None
    absent_ok: bool = False  # a column added later: a file made from an older template may lack it

    def __post_init__(self) -> None:
        if self.type not in COLUMN_TYPES:
            raise ValueError(f"unknown column type {self.type!r}")
        if self.type == ENUM and not self.choices:
            raise ValueError(f"column {self.key!r}: an enum needs choices")

    @property
    def lower_bound(self) -> Decimal | int | None:
        if self.min_value is None and self.type == MONEY:
            return 0
        return self.min_value

    def rule_text(self) -> str:
        """The format line shown in the instructions sheet and the header comment."""
        if self.type == ENUM:
            return "从下拉列表中选择：" + "、".join(label for _, label in self.choices)
        if self.type == BOOL:
            return "填“是”或“否”"
        if self.type == DATE:
            return "日期，如 2025-03-05"
        if self.type in (INT, MONEY):
            kind = "整数" if self.type == INT else "数字，最多两位小数"
            bounds = []
            if self.lower_bound is not None:
                bounds.append(f"不小于 {self.lower_bound}")
            if self.max_value is not None:
                bounds.append(f"不大于 {self.max_value}")
            return kind + (f"（{'，'.join(bounds)}）" if bounds else "")
        return f"文本，不超过 {self.max_length} 个字" if self.max_length else "文本"


def display_width(text: str) -> int:
    return len(text) + len(_CJK.findall(text))


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def as_text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed into a number cell: 123.0 → "123"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def _as_number(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    text = str(value).strip().replace(",", "").replace("，", "").replace(" ", "")
    text = text.removesuffix("元")
    number = Decimal(text)
    if not number.is_finite():
        raise InvalidOperation
    return number


_DATE_PATTERNS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not 1 <= value < 2958466:  # Excel's serial range (1900-01-01 … 9999-12-31)
            raise ValueError
        converted = from_excel(value)
        return converted.date() if isinstance(converted, dt.datetime) else converted
    text = str(value).strip()
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month, day = (int(g) for g in match.groups())
            return dt.date(year, month, day)
    raise ValueError


def _bounds_message(column: Column, kind: str) -> str:
    low, high = column.lower_bound, column.max_value
    if low is not None and high is not None:
        return f"须为 {low} 至 {high} 之间的{kind}"
    if low is not None:
        return f"须为不小于 {low} 的{kind}"
    if high is not None:
        return f"须为不大于 {high} 的{kind}"
    return f"须为{kind}"


def convert_cell(column: Column, value: Any) -> tuple[Any, str | None]:
    """(converted value, None) or (None, 中文 problem). Blank cells give None (or '' for text)."""
    if is_blank(value):
        if column.required:
            return None, "必填，不能为空"
        return ("" if column.type == TEXT else None), None
    if column.type == TEXT:
        text = as_text(value)
        if column.max_length and len(text) > column.max_length:
            return None, f"不能超过 {column.max_length} 个字（现为 {len(text)} 个字）"
        return text, None
    if column.type in (INT, MONEY):
        kind = "整数" if column.type == INT else "数字"
        try:
            number = _as_number(value)
        except (InvalidOperation, ValueError):
            return None, _bounds_message(column, kind)
        if column.type == INT and number != number.to_integral_value():
            return None, _bounds_message(column, kind)
        low, high = column.lower_bound, column.max_value
        if (low is not None and number < Decimal(low)) or (high is not None and number > Decimal(high)):
            return None, _bounds_message(column, kind)
        if column.type == INT:
            return int(number), None
        if number != number.quantize(Decimal("0.01")):
            return None, "金额最多保留两位小数"
        return number.quantize(Decimal("0.01")), None
    if column.type == DATE:
        try:
            return _as_date(value), None
        except (ValueError, OverflowError, TypeError):
            return None, "须为日期，如 2025-03-05"
    if column.type == BOOL:
        text = as_text(value).lower()
        if text in {YES, "y", "yes", "true", "1"} or value is True:
            return True, None
        if text in {NO, "n", "no", "false", "0"} or value is False:
            return False, None
        return None, "须填“是”或“否”"
    text = as_text(value)
    for stored, label in column.choices:
        if text in (label, stored):
            return stored, None
    return None, "须为下列之一：" + "、".join(label for _, label in column.choices)
