"""Attachments to an application: checked by content, stored under a generated name with their SM3.

Only PDF, DOCX, XLSX, PNG and JPEG are taken. The name a user gave is display text only; the file on
disk is `MEDIA_ROOT/projects/<uuid>` and never derived from it. DOCX and XLSX are zip archives: the
central directory is read (no member is decompressed) and its totals checked before anything parses it.
"""

from __future__ import annotations

import io
import re
import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.conf import settings
from django.db import transaction

from tongchou.accounts.models import User
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError, NotFound
from tongchou.crypto.sm import sm3_hex
from tongchou.projects.models import MaterialKind, Project, ProjectAttachment
from tongchou.projects.selectors import project_can_edit, projects_visible_to

ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
ZIP_MAX_RATIO = 100

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EXTENSIONS = {PDF: ".pdf", PNG: ".png", JPEG: ".jpg", DOCX: ".docx", XLSX: ".xlsx"}
_OOXML_MAIN = {
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
}


def _refuse(message: str, *, code: str) -> DomainError:
    return DomainError(message, code=code, field="file", hint="请上传 PDF、Word（.docx）、Excel（.xlsx）或 PNG/JPEG 图片。")


def _zip_kind(data: bytes) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _refuse("文件已损坏，无法识别为 Word 或 Excel 文件。", code="upload_corrupt") from None
    if len(infos) > ZIP_MAX_ENTRIES:
        raise _refuse(f"压缩包内文件过多（{len(infos)} 个），已拒收。", code="upload_zip_bomb")
    total = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if total > ZIP_MAX_UNCOMPRESSED or total / packed > ZIP_MAX_RATIO:
        raise _refuse("文件解压后体积异常（疑似压缩炸弹），已拒收。", code="upload_zip_bomb")
    names = {i.filename for i in infos}
    if "[Content_Types].xml" not in names:
        raise _refuse("文件内容不是 Word（.docx）或 Excel（.xlsx）文档。", code="upload_type")
    # Size already bounded above, so reading the small manifest is safe; parsed as plain text, no XML.
    content_types = archive.read("[Content_Types].xml")[:1_000_000].decode("utf-8", "replace")
    for mime, main in _OOXML_MAIN.items():
        if main in content_types:
            return mime
    raise _refuse("文件内容不是 Word（.docx）或 Excel（.xlsx）文档。", code="upload_type")


def sniff_type(data: bytes) -> str:
    """The content type by magic bytes; anything else is refused whatever its name says."""
    head = data[:16]
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    raise _refuse("文件类型不受支持（按文件内容判断，而非文件名）。", code="upload_type")


_UNSAFE = re.compile(r"[\x00-\x1f\x7f<>:\"/\\|?*;]")


def display_name_for(original: str, mime: str) -> str:
    """The user's name reduced to a harmless label: no directories, no control or quote characters,
    at most 100 characters, ending in the extension of what the file really is."""
    name = unicodedata.normalize("NFKC", original or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip(" .") or "附件"
    stem = name.rsplit(".", 1)[0] if "." in name else name
    stem = stem.strip(" ._") or "附件"
    return stem[:100] + EXTENSIONS[mime]


@dataclass(frozen=True)
class StoredFile:
    stored_name: str
    mime: str
    size: int
    sm3: str


def _storage_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "projects"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _read_limited(upload: IO[bytes]) -> bytes:
    limit = int(settings.UPLOAD_MAX_BYTES)
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise _refuse(f"文件超过大小限制（最大 {limit // (1024 * 1024)} MB）。", code="upload_too_large")
    if not data:
        raise _refuse("文件为空。", code="upload_empty")
    return data


def attachment_add(
    *, project: Project, actor: User, material: str, upload: IO[bytes], filename: str
) -> ProjectAttachment:
    """Checks, stores and records one attachment; the upload is audited with its digest."""
    if material not in MaterialKind.values:
        raise DomainError("请选择附件所属的申报材料。", field="material")
    if not project_can_edit(user=actor, project=project):
        if projects_visible_to(actor).filter(pk=project.pk).exists():
            raise DomainError("该项目当前不能上传附件。", code="not_editable", status=409,
                              hint="只有本单位草稿或退回补正的项目可以上传附件。")
        raise NotFound()
    data = _read_limited(upload)
    mime = sniff_type(data)
    stored = StoredFile(stored_name=uuid.uuid4().hex, mime=mime, size=len(data), sm3=sm3_hex(data))
    path = _storage_dir() / stored.stored_name
    with open(path, "xb") as handle:  # "x": never overwrite
        handle.write(data)
    try:
        with transaction.atomic():
            attachment = ProjectAttachment.objects.create(
                project=project, material=material, display_name=display_name_for(filename, mime),
                stored_name=stored.stored_name, content_type=mime, size=stored.size, sm3=stored.sm3,
                uploaded_by=actor,
            )
            audit_record(event="project.attachment_uploaded", actor=actor, target=project, data={
                "attachment": attachment.pk, "material": material, "name": attachment.display_name,
                "size": stored.size, "sm3": stored.sm3, "type": mime,
            })
    except BaseException:
        path.unlink(missing_ok=True)  # no file without its record
        raise
    return attachment


def attachment_open(*, user: User, project_pk: int, attachment_pk: int) -> tuple[ProjectAttachment, bytes]:
    """The file for someone who may see the project, after checking it still matches its SM3."""
    project = projects_visible_to(user).filter(pk=project_pk).first()
    if project is None:
        raise NotFound()
    attachment = ProjectAttachment.objects.filter(project=project, pk=attachment_pk).first()
    if attachment is None:
        raise NotFound()
    path = _storage_dir() / attachment.stored_name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise DomainError("附件文件缺失，请联系系统管理员。", code="file_missing", status=500) from None
    if sm3_hex(data) != attachment.sm3:
        raise DomainError("附件完整性校验失败（SM3 不一致），已停止下载。", code="file_tampered", status=500,
                          hint="请联系系统管理员从备份恢复。")
    with transaction.atomic():
        audit_record(event="project.attachment_downloaded", actor=user, target=project,
                     data={"attachment": attachment.pk, "sm3": attachment.sm3})
    return attachment, data


def content_disposition(display_name: str) -> str:
    """RFC 6266: an ASCII fallback and the UTF-8 name percent-encoded; nothing from the name unquoted."""
    from urllib.parse import quote

    ext = display_name.rsplit(".", 1)[-1] if "." in display_name else "bin"
    fallback = re.sub(r"[^A-Za-z0-9._-]", "_", display_name.rsplit(".", 1)[0])[:60].strip("_") or "attachment"
    return f"attachment; filename=\"{fallback}.{ext}\"; filename*=UTF-8''{quote(display_name, safe='')}"
