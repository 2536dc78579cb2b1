from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tongchou.audit.verify import audit_verify

RETENTION_MONTHS = 12


class Command(BaseCommand):
    help = "审计日志：verify 重新计算哈希链并指出第一处断裂 / audit log: verify the hash chain"

    def add_arguments(self, parser: Any) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="重新计算 SM3 哈希链；链断裂时指出第一处并以状态 1 退出")

    def handle(self, *args: Any, **options: Any) -> None:
        result = audit_verify()
        if result.broken is not None:
            self.stderr.write(f"审计日志哈希链断裂（已核对 {result.checked} 条）：{result.broken.message}")
            if result.broken.event_id is not None:
                self.stderr.write(f"第一处断裂：事件 #{result.broken.event_id}")
            raise CommandError("审计日志校验未通过 / audit chain broken", returncode=1)
        since = f"，最早事件 {timezone.localtime(result.first_at):%Y-%m-%d}" if result.first_at else ""
        self.stdout.write(f"审计日志完整：已核对 {result.checked} 条事件，哈希链无断裂{since}。"
                          f"（保留期要求：至少 {RETENTION_MONTHS} 个月，不得删除）")
