"""Attachments (Art. 10 materials) on the shared upload pipeline (ADR 0160): type by content, size
limit, zip bombs, OOXML checks, names never paths, SM3 on write and read, download only for viewers,
and the error codes this API has always published."""

from __future__ import annotations

import io
import random
import re
import zipfile
from pathlib import Path

import docx
import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.projects.builders import make_project
from tongchou.audit.models import AuditEvent
from tongchou.crypto.sm import sm3_hex
from tongchou.documents.models import StoredFile
from tongchou.projects.models import ProjectAttachment

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 40 + b"\xff\xd9"


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("技术方案")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "投资估算"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DOCX = _docx()
XLSX = _xlsx()


def _ooxml(main: str, extra: dict[str, bytes] | None = None) -> bytes:
    """A hand-made package as an attacker would build it (no real Office file needed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{main}"/></Types>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def _rezip(source: bytes, *, add: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info))
        for name, data in add.items():
            zout.writestr(name, data)
    return out.getvalue()


def _macro_docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(DOCX)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                                    b"vnd.ms-word.document.macroEnabled.main+xml")
            zout.writestr(info.filename, data)
    return out.getvalue()


def _upload(client, project, data: bytes, name: str, material: str = "feasibility_study"):
    return client.post(f"/api/v1/projects/{project.pk}/attachments",
                       {"material": material, "file": SimpleUploadedFile(name, data)})


def _files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@pytest.fixture
def draft(login):
    user = login("applicant")
    return make_project(user)


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "name", "mime", "shown"), [
    (PDF, "可行性研究报告.pdf", "application/pdf", "可行性研究报告.pdf"),
    (PNG, "拓扑图.png", "image/png", "拓扑图.png"),
    (JPEG, "现场照片.JPG", "image/jpeg", "现场照片.jpg"),
    (DOCX, "技术方案.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "技术方案.docx"),
    (XLSX, "投资估算.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "投资估算.xlsx"),
    # What the user wrote stays visible, followed by what the file really is.
    (PDF, "report.exe", "application/pdf", "report.exe.pdf"),
])
def test_allowed_types_are_taken_by_content_and_stored_with_their_sm3(client, draft, settings, data, name, mime, shown):
    response = _upload(client, draft, data, name)
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"id", "material", "name", "size", "sm3", "content_type"}
    attachment = ProjectAttachment.objects.select_related("file").get()
    assert attachment.content_type == mime == body["content_type"] and attachment.display_name == shown == body["name"]
    assert attachment.sm3 == sm3_hex(data) == body["sm3"] and attachment.size == len(data) == body["size"]
    stored = Path(settings.MEDIA_ROOT) / attachment.file.storage_name
    assert stored.read_bytes() == data and _files(settings) == [stored]
    assert name not in str(stored) and attachment.file.purpose == "projects.attachment"
    event = AuditEvent.objects.get(event="project.attachment_uploaded")
    assert event.data["sm3"] == attachment.sm3 and event.target_id == str(draft.pk)
    assert event.data["file"] == str(attachment.file.pk)
    assert AuditEvent.objects.get(event="file.store").target_id == str(attachment.file.pk)
    detail = client.get(f"/api/v1/projects/{draft.pk}").json()["attachments"]
    assert detail == [{"id": attachment.pk, "material": "feasibility_study", "name": shown, "size": len(data),
                       "sm3": sm3_hex(data), "content_type": mime}]


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "name", "code"), [
    # The codes this API published before ADR 0160, for the same conditions.
    (b"MZ\x90\x00\x03" + b"\x00" * 64, "报告.pdf", "upload_type"),  # an executable renamed .pdf
    (b"<html><script>alert(1)</script>", "页面.pdf", "upload_type"),
    (b"", "空.pdf", "upload_empty"),
    (b"PK\x03\x04 not really a zip", "坏.xlsx", "upload_corrupt"),
    (_ooxml("application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml",
            {"ppt/presentation.xml": b"<p/>"}), "演示.docx", "upload_type"),
    # Refusals the older checks did not make (or reported as a wrong type) keep the shared codes.
    (_macro_docx(), "宏.docx", "upload_macro"),
    (_rezip(DOCX, add={"word/vbaProject.bin": b"\x00" * 64}), "宏代码.docx", "upload_nested"),
    (_rezip(DOCX, add={"word/embeddings/oleObject1.bin": b"PK\x03\x04" + b"\x00" * 64}), "嵌入.docx",
     "upload_nested"),
    (_rezip(XLSX, add={"xl/evil.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}), "实体.xlsx",
     "upload_bad_xml"),
    (_rezip(DOCX, add={"../../evil.xml": b"<x/>"}), "路径.docx", "upload_zip_path"),
    (b"%PDF-1.7\n1 0 obj<<>>endobj\n" + b"0" * 4096, "截断.pdf", "upload_truncated"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "假图.png", "upload_type"),  # no IHDR chunk: not a PNG
])
def test_wrong_content_is_refused_whatever_the_name_says(client, draft, settings, data, name, code):
    response = _upload(client, draft, data, name)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == code and response.json()["field"] == "file"
    assert re.search("[\u4e00-\u9fff]", response.json()["detail"])  # a Chinese reason
    assert not ProjectAttachment.objects.exists() and not StoredFile.objects.exists()
    assert not _files(settings)
    assert not AuditEvent.objects.filter(event__in=["project.attachment_uploaded", "file.store"]).exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused(client, draft, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = _upload(client, draft, PDF + b"0" * 2048, "大文件.pdf")
    assert response.status_code == 400 and response.json()["code"] == "upload_too_large"
    assert "文件过大" in response.json()["detail"] and "上限" in response.json()["detail"]
    assert not ProjectAttachment.objects.exists()
    assert not _files(settings)


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_before_anything_is_decompressed(client, draft):
    bomb = _ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                  {"word/document.xml": b"0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    response = _upload(client, draft, bomb, "炸弹.docx")
    assert response.status_code == 400 and response.json()["code"] == "upload_zip_bomb"


@pytest.mark.django_db
def test_a_padded_zip_bomb_is_still_a_bomb(client, draft):
    """Entries each below the per-entry ratio, the package padded (a long zip comment) so that its length
    hides the whole-package ratio: the older project check measured the ratio against the compressed
    sizes, and so does the shared pipeline now."""
    noise = random.Random(0).randbytes(10 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        for i in range(10):
            archive.writestr(f"word/part{i}.xml", noise + b"0" * (1536 * 1024))
        archive.comment = b"p" * 65535
    data = buffer.getvalue()
    infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    total, packed = sum(i.file_size for i in infos), sum(i.compress_size for i in infos)
    assert all(i.file_size <= 200 * i.compress_size for i in infos)  # no single entry gives it away
    assert total > 100 * packed and total < 100 * len(data)  # only the compressed-size ratio sees it
    response = _upload(client, draft, data, "填充.docx")
    assert response.status_code == 400 and response.json()["code"] == "upload_zip_bomb"


@pytest.mark.django_db
def test_too_many_zip_entries_are_refused(client, draft):
    many = _ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                  {f"xl/{i}.xml": b"x" for i in range(2100)})
    response = _upload(client, draft, many, "多.xlsx")
    assert response.status_code == 400 and response.json()["code"] == "upload_zip_bomb"
    assert "2101" in response.json()["detail"]


@pytest.mark.django_db
def test_a_broken_deflate_stream_is_refused_not_a_traceback(client, draft):
    data = bytearray(DOCX)
    info = zipfile.ZipFile(io.BytesIO(DOCX)).getinfo("word/document.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start:start + info.compress_size] = b"\xff" * info.compress_size
    response = _upload(client, draft, bytes(data), "损坏.docx")
    assert response.status_code == 400 and response.json()["code"] in {"upload_corrupt", "upload_bad_xml"}


@pytest.mark.django_db
@pytest.mark.parametrize(("original", "shown"), [
    ("../../etc/passwd.pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\报告.pdf", "报告.pdf"),
    ("/var/www/可研.pdf", "可研.pdf"),
    ('a"; filename=evil.html', "a_; filename=evil.html.pdf"),
    ("\x00\r\n..", "未命名文件.pdf"),
    ("报告\u202egpj.pdf", "报告gpj.pdf"),  # a right-to-left override cannot disguise the extension
    ("x" * 300 + ".pdf", "x" * 116 + ".pdf"),
])
def test_path_like_and_hostile_names_become_harmless_display_text(client, draft, settings, original, shown):
    """Through the service: the browser and Django's multipart parser already clean some of these."""
    from tongchou.projects.attachments import attachment_add

    attachment = attachment_add(project=draft, actor=draft.created_by, material="feasibility_study",
                                upload=io.BytesIO(PDF), filename=original)
    assert attachment.display_name == shown
    assert (Path(settings.MEDIA_ROOT) / attachment.file.storage_name).read_bytes() == PDF
    download = client.get(f"/projects/{draft.pk}/attachments/{attachment.pk}/")
    header = download["Content-Disposition"]
    assert header.startswith('attachment; filename="') and header.count('"') == 2
    assert "\r" not in header and "\n" not in header and "\u202e" not in header


@pytest.mark.django_db
def test_a_path_like_name_is_stored_under_a_generated_name(client, draft, settings):
    response = _upload(client, draft, PDF, "../../../../tmp/evil.pdf")
    assert response.status_code == 201
    attachment = ProjectAttachment.objects.get()
    assert attachment.display_name == "evil.pdf"
    assert not Path("/tmp/evil.pdf").exists() or Path("/tmp/evil.pdf").read_bytes() != PDF
    assert "evil" not in attachment.file.storage_name
    assert (Path(settings.MEDIA_ROOT) / attachment.file.storage_name).exists()


@pytest.mark.django_db
def test_download_is_audited_and_carries_a_safe_disposition(client, draft):
    _upload(client, draft, PDF, "可行性研究报告.pdf")
    attachment = ProjectAttachment.objects.get()
    response = client.get(f"/projects/{draft.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''%E5%8F%AF%E8%A1%8C" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    api = client.get(f"/api/v1/projects/{draft.pk}/attachments/{attachment.pk}")
    assert api.status_code == 200 and api.content == PDF and api["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(event="project.attachment_downloaded", target_id=str(draft.pk)).count() == 2
    assert AuditEvent.objects.filter(event="file.download", target_id=str(attachment.file.pk),
                                     outcome="ok").count() == 2


@pytest.mark.django_db
def test_a_tampered_file_is_not_served(client, draft, settings):
    _upload(client, draft, PDF, "可研.pdf")
    attachment = ProjectAttachment.objects.get()
    (Path(settings.MEDIA_ROOT) / attachment.file.storage_name).write_bytes(PDF + b"tampered")
    response = client.get(f"/api/v1/projects/{draft.pk}/attachments/{attachment.pk}")
    assert response.status_code == 500 and response.json()["code"] == "file_tampered"
    assert "SM3" in response.json()["detail"]
    failed = AuditEvent.objects.get(event="file.download")
    assert failed.outcome == "failed" and failed.data["problem"] == "file_corrupted"
    assert not AuditEvent.objects.filter(event="project.attachment_downloaded").exists()


@pytest.mark.django_db
def test_a_missing_file_is_reported_not_a_traceback(client, draft, settings):
    _upload(client, draft, PDF, "可研.pdf")
    attachment = ProjectAttachment.objects.get()
    (Path(settings.MEDIA_ROOT) / attachment.file.storage_name).unlink()
    response = client.get(f"/api/v1/projects/{draft.pk}/attachments/{attachment.pk}")
    assert response.status_code == 500 and response.json()["code"] == "file_missing"


@pytest.mark.django_db
def test_a_failure_after_the_file_is_written_leaves_nothing_behind(client, draft, settings, monkeypatch):
    from tongchou.projects import attachments

    real = attachments.audit_record

    def failing(**kwargs):
        if kwargs["event"] == "project.attachment_uploaded":
            raise RuntimeError("audit store unavailable")
        return real(**kwargs)

    monkeypatch.setattr(attachments, "audit_record", failing)
    with pytest.raises(RuntimeError):
        attachments.attachment_add(project=draft, actor=draft.created_by, material="feasibility_study",
                                   upload=io.BytesIO(PDF), filename="可研.pdf")
    assert not ProjectAttachment.objects.exists() and not StoredFile.objects.exists()
    assert not _files(settings)


@pytest.mark.django_db
def test_another_units_project_takes_no_upload(client, login, demo_users, settings):
    other = make_project(demo_users["applicant2"])
    login("applicant")
    response = _upload(client, other, PDF, "x.pdf")
    assert response.status_code == 404
    assert not ProjectAttachment.objects.exists() and not _files(settings)


@pytest.mark.django_db
def test_the_web_upload_reports_a_refusal_in_chinese(client, draft):
    response = client.post(f"/projects/{draft.pk}/attachments/",
                           {"material": "basic_info", "file": SimpleUploadedFile("a.pdf", b"GIF89a")}, follow=True)
    page = response.content.decode()
    assert "附件未上传" in page and "内容识别为GIF 图片" in page and "PDF 文档" in page


@pytest.mark.django_db
def test_the_web_upload_lists_the_file_on_the_edit_page(client, draft):
    response = client.post(f"/projects/{draft.pk}/attachments/",
                           {"material": "basic_info", "file": SimpleUploadedFile("总体方案.pdf", PDF)}, follow=True)
    page = response.content.decode()
    attachment = ProjectAttachment.objects.get()
    assert "已上传" in page and f"/projects/{draft.pk}/attachments/{attachment.pk}/" in page
    assert "总体方案.pdf" in page and attachment.sm3[:16] in page
