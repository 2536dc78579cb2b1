"""File bytes on disk under `settings.MEDIA_ROOT`, outside the web root, under generated names.

A write is atomic and durable (temporary file in the same directory, fsync, `os.replace`, fsync of
the directory) and is read back and checked against its SM3 digest before it is acknowledged; a read
checks the digest again, so silent corruption is found when it matters rather than never.
"""

from __future__ import annotations

import os
import re
import tempfile
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.http import HttpResponse

from tongchou.core_errors import DomainError
from tongchou.crypto.sm import sm3_hex

# Names this module writes are sharded uuids. `projects/<uuid>` is the one older layout still read: the
# project attachments written before ADR 0160, registered as StoredFile rows in place (never written).
_NAME = re.compile(r"^(?:[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{32}(\.[a-z0-9]{1,8})?|projects/[0-9a-f]{32})$")


class StoredFileCorrupted(DomainError):
    status = 500

    def __init__(self, name: str) -> None:
        super().__init__(
            f"存储的文件已损坏或被改动（{name} 的 SM3 摘要与登记值不符），系统拒绝提供该文件。",
            code="file_corrupted", hint="请联系系统管理员从备份恢复该文件（tongchou restore）。")


@dataclass(frozen=True)
class StoredBlob:
    name: str  # relative to MEDIA_ROOT, e.g. "3f/a2/3fa2….pdf"
    size: int
    sm3: str


def media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def blob_path(name: str) -> Path:
    """Only names this module generated resolve; anything path-like is refused."""
    if not _NAME.fullmatch(name):
        raise DomainError("文件标识无效。", code="file_name_invalid")
    return media_root() / name


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path: Path, data: bytes, *, mode: int = 0o640) -> None:
    """Either the old content or the whole new content is at `path`, even after a crash."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def store_bytes(data: bytes, *, extension: str = "") -> StoredBlob:
    """Writes bytes under a new uuid name in sharded directories and verifies them on disk."""
    extension = extension.lower()
    if extension and not re.fullmatch(r"\.[a-z0-9]{1,8}", extension):
        raise ValueError(f"bad extension {extension!r}")
    key = uuid.uuid4().hex
    name = f"{key[:2]}/{key[2:4]}/{key}{extension}"
    digest = sm3_hex(data)
    path = blob_path(name)
    write_atomic(path, data)
    if sm3_hex(path.read_bytes()) != digest:
        path.unlink(missing_ok=True)
        raise StoredFileCorrupted(name)
    return StoredBlob(name=name, size=len(data), sm3=digest)


def read_bytes(name: str, *, sm3: str) -> bytes:
    path = blob_path(name)
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        raise DomainError("文件在存储中不存在，可能已被删除。", code="file_missing", status=500,
                          hint="请联系系统管理员从备份恢复（tongchou restore）。") from exc
    if sm3_hex(data) != sm3:
        raise StoredFileCorrupted(name)
    return data


def delete_bytes(name: str) -> None:
    blob_path(name).unlink(missing_ok=True)


# ---------------------------------------------------------------- downloads


def _ascii_fallback(filename: str) -> str:
    stem, ext = os.path.splitext(filename)
    ascii_ext = ext if ext.isascii() else ""
    decomposed = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    safe = re.sub(r"[^A-Za-z0-9._ -]", "_", decomposed).strip(" ._")
    if not safe.strip("_"):
        safe = "download"
    return safe[:80] + re.sub(r"[^A-Za-z0-9.]", "", ascii_ext)


def content_disposition(filename: str, *, inline: bool = False) -> str:
    """RFC 6266 with an RFC 5987 UTF-8 `filename*` (Chinese names) and a plain ASCII `filename`
    fallback; quotes, backslashes, CR and LF can never reach the header."""
    cleaned = "".join(ch for ch in unicodedata.normalize("NFC", filename or "")
                      if unicodedata.category(ch) not in {"Cc", "Cf"})
    cleaned = re.split(r"[/\\]", cleaned)[-1].strip() or "download"
    disposition = "inline" if inline else "attachment"
    return (f'{disposition}; filename="{_ascii_fallback(cleaned)}"; '
            f"filename*=UTF-8''{quote(cleaned, safe='')}")


def file_response(data: bytes, *, filename: str, content_type: str, inline: bool = False) -> HttpResponse:
    """A download: never sniffed, never cached (exports carry personal data)."""
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition(filename, inline=inline)
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
