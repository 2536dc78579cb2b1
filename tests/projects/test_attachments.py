"""Attachments: type by content, size limit, zip bombs, names never paths, download only for viewers."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from tests.projects.builders import make_project
from tongchou.audit.models import AuditEvent
from tongchou.crypto.sm import sm3_hex
from tongchou.projects.attachments import content_disposition, display_name_for
from tongchou.projects.models import ProjectAttachment

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def _ooxml(main: str, extra: dict[str, bytes] | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", f'<Types><Override ContentType="{main}"/></Types>')
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = _ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
              {"word/document.xml": b"<w:document/>"})
XLSX = _ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
              {"xl/workbook.xml": b"<workbook/>"})


def _upload(client, project, data: bytes, name: str, material: str = "feasibility_study"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(f"/api/v1/projects/{project.pk}/attachments",
                       {"material": material, "file": SimpleUploadedFile(name, data)})


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
    (PDF, "report.exe", "application/pdf", "report.pdf"),
])
def test_allowed_types_are_taken_by_content_and_stored_with_their_sm3(client, draft, settings, data, name, mime, shown):
    response = _upload(client, draft, data, name)
    assert response.status_code == 201, response.content
    attachment = ProjectAttachment.objects.get()
    assert attachment.content_type == mime and attachment.display_name == shown
    assert attachment.sm3 == sm3_hex(data) and response.json()["sm3"] == attachment.sm3
    stored = Path(settings.MEDIA_ROOT) / "projects" / attachment.stored_name
    assert stored.read_bytes() == data
    assert name not in str(stored)
    event = AuditEvent.objects.get(event="project.attachment_uploaded")
    assert event.data["sm3"] == attachment.sm3 and event.target_id == str(draft.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "name", "code"), [
    (b"MZ\x90\x00\x03" + b"\x00" * 64, "报告.pdf", "upload_type"),  # an executable renamed .pdf
    (b"<html><script>alert(1)</script>", "页面.pdf", "upload_type"),
    (b"", "空.pdf", "upload_empty"),
    (_ooxml("application/vnd.ms-word.document.macroEnabled.main+xml"), "宏.docx", "upload_type"),
    (b"PK\x03\x04 not really a zip", "坏.xlsx", "upload_corrupt"),
])
def test_wrong_content_is_refused_whatever_the_name_says(client, draft, data, name, code):
    response = _upload(client, draft, data, name)
    assert response.status_code == 400
    assert response.json()["code"] == code and response.json()["field"] == "file"
    assert "文件" in response.json()["detail"]
    assert not ProjectAttachment.objects.exists()


@pytest.mark.django_db
def test_an_oversized_file_is_refused(client, draft, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    response = _upload(client, draft, PDF + b"0" * 2048, "大文件.pdf")
    assert response.status_code == 400 and response.json()["code"] == "upload_too_large"
    assert "大小限制" in response.json()["detail"]
    assert not ProjectAttachment.objects.exists()
    assert not list((Path(settings.MEDIA_ROOT) / "projects").glob("*"))


@pytest.mark.django_db
def test_a_zip_bomb_is_refused_before_anything_is_decompressed(client, draft):
    bomb = _ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                  {"word/document.xml": b"0" * (20 * 1024 * 1024)})
    assert len(bomb) < 100_000
    response = _upload(client, draft, bomb, "炸弹.docx")
    assert response.status_code == 400 and response.json()["code"] == "upload_zip_bomb"


@pytest.mark.django_db
def test_too_many_zip_entries_are_refused(client, draft):
    many = _ooxml("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                  {f"xl/{i}.xml": b"x" for i in range(2100)})
    assert _upload(client, draft, many, "多.xlsx").json()["code"] == "upload_zip_bomb"


@pytest.mark.parametrize(("original", "mime", "shown"), [
    ("../../etc/passwd.pdf", "application/pdf", "passwd.pdf"),
    ("..\\..\\windows\\system32\\报告.pdf", "application/pdf", "报告.pdf"),
    ("/var/www/可研.png", "image/png", "可研.png"),
    ('a"; filename=evil.html', "application/pdf", "a__ filename=evil.pdf"),
    ("\x00\r\n..", "application/pdf", "附件.pdf"),
    ("x" * 300 + ".pdf", "application/pdf", "x" * 100 + ".pdf"),
])
def test_path_like_and_hostile_names_become_harmless_display_text(original, mime, shown):
    assert display_name_for(original, mime) == shown


def test_content_disposition_is_safe_and_keeps_the_chinese_name():
    header = content_disposition('可研"报告;.pdf')
    assert header.startswith('attachment; filename="')
    assert '"报告' not in header and "\r" not in header and "\n" not in header
    assert "filename*=UTF-8''%E5%8F%AF%E7%A0%94" in header


@pytest.mark.django_db
def test_a_path_like_name_is_stored_under_a_generated_name(client, draft, settings):
    response = _upload(client, draft, PDF, "../../../../tmp/evil.pdf")
    assert response.status_code == 201
    attachment = ProjectAttachment.objects.get()
    assert attachment.display_name == "evil.pdf"
    assert not Path("/tmp/evil.pdf").exists() or Path("/tmp/evil.pdf").read_bytes() != PDF
    assert (Path(settings.MEDIA_ROOT) / "projects" / attachment.stored_name).exists()


@pytest.mark.django_db
def test_download_is_audited_and_carries_a_safe_disposition(client, draft):
    _upload(client, draft, PDF, "可行性研究报告.pdf")
    attachment = ProjectAttachment.objects.get()
    response = client.get(f"/projects/{draft.pk}/attachments/{attachment.pk}/")
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AuditEvent.objects.filter(event="project.attachment_downloaded", target_id=str(draft.pk)).count() == 1


@pytest.mark.django_db
def test_a_tampered_file_is_not_served(client, draft, settings):
    _upload(client, draft, PDF, "可研.pdf")
    attachment = ProjectAttachment.objects.get()
    (Path(settings.MEDIA_ROOT) / "projects" / attachment.stored_name).write_bytes(PDF + b"tampered")
    response = client.get(f"/api/v1/projects/{draft.pk}/attachments/{attachment.pk}")
    assert response.status_code == 500 and response.json()["code"] == "file_tampered"


@pytest.mark.django_db
def test_another_units_project_takes_no_upload(client, login, demo_users):
    other = make_project(demo_users["applicant2"])
    login("applicant")
    response = _upload(client, other, PDF, "x.pdf")
    assert response.status_code == 404
    assert not ProjectAttachment.objects.exists()


@pytest.mark.django_db
def test_the_web_upload_reports_a_refusal_in_chinese(client, draft):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(f"/projects/{draft.pk}/attachments/",
                           {"material": "basic_info", "file": SimpleUploadedFile("a.pdf", b"GIF89a")}, follow=True)
    assert "附件未上传" in response.content.decode() and "文件类型不受支持" in response.content.decode()
