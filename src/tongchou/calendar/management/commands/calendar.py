from __future__ import annotations

from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tongchou.calendar.rules import fallback_warning
from tongchou.calendar.selectors import calendar_load, working_days_add
from tongchou.calendar.services import calendar_seed


class Command(BaseCommand):
    help = "工作日历：seed 从 chinese-calendar 载入节假日安排；add 计算若干工作日后的日期 / working-day calendar"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("seed", help="载入节假日与调休安排（可重复执行）")
        add = sub.add_parser("add", help="计算 START 之后第 N 个工作日")
        add.add_argument("start")
        add.add_argument("n", type=int)
        sub.add_parser("status", help="列出已录入安排的年度")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "seed":
            result = calendar_seed()
            span = f"{result.years[0]}–{result.years[-1]}" if result.years else "无"
            self.stdout.write(
                f"工作日历已载入：新增 {result.created} 天，更新 {result.updated} 天，"
                f"保留管理员录入 {result.kept_admin} 天；程序包覆盖年度 {span}。"
            )
        elif action == "add":
            try:
                start = date.fromisoformat(options["start"])
            except ValueError as exc:
                raise CommandError(f"开始日期无效：{options['start']}（应为 YYYY-MM-DD）") from exc
            found = working_days_add(start, options["n"])
            self.stdout.write(f"{start:%Y-%m-%d} 之后第 {options['n']} 个工作日：{found.date:%Y-%m-%d}")
            for warning in found.warnings:
                self.stderr.write(f"提示：{warning}")
        else:
            cal = calendar_load()
            years = sorted(cal.scheduled_years)
            self.stdout.write("已录入安排的年度：" + ("、".join(map(str, years)) or "无"))
            today = timezone.localdate()
            for year in (today.year, today.year + 1):
                if not cal.has_schedule(year):
                    self.stdout.write("提示：" + fallback_warning(year))
