"""ADR 0160, step 2 of 3: every existing project attachment is registered as a `documents.StoredFile`
in place. No byte moves: the file stays at MEDIA_ROOT/projects/<uuid> (the one legacy layout that
`documents.storage` still reads), so nothing can be lost half-way and backups keep finding it. The
recorded SM3 is carried over unchanged and every file is checked against it now; a missing or altered
file is listed (it stays refused at download, as before) but does not stop the upgrade.

Reversible: backwards, the old columns are filled again from the StoredFile; a file uploaded after the
upgrade (sharded layout) is copied to MEDIA_ROOT/projects/<uuid> so the older code can serve it; the
StoredFile rows are then removed (their bytes are left where they are).
"""

import re
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.db import migrations

from tongchou.crypto.sm import sm3_hex

PURPOSE = "projects.attachment"
KINDS = {
    "application/pdf": "pdf",
    "image/png": "png",
    "image/jpeg": "jpeg",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}
LEGACY = re.compile(r"[0-9a-f]{32}")


def _check(path: Path, sm3: str) -> str:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return "文件缺失"
    return "" if sm3_hex(data) == sm3 else "SM3 不一致"


def carry_over(apps, schema_editor):
    attachment_model = apps.get_model("projects", "ProjectAttachment")
    stored_model = apps.get_model("documents", "StoredFile")
    root = Path(settings.MEDIA_ROOT)
    problems = []
    for row in attachment_model.objects.filter(file__isnull=True).order_by("pk"):
        if not LEGACY.fullmatch(row.stored_name or ""):
            raise RuntimeError(f"project attachment {row.pk}: unexpected stored name {row.stored_name!r}")
        kind = KINDS.get(row.content_type)
        if kind is None:
            raise RuntimeError(f"project attachment {row.pk}: unexpected content type {row.content_type!r}")
        name = f"projects/{row.stored_name}"
        problem = _check(root / name, row.sm3)
        if problem:
            problems.append(f"  附件 {row.pk}（项目 {row.project_id}，{name}）：{problem}")
        row.file = stored_model.objects.create(
            storage_name=name, display_name=row.display_name, kind=kind, content_type=row.content_type,
            size=row.size, sm3=row.sm3, purpose=PURPOSE, created_by_id=row.uploaded_by_id,
            created_at=row.uploaded_at,
        )
        row.save(update_fields=["file"])
    if problems:
        sys.stdout.write("\n项目附件迁移：以下文件与登记的 SM3 不符或缺失，下载时仍会被拒绝，"
                         "请从备份恢复（tongchou restore）：\n" + "\n".join(problems) + "\n")


def carry_back(apps, schema_editor):
    attachment_model = apps.get_model("projects", "ProjectAttachment")
    stored_model = apps.get_model("documents", "StoredFile")
    root = Path(settings.MEDIA_ROOT)
    used = []
    for row in attachment_model.objects.filter(file__isnull=False).select_related("file").order_by("pk"):
        stored = row.file
        if stored.storage_name.startswith("projects/"):
            row.stored_name = stored.storage_name.removeprefix("projects/")
        else:  # uploaded after the upgrade: give the older code a copy where it looks
            key = Path(stored.storage_name).name.split(".", 1)[0]
            target = root / "projects" / key
            target.parent.mkdir(parents=True, exist_ok=True)
            source = root / stored.storage_name
            if source.is_file() and not target.exists():  # a missing file stays missing, as it was
                shutil.copyfile(source, target)
            row.stored_name = key
        row.display_name = stored.display_name[:120]
        row.content_type = stored.content_type
        row.size = stored.size
        row.sm3 = stored.sm3
        row.file = None
        row.save(update_fields=["stored_name", "display_name", "content_type", "size", "sm3", "file"])
        used.append(stored.pk)
    stored_model.objects.filter(pk__in=used).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("projects", "0003_attachment_storedfile_prepare"),
    ]

    operations = [migrations.RunPython(carry_over, carry_back)]
