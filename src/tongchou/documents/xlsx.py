"""Excel templates and imports (openpyxl); exports are in `xlsx_export`, re-exported here.

An import declares its columns once; the same declaration builds the downloadable template (styled
header, drop-downs, an instructions sheet) and reads the filled file back row by row, so the template
and the reader cannot drift apart. Every problem is reported as 第 N 行「列名」：问题, with N the row
number the user sees in Excel.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from tongchou.core_errors import DomainError
from tongchou.documents.spreadsheet import write_safe
from tongchou.documents.uploads import XLSX, UploadCheck, inspect_upload
from tongchou.documents.xlsx_columns import (
    BOOL,
    COLUMN_TYPES,
    DATE,
    ENUM,
    INT,
    MONEY,
    NO,
    TEXT,
    TYPE_LABELS,
    YES,
    Column,
    convert_cell,
    display_width,
    is_blank,
)
from tongchou.documents.xlsx_export import HEADER_BORDER, HEADER_FILL, workbook_bytes, write_table

__all__ = [
    "BOOL", "COLUMN_TYPES", "DATE", "ENUM", "INT", "MONEY", "NO", "TEXT", "TYPE_LABELS", "YES",
    "Column", "ImportResult", "ImportRow", "RowError", "build_template", "convert_cell", "read_rows",
    "write_table",
]

DATA_SHEET = "填写数据"
INSTRUCTIONS_SHEET = "填写说明"
CHOICES_SHEET = "选项"
TEMPLATE_ROWS = 2000  # rows that carry drop-downs and formats in a fresh template
DEFAULT_MAX_ROWS = 10000
HEADER_SCAN_ROWS = 10  # a user may put a title above the header; look for it in the first rows


@dataclass(frozen=True)
class RowError:
    row: int  # the row number shown in Excel
    column: str  # the column's header, or "" for a whole-row problem
    message: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行「{self.column}」" if self.column else f"第 {self.row} 行"
        return f"{where}：{self.message}"


@dataclass(frozen=True)
class ImportRow:
    row: int
    values: dict[str, Any]


@dataclass
class ImportResult:
    good_rows: list[ImportRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    total_rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def bad_rows(self) -> list[int]:
        return sorted({e.row for e in self.errors})

    def messages(self) -> list[str]:
        return [str(e) for e in self.errors]

    def importable(self, *, only_good_rows: bool = False) -> list[ImportRow]:
        """The rows an import may write. With any error nothing is importable unless the user chose to
        import only the good rows (issues 7 and 8 ask for exactly this)."""
        if self.errors and not only_good_rows:
            shown = "；".join(self.messages()[:5])
            more = f"等 {len(self.errors)} 处" if len(self.errors) > 5 else ""
            raise DomainError(
                f"表格中有 {len(self.bad_rows)} 行存在错误，未导入任何数据：{shown}{more}",
                code="import_has_errors",
                hint="请按错误清单修改后重新上传，或选择“仅导入正确的行”。",
            )
        return self.good_rows

    def error_workbook(self) -> bytes:
        """The error list as .xlsx, for the user to download next to their file."""
        return write_table(["行号", "列", "问题"], [[e.row, e.column, e.message] for e in self.errors],
                           sheet_name="错误清单")


# ---------------------------------------------------------------- template


def _column_width(column: Column) -> float:
    if column.width:
        return column.width
    candidates = [column.header + "*"] + [label for _, label in column.choices]
    if column.type == DATE:
        candidates.append("2025-03-05")
    if column.type == MONEY:
        candidates.append("12,345,678.00")
    return float(min(max(max(display_width(c) for c in candidates) + 4, 12), 60))


def _validation(column: Column, choices_ref: str | None) -> DataValidation | None:
    common: dict[str, Any] = {
        "showErrorMessage": True,
        "showInputMessage": True,
        "errorStyle": "stop",
        "errorTitle": "填写有误",
        "promptTitle": column.header[:32],
        "prompt": (column.help or column.rule_text())[:255],
        "allow_blank": not column.required,
    }
    if column.type == ENUM:
        return DataValidation(type="list", formula1=choices_ref, error="请从下拉列表中选择", **common)
    if column.type == BOOL:
        return DataValidation(type="list", formula1=f'"{YES},{NO}"', error="请填“是”或“否”", **common)
    if column.type == DATE:
        return DataValidation(type="date", operator="greaterThan", formula1="1",
                              error="请填写日期，如 2025-03-05", **common)
    if column.type in (INT, MONEY):
        kind = "whole" if column.type == INT else "decimal"
        low, high = column.lower_bound, column.max_value
        if low is not None and high is not None:
            return DataValidation(type=kind, operator="between", formula1=str(low), formula2=str(high),
                                  error=column.rule_text(), **common)
        if low is not None:
            return DataValidation(type=kind, operator="greaterThanOrEqual", formula1=str(low),
                                  error=column.rule_text(), **common)
        return None
    if column.max_length:
        return DataValidation(type="textLength", operator="lessThanOrEqual", formula1=str(column.max_length),
                              error=column.rule_text(), **common)
    return None


def build_template(columns: Sequence[Column], title: str, instructions: Iterable[str] = ()) -> bytes:
    """The official blank template: a data sheet (styled header, widths for Chinese, frozen header,
    drop-downs and checks), an instructions sheet, and a hidden sheet holding the drop-down lists."""
    _check_columns(columns)
    wb = Workbook()
    ws = wb.active
    ws.title = DATA_SHEET
    wb.properties.title = title
    wb.properties.creator = "统筹"

    choices_ws = wb.create_sheet(CHOICES_SHEET)
    choices_ws.sheet_state = "hidden"
    enum_refs: dict[str, str] = {}
    enum_index = 0
    for column in columns:
        if column.type == ENUM:
            enum_index += 1
            letter = get_column_letter(enum_index)
            write_safe(choices_ws.cell(row=1, column=enum_index), column.header)
            for i, (_, label) in enumerate(column.choices, start=2):
                write_safe(choices_ws.cell(row=i, column=enum_index), label)
            enum_refs[column.key] = f"'{CHOICES_SHEET}'!${letter}$2:${letter}${len(column.choices) + 1}"

    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = ws.cell(row=1, column=index)
        write_safe(cell, ("*" if column.required else "") + column.header)
        cell.font = Font(bold=True, color="C00000" if column.required else "000000")
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.comment = Comment(("必填。" if column.required else "选填。") + (column.help or column.rule_text()),
                               "统筹")
        dimension = ws.column_dimensions[letter]
        dimension.width = _column_width(column)
        if column.type == DATE:
            dimension.number_format = "yyyy-mm-dd"
        elif column.type == MONEY:
            dimension.number_format = "#,##0.00"
        elif column.type == TEXT:
            dimension.number_format = "@"  # keeps phone numbers and codes as typed
        validation = _validation(column, enum_refs.get(column.key))
        if validation is not None:
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            ws.add_data_validation(validation)
    ws.row_dimensions[1].height = 28
    ws.freeze_panes = "A2"

    guide = wb.create_sheet(INSTRUCTIONS_SHEET)
    write_safe(guide.cell(row=1, column=1), title)
    guide.cell(row=1, column=1).font = Font(bold=True, size=16)
    row = 3
    for line in [*instructions, f"请在“{DATA_SHEET}”工作表中从第 2 行起逐行填写，不要修改第 1 行的列名；"
                 "带 * 的列必须填写。"]:
        write_safe(guide.cell(row=row, column=1), line)
        row += 1
    row += 1
    for i, head in enumerate(["列名", "是否必填", "填写要求", "说明"], start=1):
        cell = guide.cell(row=row, column=i)
        write_safe(cell, head)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
    for column in columns:
        row += 1
        for i, value in enumerate([column.header, "必填" if column.required else "选填", column.rule_text(),
                                   column.help], start=1):
            cell = guide.cell(row=row, column=i)
            write_safe(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCD", (24, 10, 40, 50), strict=True):
        guide.column_dimensions[letter].width = width
    return workbook_bytes(wb)


# ---------------------------------------------------------------- reading


def _normalise_header(value: Any) -> str:
    text = "" if value is None else str(value)
    return re.sub(r"[\s*＊]", "", text)


def _check_columns(columns: Sequence[Column]) -> None:
    keys = [c.key for c in columns]
    headers = [_normalise_header(c.header) for c in columns]
    if len(set(keys)) != len(keys) or len(set(headers)) != len(headers):
        raise ValueError("column keys and headers must be unique")


RowCheck = Callable[[dict[str, Any]], Iterable[tuple[str | None, str]]]


def read_rows(
    data: bytes | UploadCheck,
    columns: Sequence[Column],
    *,
    row_check: RowCheck | None = None,
    max_rows: int = DEFAULT_MAX_ROWS,
    max_bytes: int | None = None,
) -> ImportResult:
    """Reads a filled template. The file is checked as an upload first (type by content, zip limits,
    defusedxml), then every row is converted; a row with any problem is not a good row.

    `data` is the file's bytes, or the `UploadCheck` a view already made of the upload.
    `row_check(values)` may add cross-column problems as (column key or None, message).
    A file that is not a usable workbook raises `DomainError`; problems in rows are returned.
    """
    _check_columns(columns)
    if isinstance(data, UploadCheck):
        if data.kind != XLSX:
            raise DomainError("请上传 Excel 表格（.xlsx）。", code="upload_type_refused", field="file")
        data = data.data
    else:
        inspect_upload("import.xlsx", data, allowed={XLSX}, max_bytes=max_bytes or settings.UPLOAD_MAX_BYTES)
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise DomainError("无法读取该 Excel 文件，文件可能已损坏。", code="xlsx_unreadable",
                          hint="请用 Excel 或 WPS 打开后另存为 .xlsx 再上传。") from exc
    try:
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else wb.worksheets[0]
        rows = ws.iter_rows(values_only=True)
        result = ImportResult()
        by_header = {_normalise_header(c.header): c for c in columns}
        positions: dict[str, int] = {}
        header_row = 0
        for number, values in enumerate(rows, start=1):
            found = {_normalise_header(v): i for i, v in enumerate(values) if _normalise_header(v) in by_header}
            if found:
                header_row = number
                positions = {by_header[h].key: i for h, i in found.items()}
                break
            if number >= HEADER_SCAN_ROWS:
                break
        if not header_row:
            raise DomainError("未找到表头：请使用系统提供的模板，不要修改第 1 行的列名。",
                              code="xlsx_no_header", hint="可在本页重新下载模板。")
        missing = [c for c in columns if c.key not in positions and not c.absent_ok]
        if missing:
            for column in missing:
                result.errors.append(RowError(header_row, column.header, "缺少该列，请使用系统提供的模板"))
            return result
        for number, values in enumerate(rows, start=header_row + 1):
            cells = [values[positions[c.key]] if positions.get(c.key, len(values)) < len(values) else None
                     for c in columns]
            if all(is_blank(v) for v in cells):
                continue
            result.total_rows += 1
            if result.total_rows > max_rows:
                raise DomainError(f"表格超过 {max_rows} 行的上限，请分批导入。", code="xlsx_too_many_rows")
            converted: dict[str, Any] = {}
            row_errors: list[RowError] = []
            for column, raw in zip(columns, cells, strict=True):
                value, problem = convert_cell(column, raw)
                if problem:
                    row_errors.append(RowError(number, column.header, problem))
                else:
                    converted[column.key] = value
            if not row_errors and row_check is not None:
                headers = {c.key: c.header for c in columns}
                for key, message in row_check(converted):
                    row_errors.append(RowError(number, headers.get(key or "", ""), message))
            if row_errors:
                result.errors.extend(row_errors)
            else:
                result.good_rows.append(ImportRow(number, converted))
        return result
    finally:
        wb.close()
