"""Files on member opinions and on 补正 answers (Art. 14, 17): checked by content before anything is
written (`inspect_upload`), kept as `documents.StoredFile` (generated name, SM3 digest), shown under
the name the user gave. The services in `opinions` decide who may attach and when; this module only
checks, stores and cleans up. See docs/adr/0130-review-attachments.md."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings

from tongchou.core_errors import DomainError
from tongchou.documents import storage
from tongchou.documents.models import StoredFile
from tongchou.documents.services import stored_file_from_upload
from tongchou.documents.uploads import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    XLSX,
    UploadCheck,
    UploadRejected,
    inspect_upload,
    sanitise_filename,
)

ALLOWED = {PDF, DOCX, XLSX, PNG, JPEG}
MAX_PER_ITEM = 10  # files on one opinion, or on one 补正 answer

Upload = tuple[str, Any]  # (the name the user gave, bytes or a readable file)


class AttachmentRejected(DomainError):
    """A refused file: 422 on the API, with the field and the file's name in the message."""

    status = 422

    def __init__(self, message: str, *, code: str, field: str, hint: str | None = None,
                 article: str | None = None) -> None:
        super().__init__(message, code=code, field=field, hint=hint, article=article)

    def as_dict(self) -> dict[str, Any]:
        return {**super().as_dict(), "errors": [{"field": self.field, "message": self.message}]}


def check_uploads(uploads: Sequence[Upload], *, field: str, already: int = 0) -> list[UploadCheck]:
    """Every file checked before any is kept: one bad file refuses them all, nothing is written."""
    if already + len(uploads) > MAX_PER_ITEM:
        raise AttachmentRejected(f"附件最多 {MAX_PER_ITEM} 个（已有 {already} 个，本次 {len(uploads)} 个）。",
                                 code="too_many_files", field=field, hint="请合并文件后再上传。")
    checks = []
    for name, data in uploads:
        try:
            checks.append(inspect_upload(name, data, allowed=ALLOWED, max_bytes=settings.UPLOAD_MAX_BYTES))
        except UploadRejected as exc:
            shown = sanitise_filename(name)
            raise AttachmentRejected(f"附件「{shown}」：{exc.message}", code=exc.code, field=field,
                                     hint=exc.hint) from exc
    return checks


class Kept:
    """The bytes written during one action, removed again if the action's transaction fails."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def store(self, check: UploadCheck, *, actor: Any, purpose: str) -> StoredFile:
        stored = stored_file_from_upload(check=check, actor=actor, purpose=purpose)
        self.names.append(stored.storage_name)
        return stored

    def discard(self) -> None:
        for name in self.names:
            storage.delete_bytes(name)


def file_summary(files: Iterable[StoredFile]) -> list[dict[str, Any]]:
    """What the audit trail keeps of a set of attachments: enough to prove which bytes they were."""
    return [{"file": str(f.pk), "name": f.display_name, "size": f.size, "sm3": f.sm3} for f in files]
