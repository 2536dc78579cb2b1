"""Checks on an expert's fields, shared by the form/API service and the .xlsx import (pure).

The national entry rule for review experts: a senior title (正高级 or 副高级), or an intermediate title
with at least eight years in the field.
"""

from __future__ import annotations

import re

PHONE = re.compile(r"1[3-9][0-9]{9}")
ID_NUMBER = re.compile(r"[0-9]{17}[0-9X]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
MIN_INTERMEDIATE_YEARS = 8
SENIOR_LEVELS = ("senior", "vice_senior")


def entry_rule_problem(title_level: str, years: int) -> str | None:
    if title_level in SENIOR_LEVELS:
        return None
    if title_level == "intermediate" and years >= MIN_INTERMEDIATE_YEARS:
        return None
    if title_level == "intermediate":
        return f"中级职称须从业满 {MIN_INTERMEDIATE_YEARS} 年方可入库（当前 {years} 年）；或提供高级职称"
    return "入库须具有高级职称，或中级职称且从业满 8 年"


def phone_problem(phone: str) -> str | None:
    if phone and not PHONE.fullmatch(phone):
        return "手机号码应为 11 位数字，以 1 开头"
    return None


def id_number_problem(id_number: str) -> str | None:
    if not id_number:
        return None
    if not ID_NUMBER.fullmatch(id_number):
        return "身份证号应为 18 位（前 17 位数字，末位数字或大写 X）"
    total = sum(int(d) * w for d, w in zip(id_number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != id_number[17]:
        return "身份证号校验位不正确，请核对"
    return None
