from __future__ import annotations

import unicodedata
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tongchou.calendar.selectors import calendar_load, working_days_count
from tongchou.obligations.selectors import obligations_due

COLUMNS = ("状态", "到期日", "剩余工作日", "项目编号", "项目名称", "事项", "依据", "责任单位")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _width(text), 0)


class Command(BaseCommand):
    help = "列出到期与逾期事项 / list what is due and overdue"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--as-of", dest="as_of", help="按此日期计算（YYYY-MM-DD，默认今天）")
        parser.add_argument("--within", type=int, default=14, help="列出多少天内到期的事项（默认 14）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            as_of = date.fromisoformat(options["as_of"]) if options["as_of"] else timezone.localdate()
        except ValueError as exc:
            raise CommandError(f"--as-of 日期无效：{options['as_of']}（应为 YYYY-MM-DD）") from exc
        if not 0 <= options["within"] <= 3660:
            raise CommandError("--within 应在 0 到 3660 之间")
        overdue, soon = obligations_due(as_of=as_of, within_days=options["within"])
        cal = calendar_load()
        rows: list[tuple[str, ...]] = []
        warnings: set[str] = set()
        for label, items in (("已逾期", overdue), ("即将到期", soon)):
            for ob in items:
                left = working_days_count(as_of, ob.due_date, cal=cal)
                warnings.update(left.warnings)
                rows.append((label, f"{ob.due_date:%Y-%m-%d}", str(left.days), ob.project.code, ob.project.name,
                             ob.title, ob.article, str(ob.responsible_org)))
        self.stdout.write(f"期限一览（截至 {as_of:%Y-%m-%d}）：逾期 {len(overdue)} 项，"
                          f"{options['within']} 天内到期 {len(soon)} 项")
        if rows:
            widths = [max(_width(r[i]) for r in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
            for row in [COLUMNS, *rows]:
                self.stdout.write("  ".join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip())
        for warning in sorted(warnings):
            self.stdout.write(f"提示：{warning}")
