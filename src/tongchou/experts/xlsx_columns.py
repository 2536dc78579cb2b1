"""The expert sheet's columns, shared by import and export (Chinese headers, as the bureau types them)."""

from __future__ import annotations

import re

COLUMNS: list[tuple[str, str]] = [
    ("code", "专家编号"),
    ("name", "姓名"),
    ("categories", "专业类别"),
    ("title", "职称"),
    ("title_level", "职称级别"),
    ("years", "从业年限"),
    ("employer", "工作单位"),
    ("phone", "手机号码"),
    ("id_number", "身份证号"),
    ("status", "状态"),
    ("available", "可参加抽取"),
    ("former_employers", "曾任职单位（单位:离职日期；…）"),
    ("conflicts", "申报回避单位（以、分隔）"),
]
HEADER = {key: label for key, label in COLUMNS}
REQUIRED = ("code", "name", "categories", "title_level", "years", "employer")

TITLE_LEVELS = {"正高级": "senior", "副高级": "vice_senior", "中级": "intermediate", "初级及以下": "junior", "初级": "junior"}
TITLE_LABELS = {v: k for k, v in TITLE_LEVELS.items() if k != "初级"}
STATUSES = {"在库": "active", "暂停": "suspended", "退出": "retired"}
STATUS_LABELS = {v: k for k, v in STATUSES.items()}
YES = {"是", "可", "y", "yes", "true", "1"}
NO = {"否", "不可", "n", "no", "false", "0"}
LIST_SEPARATORS = re.compile(r"[、,，;；\n]+")
ITEM_SEPARATORS = re.compile(r"[;；\n]+")


def split_list(text: str) -> list[str]:
    return [p.strip() for p in LIST_SEPARATORS.split(text) if p.strip()]
