from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tongchou.audit.services import audit_record
from tongchou.documents.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份内嵌数据库与上传文件（含 SM3 校验清单）/ back up the embedded database and files"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--output", "-o", help="备份文件路径（默认 var/backups/tongchou-日期-时间.tar.gz）")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = create_backup(Path(options["output"]) if options.get("output") else None)
        except BackupError as exc:
            raise CommandError(exc.message) from exc
        manifest = result.manifest
        audit_record(event="system.backup", actor_name=f"cli:{getpass.getuser()}",
                     data={"archive": result.path.name, "sm3": result.sm3, "files": len(manifest["media"])})
        self.stdout.write(f"备份完成：{result.path}")
        self.stdout.write(f"  数据库 {manifest['database']['size'] / 1024 / 1024:.1f} MB，文件 {len(manifest['media'])} 个")
        self.stdout.write(f"  备份文件 SM3：{result.sm3}")
        self.stdout.write("  注意：密钥（SECRET_KEY、FIELD_ENCRYPTION_KEY 或 var/ 下的 secret_key、field_key）"
                          "不在备份中，请另行妥善保管，否则恢复后无法解密个人信息。")
