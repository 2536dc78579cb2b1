"""Stored files: generated names, atomic durable writes, digests checked on read, safe downloads."""

from __future__ import annotations

import os
from urllib.parse import unquote

import pytest

from tongchou.audit.models import AuditEvent
from tongchou.core_errors import DomainError
from tongchou.crypto.sm import sm3_hex
from tongchou.documents import storage
from tongchou.documents.models import StoredFile
from tongchou.documents.services import stored_file_create, stored_file_from_upload, stored_file_read
from tongchou.documents.uploads import PDF, inspect_upload

PDF_BYTES = b"%PDF-1.7\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def test_store_generates_sharded_uuid_name_and_sm3(media):
    blob = storage.store_bytes(b"hello", extension=".pdf")
    parts = blob.name.split("/")
    assert len(parts) == 3 and parts[2].startswith(parts[0] + parts[1]) and parts[2].endswith(".pdf")
    path = media / blob.name
    assert path.read_bytes() == b"hello"
    assert blob.sm3 == sm3_hex(b"hello") and blob.size == 5
    assert oct(path.stat().st_mode & 0o777) == "0o640"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".tmp-")]
    assert storage.read_bytes(blob.name, sm3=blob.sm3) == b"hello"


def test_tampered_file_refused_on_read(media):
    blob = storage.store_bytes(b"original")
    (media / blob.name).write_bytes(b"tampered")
    with pytest.raises(storage.StoredFileCorrupted, match="SM3"):
        storage.read_bytes(blob.name, sm3=blob.sm3)


@pytest.mark.parametrize("name", ["../secret_key", "/etc/passwd", "ab/cd/../../../x", "ab/cd/notauuid.pdf",
                                  "projects/../secret_key", "projects/notauuid", "projects/" + "a" * 32 + ".pdf",
                                  "projects/" + "a" * 32 + "\n", "ab/cd/" + "a" * 32 + "\n", "reviews/" + "a" * 32,
                                  "x/projects/" + "a" * 32])
def test_path_like_names_never_resolve(name):
    with pytest.raises(DomainError, match="文件标识无效"):
        storage.read_bytes(name, sm3="0" * 64)


def test_the_older_project_attachment_layout_is_read_in_place(media):
    """ADR 0160: project attachments written before the shared pipeline stay at projects/<uuid>."""
    name = "projects/" + "0123456789abcdef" * 2
    (media / "projects").mkdir(parents=True)
    (media / name).write_bytes(b"%PDF-1.4\n%%EOF\n")
    assert storage.read_bytes(name, sm3=sm3_hex(b"%PDF-1.4\n%%EOF\n")) == b"%PDF-1.4\n%%EOF\n"
    with pytest.raises(storage.StoredFileCorrupted):
        storage.read_bytes(name, sm3="0" * 64)


def test_failed_write_leaves_old_content_and_no_temp(media, monkeypatch):
    target = media / "ab" / "cd" / "x.bin"
    storage.write_atomic(target, b"old")

    def boom(fd):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises(OSError, match="disk full"):
        storage.write_atomic(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in target.parent.iterdir()] == ["x.bin"]


def test_content_disposition_utf8_and_ascii_fallback():
    header = storage.content_disposition("关于智慧教育平台的审查意见.docx")
    assert header.startswith('attachment; filename="')
    fallback = header.split('filename="')[1].split('"')[0]
    assert fallback.isascii() and fallback.endswith(".docx")
    encoded = header.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "关于智慧教育平台的审查意见.docx"


@pytest.mark.parametrize("name", ['a"; filename="evil.exe', "x\r\nSet-Cookie: a=b", "../../etc/passwd", ""])
def test_content_disposition_cannot_be_broken_out_of(name):
    header = storage.content_disposition(name, inline=True)
    assert "\r" not in header and "\n" not in header
    assert header.startswith("inline; ")
    fallback = header.split('filename="')[1].split('"')[0]
    assert header.count('"') == 2 and "/" not in fallback
    assert "/" not in unquote(header.split("''")[1])


def test_file_response_headers():
    response = storage.file_response(b"x", filename="导出.xlsx", content_type="application/octet-stream")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store"
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_stored_file_service_audits_store_and_download(demo_users):
    actor = demo_users["applicant"]
    check = inspect_upload("../可研报告.pdf", PDF_BYTES, allowed={PDF}, max_bytes=1024)
    stored = stored_file_from_upload(check=check, actor=actor, purpose="material")
    assert stored.display_name == "可研报告.pdf" and stored.sm3 == sm3_hex(PDF_BYTES)
    assert stored_file_read(stored=stored, actor=actor) == PDF_BYTES
    events = list(AuditEvent.objects.filter(target_id=str(stored.pk)).values_list("event", "outcome"))
    assert events == [("file.store", "ok"), ("file.download", "ok")]


def test_corrupted_download_refused_and_audited(demo_users, media):
    stored = stored_file_create(data=PDF_BYTES, display_name="意见.pdf", kind=PDF, actor=demo_users["bureau"])
    (media / stored.storage_name).write_bytes(b"%PDF-evil")
    with pytest.raises(storage.StoredFileCorrupted):
        stored_file_read(stored=stored, actor=demo_users["bureau"])
    assert AuditEvent.objects.filter(event="file.download", outcome="failed").count() == 1


def test_no_orphan_file_when_the_row_fails(demo_users, media, monkeypatch):
    def fail(**kwargs):
        raise RuntimeError("audit down")

    monkeypatch.setattr("tongchou.documents.services.audit_record", fail)
    with pytest.raises(RuntimeError):
        stored_file_create(data=PDF_BYTES, display_name="a.pdf", kind=PDF, actor=demo_users["bureau"])
    assert not StoredFile.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_export_is_audited(demo_users):
    from tongchou.documents.services import export_record

    export_record(actor=demo_users["bureau"], what="yearly_plan", rows=12, filters={"year": 2026})
    event = AuditEvent.objects.get(event="export")
    assert event.actor == demo_users["bureau"]
    assert event.data == {"what": "yearly_plan", "rows": 12, "format": "xlsx", "filters": {"year": 2026}}


def test_verifyfiles_command_reports_missing_corrupt_and_unregistered(demo_users, media, capsys):
    from django.core.management import CommandError, call_command

    actor = demo_users["bureau"]
    good = stored_file_create(data=PDF_BYTES, display_name="好.pdf", kind=PDF, actor=actor)
    call_command("verifyfiles")
    assert "正常 1，缺失 0，摘要不符 0" in capsys.readouterr().out
    gone = stored_file_create(data=PDF_BYTES, display_name="丢.pdf", kind=PDF, actor=actor)
    bad = stored_file_create(data=PDF_BYTES, display_name="改.pdf", kind=PDF, actor=actor)
    (media / gone.storage_name).unlink()
    (media / bad.storage_name).write_bytes(b"%PDF-changed")
    storage.write_atomic(media / "stray.bin", b"x")
    with pytest.raises(CommandError, match="从备份恢复"):
        call_command("verifyfiles")
    out = capsys.readouterr().out
    assert "正常 1，缺失 1，摘要不符 1；未登记的文件 1 个" in out
    assert f"缺失：{gone.storage_name}（丢.pdf）" in out and "未登记：stray.bin" in out
    assert good.storage_name not in out
