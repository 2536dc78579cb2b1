from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from tongchou.idempotency.services import idempotency_purge


class Command(BaseCommand):
    help = "幂等键：purge 删除超过保留期的已存结果 / idempotency keys: purge expired stored answers"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("purge", help="删除超过保留期（IDEMPOTENCY_RETENTION_HOURS）的幂等键记录；后台进程也会定时执行")

    def handle(self, *args: Any, **options: Any) -> None:
        report = idempotency_purge(actor_name="cli")
        self.stdout.write(
            f"已删除 {report.deleted} 条超过保留期（{settings.IDEMPOTENCY_RETENTION_HOURS} 小时）的幂等键记录"
            f"（创建于 {timezone.localtime(report.cutoff):%Y-%m-%d %H:%M} 之前）。")
