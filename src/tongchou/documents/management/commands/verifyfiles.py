from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tongchou.core_errors import DomainError
from tongchou.documents import storage
from tongchou.documents.models import StoredFile


class Command(BaseCommand):
    help = "核对全部存储文件的 SM3 摘要，列出缺失、被改动与未登记的文件 / verify every stored file"

    def handle(self, *args: Any, **options: Any) -> None:
        missing, corrupt, checked = [], [], 0
        known = set()
        for stored in StoredFile.objects.order_by("created_at").iterator():
            known.add(stored.storage_name)
            checked += 1
            try:
                storage.read_bytes(stored.storage_name, sm3=stored.sm3)
            except storage.StoredFileCorrupted:
                corrupt.append(stored)
            except DomainError:
                missing.append(stored)
        root = Path(settings.MEDIA_ROOT)
        unregistered = sorted(
            p.relative_to(root).as_posix() for p in root.rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-") and p.relative_to(root).as_posix() not in known
        ) if root.is_dir() else []
        self.stdout.write(f"已核对 {checked} 个文件：正常 {checked - len(missing) - len(corrupt)}，"
                          f"缺失 {len(missing)}，摘要不符 {len(corrupt)}；未登记的文件 {len(unregistered)} 个。")
        for stored in missing:
            self.stdout.write(f"  缺失：{stored.storage_name}（{stored.display_name}）")
        for stored in corrupt:
            self.stdout.write(f"  摘要不符：{stored.storage_name}（{stored.display_name}）")
        for name in unregistered[:50]:
            self.stdout.write(f"  未登记：{name}")
        if missing or corrupt:
            raise CommandError("存在缺失或被改动的文件，请从备份恢复（见 docs/operations.md）。")
