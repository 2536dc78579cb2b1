"""Figures for the documents toolkit on this machine: import, export, upload checks, 公文, backup.

Run: python bench/documents.py [EXPORT_ROWS]   (prints figures; asserts nothing about speed)
"""

from __future__ import annotations

import datetime as dt
import io
import os
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tongchou.config.settings")
os.environ.setdefault("TONGCHOU_VAR_DIR", tempfile.mkdtemp(prefix="tongchou-bench-"))
import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402

from tongchou.documents.official import Section, build_official_document  # noqa: E402
from tongchou.documents.uploads import XLSX, inspect_upload  # noqa: E402
from tongchou.documents.xlsx import DATE, ENUM, INT, MONEY, Column, build_template, read_rows, write_table  # noqa: E402

COLUMNS = [
    Column("需求名称", "name", required=True, max_length=100),
    Column("建设内容", "content", max_length=2000),
    Column("预计金额", "amount", MONEY, required=True),
    Column("周期（月）", "months", INT, min_value=1),
    Column("开始日期", "start", DATE),
    Column("优先级", "priority", ENUM, choices=(("h", "高"), ("m", "中"), ("l", "低"))),
]


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:<48} {time.perf_counter() - start:8.2f} s")
    return result


def filled(rows: int) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(build_template(COLUMNS, "需求", [])))
    ws = wb["填写数据"]
    for i in range(rows):
        ws.append([f"需求{i}", "建设内容" * 20, 100000 + i, 12, dt.date(2026, 1, 1), "高"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main(export_rows: int) -> None:
    template = timed("build_template (6 columns)", lambda: build_template(COLUMNS, "需求", ["说明"]))
    print(f"{'  template size':<48} {len(template) / 1024:8.1f} KB")
    data = timed("fill 10,000 rows with openpyxl (setup)", lambda: filled(10000))
    print(f"{'  filled file size':<48} {len(data) / 1024 / 1024:8.2f} MB")
    timed("inspect_upload of that file (zip + defusedxml)",
          lambda: inspect_upload("x.xlsx", data, allowed={XLSX}, max_bytes=50 << 20))
    result = timed("read_rows 10,000 rows (includes inspect)", lambda: read_rows(data, COLUMNS))
    assert result.ok and len(result.good_rows) == 10000
    rows = ([f"项目{i}", "=1+1", Decimal("1234.56"), i, dt.date(2026, 1, 1), "昌吉州", "高", "备注"]
            for i in range(export_rows))
    out = timed(f"write_table {export_rows:,} rows x 8 columns (streamed)",
                lambda: write_table(["名称", "公式样", "金额", "序号", "日期", "单位", "优先级", "备注"], rows))
    print(f"{'  export size':<48} {len(out) / 1024 / 1024:8.2f} MB")
    body = [Section(f"第{i}部分", ["正文段落。" * 30] * 5) for i in range(1, 11)]
    doc = timed("build_official_document (10 sections, 50 paras)", lambda: build_official_document(
        issuer="昌吉州数字化发展局", doc_number="昌州数发〔2025〕12号", title="关于审查意见的通知",
        addressee="州教育局", body=body, signer="昌吉州数字化发展局", date=dt.date(2025, 3, 5)))
    print(f"{'  docx size':<48} {len(doc) / 1024:8.1f} KB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory of this process':<48} {peak:8.0f} MB")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20000)
