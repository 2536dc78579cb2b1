from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tongchou.audit.services import audit_record
from tongchou.documents.backup import BackupError, apply_restore, create_backup, discard, prepare_restore


class Command(BaseCommand):
    help = "从备份恢复内嵌数据库与上传文件（先校验，再覆盖）/ restore the embedded database and files"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("archive", help="tongchou backup 生成的 .tar.gz 文件")
        parser.add_argument("--yes", action="store_true", help="确认覆盖当前的数据库与文件")

    def handle(self, *args: Any, **options: Any) -> None:
        archive = Path(options["archive"])
        try:
            plan = prepare_restore(archive)
        except BackupError as exc:
            raise CommandError(exc.message + (f"\n{exc.hint}" if exc.hint else "")) from exc
        self.stdout.write(f"已校验备份：{archive}")
        self.stdout.write("  " + plan.summary())
        if not options["yes"]:
            discard(plan)
            raise CommandError(
                "恢复会覆盖当前的数据库和全部上传文件，未做任何改动。"
                "确认无误后请停止网页服务与后台进程，再加上 --yes 重新执行。")
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
        safety = Path(settings.VAR_DIR) / "backups" / f"pre-restore-{stamp}.tar.gz"
        try:
            apply_restore(plan, before=lambda: create_backup(safety))
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        audit_record(event="system.restore", actor_name=f"cli:{getpass.getuser()}",
                     data={"archive": archive.name, "backup_created_at": plan.manifest["created_at"],
                           "database_sm3": plan.manifest["database"]["sm3"], "safety_backup": safety.name})
        self.stdout.write(f"恢复完成。恢复前的状态已另存为：{safety}")
        self.stdout.write("  如统筹版本比备份新，请执行 tongchou migrate。")
