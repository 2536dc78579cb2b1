"""Importing experts from .xlsx with a row-by-row error report in Chinese (row, column, problem).

An import with errors changes nothing, unless the user asks to import only the good rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.db import transaction
from openpyxl import load_workbook

from tongchou.accounts.models import User
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError
from tongchou.experts.models import Category, Expert
from tongchou.experts.permissions import require_pool_manager
from tongchou.experts.services_registry import ExpertData, expert_data_problems, expert_save
from tongchou.experts.upload_checks import checked_xlsx_bytes
from tongchou.experts.xlsx_columns import (
    COLUMNS,
    HEADER,
    ITEM_SEPARATORS,
    NO,
    REQUIRED,
    STATUSES,
    TITLE_LEVELS,
    YES,
    split_list,
)

MAX_ROWS = 5000


@dataclass
class ImportReport:
    rows: int = 0
    good_rows: int = 0
    imported: int = 0
    applied: bool = False
    errors: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        if not self.errors:
            summary = f"共 {self.rows} 行，已全部导入"
        elif self.applied:
            summary = f"共 {self.rows} 行，已导入无误的 {self.imported} 行，跳过有误的 {self.rows - self.good_rows} 行"
        else:
            summary = f"共 {self.rows} 行，其中 {self.rows - self.good_rows} 行有误：未导入任何数据。请修改后重新导入，或选择“仅导入无误的行”"
        return {"rows": self.rows, "good_rows": self.good_rows, "imported": self.imported, "applied": self.applied,
                "summary": summary, "errors": self.errors}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        return None


def _row_data(values: dict[str, Any], categories: dict[str, str]) -> tuple[ExpertData | None, list[tuple[str, str]]]:
    """(data, [(column key, problem)]) for one row."""
    problems: list[tuple[str, str]] = []
    text = {k: _text(v) for k, v in values.items()}
    for key in REQUIRED:
        if not text.get(key):
            problems.append((key, "必填，不能为空"))
    cats: list[str] = []
    for item in split_list(text.get("categories", "")):
        code = categories.get(item)
        if code is None:
            problems.append(("categories", f"未知的专业类别“{item}”"))
        else:
            cats.append(code)
    level = TITLE_LEVELS.get(text.get("title_level", ""), text.get("title_level", ""))
    years = 0
    raw_years = values.get("years")
    if text.get("years"):
        if isinstance(raw_years, int | float) and not isinstance(raw_years, bool) and float(raw_years).is_integer():
            years = int(raw_years)
        elif text["years"].isdigit():
            years = int(text["years"])
        else:
            problems.append(("years", f"应为整数（当前为“{text['years']}”）"))
    status = STATUSES.get(text.get("status", ""), text.get("status", "") or "active")
    available_text = text.get("available", "").lower()
    available = True
    if available_text in NO:
        available = False
    elif available_text and available_text not in YES:
        problems.append(("available", "应填“是”或“否”"))
    formers: list[tuple[str, date]] = []
    for item in [p.strip() for p in ITEM_SEPARATORS.split(text.get("former_employers", "")) if p.strip()]:
        org, sep, until_text = item.replace("：", ":").rpartition(":")
        until = _date(until_text.strip()) if sep else None
        if not sep or not org.strip() or until is None:
            problems.append(("former_employers", f"“{item}”应写成 单位:离职日期（如 某科技公司:2023-05-31）"))
        else:
            formers.append((org.strip(), until))
    if isinstance(values.get("former_employers"), datetime):
        problems.append(("former_employers", "应写成 单位:离职日期"))
    data = ExpertData(
        code=text.get("code", ""), name=text.get("name", ""), title=text.get("title", ""), title_level=level,
        years=years, employer=text.get("employer", ""), categories=cats, phone=text.get("phone", ""),
        id_number=text.get("id_number", "").upper(), status=status, available=available,
        former_employers=formers, conflicts=split_list(text.get("conflicts", "")),
    )
    reported = {key for key, _ in problems}
    problems += [(key, problem) for key, problem in expert_data_problems(data) if key not in reported]
    return (None if problems else data), problems


def _column_of(key: str) -> str:
    return HEADER.get(key, key)


def experts_import_xlsx(*, upload: Any, only_good_rows: bool, actor: User) -> ImportReport:
    require_pool_manager(actor, "导入专家")
    stream = checked_xlsx_bytes(upload.read())
    try:
        sheet = load_workbook(stream, read_only=True, data_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    except Exception:  # openpyxl raises many types on malformed workbooks
        raise DomainError("无法读取该 .xlsx 文件，请用 Excel 或 WPS 重新保存后导入", field="file") from None
    if not rows:
        raise DomainError("工作表为空", field="file")
    header = [_text(h) for h in rows[0]]
    labels = {label: key for key, label in COLUMNS}
    short_labels = {label.split("（")[0]: key for key, label in COLUMNS}
    positions: dict[str, int] = {}
    for i, h in enumerate(header):
        key = labels.get(h) or short_labels.get(h.split("（")[0])
        if key:
            positions[key] = i
    missing = [HEADER[k] for k in REQUIRED if k not in positions]
    if missing:
        raise DomainError(f"表头缺少必填列：{'、'.join(missing)}（请使用导出的模板）", field="file")
    if len(rows) - 1 > MAX_ROWS:
        raise DomainError(f"一次最多导入 {MAX_ROWS} 行", field="file")

    categories: dict[str, str] = {}
    for code, name in Category.objects.values_list("code", "name"):
        categories[code] = code
        categories[name] = code
    report = ImportReport()
    good: list[ExpertData] = []
    seen: dict[str, int] = {}
    for row_no, row in enumerate(rows[1:], start=2):
        if all(v is None or _text(v) == "" for v in row):
            continue
        report.rows += 1
        values = {key: (row[pos] if pos < len(row) else None) for key, pos in positions.items()}
        data, problems = _row_data(values, categories)
        code = _text(values.get("code"))
        if code and code in seen:
            problems.append(("code", f"与第 {seen[code]} 行的专家编号重复"))
            data = None
        if code:
            seen.setdefault(code, row_no)
        for key, problem in problems:
            report.errors.append({"row": row_no, "column": _column_of(key), "problem": problem})
        if not problems and data is not None:
            good.append(data)
    report.good_rows = len(good)
    if report.errors and not only_good_rows:
        return report
    with transaction.atomic():
        existing = {e.code: e for e in Expert.objects.filter(code__in=[d.code for d in good])}
        for data in good:
            current = existing.get(data.code)
            if current is not None:
                data.user_id = current.user_id  # the sheet has no account column: keep the link
            expert_save(data=data, actor=actor, expert=current)
        report.imported = len(good)
        report.applied = True
        audit_record(event="expert.imported", actor=actor, data={
            "rows": report.rows, "imported": report.imported, "skipped_rows": sorted({e["row"] for e in report.errors}),
            "file": getattr(upload, "name", "")})
    return report
