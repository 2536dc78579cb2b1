"""CSV exports open in Excel with Chinese intact and never carry a live formula."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal

from tongchou.documents.csv_export import write_csv


def test_bom_chinese_and_formula_neutralised():
    data = write_csv(["项目名称", "金额", "批复日期", "涉密"],
                     [["=HYPERLINK(\"http://evil.example\")", Decimal("1200000.50"), dt.date(2025, 3, 5), False],
                      ["-1+1", -5, None, True], ["智慧教育, 一期", 0, dt.date(2026, 1, 1), False]])
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows[0] == ["项目名称", "金额", "批复日期", "涉密"]
    assert rows[1] == ["'=HYPERLINK(\"http://evil.example\")", "1200000.50", "2025-03-05", "否"]
    assert rows[2] == ["'-1+1", "-5", "", "是"]
    assert rows[3][0] == "智慧教育, 一期"
