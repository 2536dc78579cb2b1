"""Attachments to an application (Art. 10 materials), on the shared upload pipeline (ADR 0160).

A file is checked by content before anything is written (`documents.uploads.inspect_upload`: PDF,
DOCX, XLSX, PNG or JPEG only; size, zip-bomb, OOXML, macro and XML checks) and kept as a
`documents.StoredFile` (generated name, SM3 digest verified on write and on every read, `file.store` /
`file.download` audit events). The name a user gave is display text only. The project's own events
(`project.attachment_uploaded` / `project.attachment_downloaded`) and the error codes this module has
always published are kept.
"""

from __future__ import annotations

from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse

from tongchou.accounts.models import User
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError, NotFound
from tongchou.documents import storage
from tongchou.documents.models import StoredFile
from tongchou.documents.services import stored_file_from_upload, stored_file_read
from tongchou.documents.uploads import DOCX, JPEG, PDF, PNG, XLSX, UploadRejected, inspect_upload
from tongchou.projects.models import MaterialKind, Project, ProjectAttachment
from tongchou.projects.selectors import project_can_edit, projects_visible_to

ALLOWED = {PDF, DOCX, XLSX, PNG, JPEG}
PURPOSE = "projects.attachment"

# The codes the project attachment API published before it moved onto the shared pipeline, for the
# same conditions; refusals the older checks did not make keep the shared pipeline's own codes.
LEGACY_CODES = {
    "upload_type_refused": "upload_type",
    "upload_zip_broken": "upload_corrupt",
    "upload_zip_entries": "upload_zip_bomb",
    "upload_zip_size": "upload_zip_bomb",
    "file_corrupted": "file_tampered",
}


def _legacy(exc: DomainError) -> DomainError:
    code = LEGACY_CODES.get(exc.code or "")
    if code is None:
        return exc
    if isinstance(exc, UploadRejected):
        return UploadRejected(exc.message, code=code, hint=exc.hint)
    return DomainError(exc.message, code=code, status=exc.status, hint=exc.hint)


def attachment_add(
    *, project: Project, actor: User, material: str, upload: IO[bytes] | Any, filename: str
) -> ProjectAttachment:
    """Checks, stores and records one attachment; the upload is audited with its digest."""
    if material not in MaterialKind.values:
        raise DomainError("请选择附件所属的申报材料。", field="material")
    if not project_can_edit(user=actor, project=project):
        if projects_visible_to(actor).filter(pk=project.pk).exists():
            raise DomainError("该项目当前不能上传附件。", code="not_editable", status=409,
                              hint="只有本单位草稿或退回补正的项目可以上传附件。")
        raise NotFound()
    try:
        check = inspect_upload(filename, upload, allowed=ALLOWED, max_bytes=int(settings.UPLOAD_MAX_BYTES))
    except UploadRejected as exc:
        raise _legacy(exc) from exc
    stored: StoredFile | None = None
    try:
        with transaction.atomic():
            stored = stored_file_from_upload(check=check, actor=actor, purpose=PURPOSE)
            attachment = ProjectAttachment.objects.create(project=project, material=material, file=stored,
                                                          uploaded_by=actor)
            if material == MaterialKind.SUPERIOR_CONSENT:
                # The yes/no column follows the document (Art. 13, ADR 0195).
                Project.objects.filter(pk=project.pk).update(exception_superior_consent=True)
                project.exception_superior_consent = True
            audit_record(event="project.attachment_uploaded", actor=actor, target=project, data={
                "attachment": attachment.pk, "material": material, "name": stored.display_name,
                "size": stored.size, "sm3": stored.sm3, "type": stored.content_type, "file": str(stored.pk),
            })
    except BaseException:
        if stored is not None:
            storage.delete_bytes(stored.storage_name)  # no file without its record
        raise
    return attachment


def attachment_open(*, user: User, project_pk: int, attachment_pk: int) -> tuple[ProjectAttachment, bytes]:
    """The file for someone who may see the project, after checking it still matches its SM3."""
    project = projects_visible_to(user).filter(pk=project_pk).first()
    if project is None:
        raise NotFound()
    attachment = ProjectAttachment.objects.select_related("file").filter(project=project, pk=attachment_pk).first()
    if attachment is None:
        raise NotFound()
    try:
        # Outside the transaction below, so a refused read keeps its `file.download` failure event.
        data = stored_file_read(stored=attachment.file, actor=user)
    except DomainError as exc:
        raise _legacy(exc) from exc
    with transaction.atomic():
        audit_record(event="project.attachment_downloaded", actor=user, target=project,
                     data={"attachment": attachment.pk, "sm3": attachment.sm3, "file": str(attachment.file_id)})
    return attachment, data


def file_response(attachment: ProjectAttachment, data: bytes) -> HttpResponse:
    """The download: never sniffed, never cached, under the name the user gave (RFC 6266)."""
    return storage.file_response(data, filename=attachment.display_name, content_type=attachment.content_type)
