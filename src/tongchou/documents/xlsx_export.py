"""Excel exports: streamed, frozen header, filter, and no cell that can be read as a formula."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from tongchou.documents.spreadsheet import needs_safe_cell, write_safe
from tongchou.documents.xlsx_columns import NO, YES, as_text, display_width

HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
_THIN = Side(style="thin", color="8EA9C1")
HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _export_value(value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None)
    if isinstance(value, int | float | Decimal | dt.date | str):
        return value
    return str(value)


def _export_format(value: Any) -> str | None:
    if isinstance(value, dt.datetime):
        return "yyyy-mm-dd hh:mm"
    if isinstance(value, dt.date):
        return "yyyy-mm-dd"
    if isinstance(value, Decimal):
        return "#,##0.00"
    return None


def write_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    sheet_name: str = "数据",
    title: str | None = None,
    extra_sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]], str | None]] = (),
) -> bytes:
    """An export: one header row (or a title line above it), frozen, filterable; rows are streamed
    (write-only workbook) so a large export does not hold every cell in memory. Every string that
    could be read as a formula goes through `write_safe`, so a cell such as "=HYPERLINK(…)" stays text.
    `extra_sheets` — (sheet name, headers, rows, title) — follow the first sheet, written alike."""
    wb = Workbook(write_only=True)
    if title:
        wb.properties.title = title
    _write_sheet(wb, sheet_name, headers, rows, title)
    for extra_name, extra_headers, extra_rows, extra_title in extra_sheets:
        _write_sheet(wb, extra_name, extra_headers, extra_rows, extra_title)
    return workbook_bytes(wb)


def _write_sheet(wb: Workbook, sheet_name: str, headers: Sequence[str], rows: Iterable[Sequence[Any]],
                 title: str | None) -> None:
    ws = wb.create_sheet(sheet_name[:31])
    iterator = iter(rows)
    head: list[Sequence[Any]] = []
    for row in iterator:  # widths from the header and the first rows, as a person would set them
        head.append(row)
        if len(head) >= 100:
            break
    for index, header in enumerate(headers, start=1):
        widest = max([display_width(str(header))]
                     + [display_width(as_text(r[index - 1])) for r in head
                        if index - 1 < len(r) and r[index - 1] is not None])
        ws.column_dimensions[get_column_letter(index)].width = min(max(widest + 3, 8), 60)
    header_row = 2 if title else 1
    # A write-only sheet writes its views on the first append: freeze and filter go first.
    ws.freeze_panes = f"A{header_row + 1}"
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(max(len(headers), 1))}{header_row}"
    if title:
        cell = WriteOnlyCell(ws)
        write_safe(cell, title)
        cell.font = Font(bold=True, size=14)
        ws.append([cell])
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(ws)
        write_safe(cell, str(header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = HEADER_BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        header_cells.append(cell)
    ws.append(header_cells)

    def _cells(row: Sequence[Any]) -> list[Any]:
        out: list[Any] = []
        for raw in row:
            value = _export_value(raw)
            number_format = _export_format(value)
            if not number_format and not needs_safe_cell(value):
                out.append(value)  # plain text or number: openpyxl stores it as it is (and fast)
                continue
            cell = WriteOnlyCell(ws)
            write_safe(cell, value)
            if number_format:
                cell.number_format = number_format
            out.append(cell)
        return out

    for row in head:
        ws.append(_cells(row))
    for row in iterator:
        ws.append(_cells(row))


def workbook_bytes(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
