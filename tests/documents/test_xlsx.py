"""Excel templates, row-by-row import errors, and exports that never carry a live formula."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tongchou.core_errors import DomainError
from tongchou.documents.spreadsheet import safe_cell_value, write_safe
from tongchou.documents.uploads import XLSX, UploadRejected, inspect_upload
from tongchou.documents.xlsx import (
    BOOL,
    DATA_SHEET,
    DATE,
    ENUM,
    INSTRUCTIONS_SHEET,
    INT,
    MONEY,
    Column,
    build_template,
    convert_cell,
    read_rows,
    write_table,
)

COLUMNS = [
    Column("项目名称", "name", required=True, max_length=20),
    Column("预计金额", "amount", MONEY, required=True),
    Column("建设周期（月）", "months", INT, min_value=1, max_value=60),
    Column("计划开始日期", "start", DATE),
    Column("优先级", "priority", ENUM, required=True, choices=(("high", "高"), ("mid", "中"), ("low", "低"))),
    Column("是否涉密", "classified", BOOL),
    Column("联系电话", "phone"),
]


def _fill(template: bytes, rows: list[list]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(template))
    ws = wb[DATA_SHEET]
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            ws.cell(row=r, column=c, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_template_has_header_dropdowns_frozen_pane_and_instructions():
    """The template shows the Chinese headers (required ones starred), drop-downs for enums and 是/否,
    a frozen header row and an instructions sheet listing every column."""
    wb = openpyxl.load_workbook(io.BytesIO(build_template(COLUMNS, "2026 年度项目需求征集表", ["每行填写一个需求。"])))
    ws = wb[DATA_SHEET]
    assert [c.value for c in ws[1]] == ["*项目名称", "*预计金额", "建设周期（月）", "计划开始日期", "*优先级",
                                        "是否涉密", "联系电话"]
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width >= 12
    assert ws["A1"].font.bold
    validations = {str(v.sqref).split(":")[0]: v for v in ws.data_validations.dataValidation}
    assert validations["E2"].type == "list"
    assert "选项" in validations["E2"].formula1
    assert validations["F2"].formula1 == '"是,否"'
    assert validations["B2"].type == "decimal"
    choices = wb["选项"]
    assert choices.sheet_state == "hidden"
    assert [choices.cell(row=i, column=1).value for i in range(2, 5)] == ["高", "中", "低"]
    guide = wb[INSTRUCTIONS_SHEET]
    text = "\n".join(str(c.value) for row in guide.iter_rows() for c in row if c.value)
    assert "2026 年度项目需求征集表" in text and "每行填写一个需求。" in text
    assert "从下拉列表中选择：高、中、低" in text


def test_round_trip_template_fill_read():
    """A template filled the way a person would fill it reads back as typed values."""
    data = _fill(build_template(COLUMNS, "需求", []), [
        ["智慧教育平台", 1234567.5, 12, dt.datetime(2026, 3, 5), "高", "否", 13900001111],
        ["医保数据中台", "2,000,000", "6", "2026年4月1日", "中", "是", "0994-2345678"],
    ])
    result = read_rows(inspect_upload("需求.xlsx", data, allowed={XLSX}, max_bytes=1 << 20), COLUMNS)
    assert result.ok and result.total_rows == 2
    first, second = result.good_rows
    assert first.row == 2
    assert first.values == {"name": "智慧教育平台", "amount": Decimal("1234567.50"), "months": 12,
                            "start": dt.date(2026, 3, 5), "priority": "high", "classified": False,
                            "phone": "13900001111"}
    assert second.values["amount"] == Decimal("2000000.00")
    assert second.values["start"] == dt.date(2026, 4, 1)
    assert second.values["classified"] is True
    assert second.values["phone"] == "0994-2345678"


def test_bad_rows_reported_by_row_and_column_in_chinese():
    """Each problem names the Excel row, the column header and what is wrong; good rows stay good."""
    data = _fill(build_template(COLUMNS, "需求", []), [
        ["正确的项目", 100, 3, None, "低", None, None],
        ["", -5, 0, "明天", "最高", "也许", None],
        [None, None, None, None, None, None, None],  # blank rows are skipped, not errors
        ["名称过长" * 10, "12.345", 2.5, "2026-02-30", "高", "是", None],
    ])
    result = read_rows(data, COLUMNS)
    messages = result.messages()
    assert [r.row for r in result.good_rows] == [2]
    assert result.bad_rows == [3, 5]
    assert "第 3 行「项目名称」：必填，不能为空" in messages
    assert "第 3 行「预计金额」：须为不小于 0 的数字" in messages
    assert "第 3 行「建设周期（月）」：须为 1 至 60 之间的整数" in messages
    assert "第 3 行「计划开始日期」：须为日期，如 2025-03-05" in messages
    assert "第 3 行「优先级」：须为下列之一：高、中、低" in messages
    assert "第 3 行「是否涉密」：须填“是”或“否”" in messages
    assert "第 5 行「项目名称」：不能超过 20 个字（现为 40 个字）" in messages
    assert "第 5 行「预计金额」：金额最多保留两位小数" in messages
    assert "第 5 行「建设周期（月）」：须为 1 至 60 之间的整数" in messages
    assert "第 5 行「计划开始日期」：须为日期，如 2025-03-05" in messages


def test_nothing_importable_with_errors_unless_only_good_rows_chosen():
    data = _fill(build_template(COLUMNS, "需求", []), [["甲", 1, None, None, "高"], ["乙", "x", None, None, "高"]])
    result = read_rows(data, COLUMNS)
    with pytest.raises(DomainError, match="第 3 行「预计金额」"):
        result.importable()
    assert [r.values["name"] for r in result.importable(only_good_rows=True)] == ["甲"]
    errors = openpyxl.load_workbook(io.BytesIO(result.error_workbook())).active
    assert [c.value for c in errors[2]] == [3, "预计金额", "须为不小于 0 的数字"]


def test_row_check_adds_cross_column_problems():
    def check(values):
        if values["amount"] > 500000 and not values.get("start"):
            yield "start", "预计金额超过 50 万元时须填写计划开始日期"

    data = _fill(build_template(COLUMNS, "需求", []), [["甲", 600000, None, None, "高"]])
    assert read_rows(data, COLUMNS, row_check=check).messages() == [
        "第 2 行「计划开始日期」：预计金额超过 50 万元时须填写计划开始日期"]


def test_missing_column_and_foreign_file():
    """A workbook without a needed column is reported at its header; a non-Excel file is refused."""
    wb = openpyxl.Workbook()
    wb.active.append(["项目名称", "优先级"])
    wb.active.append(["甲", "高"])
    buf = io.BytesIO()
    wb.save(buf)
    result = read_rows(buf.getvalue(), COLUMNS)
    assert "第 1 行「预计金额」：缺少该列，请使用系统提供的模板" in result.messages()
    assert not result.good_rows
    with pytest.raises(UploadRejected, match="PDF"):
        read_rows(b"%PDF-1.7\n%%EOF", COLUMNS)


def test_header_found_below_a_title_row():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2026 年需求表（州教育局）"])
    ws.append([h.header for h in COLUMNS])
    ws.append(["甲", 10, None, None, "低"])
    buf = io.BytesIO()
    wb.save(buf)
    result = read_rows(buf.getvalue(), COLUMNS)
    assert result.ok and result.good_rows[0].row == 3


@pytest.mark.parametrize("payload", ["=1+2", "+SUM(A1:A2)", "-2+3", "@SUM(1)", "\t=cmd", "\r=cmd",
                                     '=HYPERLINK("http://evil.example","点我")', "=cmd|' /C calc'!A0"])
def test_export_never_writes_a_formula(payload):
    """A formula-like string is stored as text with its value unchanged (and Excel's quote prefix)."""
    data = write_table(["名称", "金额"], [[payload, Decimal("12.50")]], title="导出")
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    cell = ws["A3"]
    assert cell.data_type == "s"
    assert cell.value == payload
    assert cell.quotePrefix
    assert ws["B3"].value == 12.5
    assert ws.freeze_panes == "A3"
    import zipfile

    sheet_xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet_xml


def test_export_values_dates_bools_and_control_characters():
    aware = dt.datetime(2026, 3, 5, 2, 0, tzinfo=dt.UTC)
    data = write_table(["a", "b", "c", "d", "e"], [[aware, dt.date(2026, 1, 2), True, None, "x\x00y"]])
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert ws["A2"].value == dt.datetime(2026, 3, 5, 10, 0)  # Asia/Shanghai wall time
    assert ws["B2"].value == dt.datetime(2026, 1, 2)
    assert ws["C2"].value == "是"
    assert ws["D2"].value is None
    assert ws["E2"].value == "xy"


def test_write_safe_and_safe_cell_value_keep_their_contracts():
    ws = openpyxl.Workbook().active
    write_safe(ws["A1"], "=1+1")
    assert ws["A1"].data_type == "s" and ws["A1"].value == "=1+1"
    write_safe(ws["A2"], 5)
    assert ws["A2"].data_type == "n"
    assert safe_cell_value("=1+1") == "'=1+1"
    assert safe_cell_value("普通文本") == "普通文本"



@settings(max_examples=30, deadline=None)
@given(st.text(min_size=1, max_size=40))
def test_any_exported_string_reads_back_as_the_same_text(text):
    data = write_table(["值"], [[text]])
    cell = openpyxl.load_workbook(io.BytesIO(data)).active["A2"]
    expected = ILLEGAL_CHARACTERS_RE.sub("", text)
    if expected:
        assert cell.data_type == "s"
        assert cell.value == expected


@settings(max_examples=30, deadline=None)
@given(st.decimals(min_value=0, max_value=10**12, places=2, allow_nan=False, allow_infinity=False))
def test_money_round_trips_exactly(amount):
    column = Column("金额", "amount", MONEY)
    assert convert_cell(column, str(amount)) == (amount.quantize(Decimal("0.01")), None)
    assert convert_cell(column, f"{amount:,}") == (amount.quantize(Decimal("0.01")), None)


def test_template_saved_by_libreoffice_reads_back():
    """The template filled and re-saved by LibreOffice Calc still reads: same header, same values."""
    from pathlib import Path

    data = (Path(__file__).with_name("fixtures") / "needs-saved-by-libreoffice.xlsx").read_bytes()
    result = read_rows(data, COLUMNS)
    assert result.ok
    assert [r.values for r in result.good_rows] == [{
        "name": "智慧教育平台", "amount": Decimal("1234567.50"), "months": 12, "start": None, "priority": "high",
        "classified": False, "phone": "13900001111"}]
