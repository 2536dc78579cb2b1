"""`Idempotency-Key` on the file-upload routes (ADR 0225): a retry is recognised by what it uploads — form
fields, file names, sizes and content SM3 — not by the multipart boundary its client happened to pick."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.test.client import encode_multipart

from tests.projects import builders
from tests.projects.test_attachments import DOCX, PDF, _ooxml
from tests.reports.test_whatif import draft_yaml
from tests.reviews.conftest import clock, make_project  # noqa: F401  (fixtures)
from tests.reviews.helpers import assessment
from tongchou.api.idempotency import request_digest
from tongchou.audit.models import AuditEvent
from tongchou.crypto.sm import sm3_hex, sm3_hex_chunks
from tongchou.documents.models import StoredFile
from tongchou.idempotency.models import IdempotencyRecord
from tongchou.projects.models import ProjectAttachment
from tongchou.reports.models import RulesetDraft
from tongchou.reviews.models import OpinionAttachment
from tongchou.reviews.routing import review_route

EXE = b"MZ\x90\x00\x03" + b"\x00" * 64
# A valid PDF of ~16 KB: above the small upload-memory limits set below, so Django spools it to disk.
BIG_PDF = b"%PDF-1.7\n%" + b"x" * 16_000 + b"\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def blobs(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def multipart(boundary: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]) -> tuple[bytes, str]:
    """The body and Content-Type a client would send; a fresh file object each time (encoding reads it)."""
    data: dict[str, object] = dict(fields)
    data.update({field: SimpleUploadedFile(name, content) for field, (name, content) in files.items()})
    return encode_multipart(boundary, data), f"multipart/form-data; boundary={boundary}"


def send(client, url, *, boundary, key, fields=None, files):
    body, content_type = multipart(boundary, fields or {}, files)
    return client.post(url, data=body, content_type=content_type, HTTP_IDEMPOTENCY_KEY=key)


def assert_refused_as_another_request(response) -> None:
    assert response.status_code == 422, response.content.decode()
    body = response.json()
    assert body["field"] == "Idempotency-Key" and body["code"] == "idempotency_key"
    assert "另一个不同的请求" in body["detail"] and "新的幂等键" in body["hint"]


# ---------------------------------------------------------------- the digest itself (pure)

def _parsed(boundary: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]], path: str = "/api/v1/up"):
    body, content_type = multipart(boundary, fields, files)
    return RequestFactory().post(path, data=body, content_type=content_type)


def test_the_upload_digest_ignores_the_boundary_and_sees_content_name_size_fields_and_path():
    fields, files = {"material": "feasibility_study"}, {"file": ("报告.pdf", PDF)}
    first = request_digest(_parsed("AaB03x", fields, files))
    assert request_digest(_parsed("----retry-9f2c1e", fields, files)) == first
    assert len(first) == 64
    others = [
        _parsed("AaB03x", fields, {"file": ("报告.pdf", PDF.replace(b"1.7", b"1.6"))}),  # same size, other bytes
        _parsed("AaB03x", fields, {"file": ("报告.pdf", PDF + b"\n")}),
        _parsed("AaB03x", fields, {"file": ("报告（终稿）.pdf", PDF)}),
        _parsed("AaB03x", {"material": "technical_plan"}, files),
        _parsed("AaB03x", {}, files),
        _parsed("AaB03x", fields, {"attachment": ("报告.pdf", PDF)}),
        _parsed("AaB03x", fields, files, path="/api/v1/up?draft=1"),
    ]
    digests = [request_digest(r) for r in others]
    assert first not in digests and len(set(digests)) == len(digests)


def test_the_upload_digest_leaves_the_file_readable_from_its_start():
    request = _parsed("AaB03x", {}, {"file": ("方案.docx", DOCX)})
    request.FILES["file"].read(10)  # wherever an earlier reader left it
    request_digest(request)
    assert request.FILES["file"].read() == DOCX


def test_a_spooled_upload_is_digested_in_chunks_without_reading_the_raw_body(settings):
    # Both limits below the file: Django writes it to a temporary file, and `request.body` would refuse
    # (RequestDataTooBig) — the digest must come from the parsed upload.
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    request = _parsed("AaB03x", {"title": "规范"}, {"file": ("规范.pdf", BIG_PDF)})
    digest = request_digest(request)
    upload = request.FILES["file"]
    assert hasattr(upload, "temporary_file_path")
    assert upload.read() == BIG_PDF
    assert digest == request_digest(_parsed("other", {"title": "规范"}, {"file": ("规范.pdf", BIG_PDF)}))


def test_a_json_body_keeps_the_digest_stored_records_were_made_with():
    body = json.dumps({"name": "全州教育资源公共服务平台"}, ensure_ascii=False).encode()
    request = RequestFactory().post("/api/v1/projects?x=1", data=body, content_type="application/json")
    assert request_digest(request) == sm3_hex(b"POST\n/api/v1/projects?x=1\n" + body)


def test_the_chunked_sm3_equals_the_one_shot_sm3():
    data = BIG_PDF * 3
    assert sm3_hex_chunks(data[i:i + 1000] for i in range(0, len(data), 1000)) == (sm3_hex(data), len(data))
    assert sm3_hex_chunks([]) == (sm3_hex(b""), 0)


# ---------------------------------------------------------------- project attachments (form field + file)

@pytest.fixture
def draft(login):
    return builders.make_project(login("applicant"))


@pytest.mark.django_db
def test_a_retried_attachment_upload_with_a_new_boundary_stores_one_attachment(client, draft, settings):
    url = f"/api/v1/projects/{draft.pk}/attachments"
    fields, files = {"material": "feasibility_study"}, {"file": ("可行性研究报告.pdf", PDF)}
    first = send(client, url, boundary="BoUnDaRy-first", key="att-1", fields=fields, files=files)
    assert first.status_code == 201, first.content.decode()
    assert "Idempotent-Replayed" not in first
    again = send(client, url, boundary="retry-7d41c0a9", key="att-1", fields=fields, files=files)
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json() and again.json()["sm3"] == sm3_hex(PDF)
    assert ProjectAttachment.objects.count() == 1 and StoredFile.objects.count() == 1 and len(blobs(settings)) == 1
    assert AuditEvent.objects.filter(event="project.attachment_uploaded").count() == 1

    # The same key with other bytes, or the same bytes filed as another material, is another request.
    other_content = send(client, url, boundary="BoUnDaRy-first", key="att-1", fields=fields,
                         files={"file": ("可行性研究报告.pdf", PDF.replace(b"1.7", b"1.6"))})
    assert_refused_as_another_request(other_content)
    other_material = send(client, url, boundary="BoUnDaRy-first", key="att-1",
                          fields={"material": "technical_plan"}, files=files)
    assert_refused_as_another_request(other_material)
    assert ProjectAttachment.objects.count() == 1 and len(blobs(settings)) == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("data", "name", "code"), [
    (EXE, "报告.pdf", "upload_type"),
    (PDF + b"0" * 200_000, "大文件.pdf", "upload_too_large"),
    (_ooxml("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
            {"word/document.xml": b"0" * (20 * 1024 * 1024)}), "炸弹.docx", "upload_zip_bomb"),
])
def test_a_refused_upload_stores_nothing_and_its_key_serves_the_corrected_file(client, draft, settings, data, name,
                                                                                code):
    """The digest reads the file before the view: the view's size, type and zip-bomb checks still see it whole."""
    settings.UPLOAD_MAX_BYTES = 100_000
    url = f"/api/v1/projects/{draft.pk}/attachments"
    fields = {"material": "feasibility_study"}
    refused = send(client, url, boundary="b-1", key="att-fix", fields=fields, files={"file": (name, data)})
    assert refused.status_code == 400 and refused.json()["code"] == code, refused.content.decode()
    assert refused.json()["field"] == "file" and re.search("[\u4e00-\u9fff]", refused.json()["detail"])
    assert not IdempotencyRecord.objects.exists() and not ProjectAttachment.objects.exists() and not blobs(settings)

    corrected = send(client, url, boundary="b-2", key="att-fix", fields=fields, files={"file": ("报告.pdf", PDF)})
    assert corrected.status_code == 201, corrected.content.decode()
    assert "Idempotent-Replayed" not in corrected
    assert ProjectAttachment.objects.get().sm3 == sm3_hex(PDF)
    assert IdempotencyRecord.objects.get().key == "att-fix"


@pytest.mark.django_db
def test_a_spooled_upload_with_a_key_is_stored_whole_and_replayed(client, draft, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 4096
    url = f"/api/v1/projects/{draft.pk}/attachments"
    fields, files = {"material": "feasibility_study"}, {"file": ("可研.pdf", BIG_PDF)}
    first = send(client, url, boundary="big-1", key="big", fields=fields, files=files)
    assert first.status_code == 201, first.content.decode()
    assert first.json()["size"] == len(BIG_PDF) and first.json()["sm3"] == sm3_hex(BIG_PDF)
    stored = Path(settings.MEDIA_ROOT) / ProjectAttachment.objects.get().file.storage_name
    assert stored.read_bytes() == BIG_PDF
    again = send(client, url, boundary="big-2", key="big", fields=fields, files=files)
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert ProjectAttachment.objects.count() == 1


# ---------------------------------------------------------------- a member's opinion attachment (file only)

@pytest.mark.django_db
def test_a_retried_opinion_attachment_is_stored_once(client, demo_users, make_project, clock, settings):  # noqa: F811
    project = make_project(name="州教育局智慧校园平台")
    review_round = review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    task = review_round.tasks.get(member="crypto_bureau")
    client.force_login(demo_users["crypto"])
    url = f"/api/v1/reviews/tasks/{task.pk}/attachments"

    first = send(client, url, boundary="first", key="opinion-file", files={"file": ("密评意见.docx", DOCX)})
    assert first.status_code == 201, first.content.decode()
    again = send(client, url, boundary="second-boundary", key="opinion-file", files={"file": ("密评意见.docx", DOCX)})
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert OpinionAttachment.objects.filter(task=task).count() == 1 and len(blobs(settings)) == 1
    assert AuditEvent.objects.filter(event="reviews.opinion_attachment_upload").count() == 1

    assert_refused_as_another_request(
        send(client, url, boundary="first", key="opinion-file", files={"file": ("密评意见.docx", PDF)}))
    assert_refused_as_another_request(  # same bytes under another name: another request too
        send(client, url, boundary="first", key="opinion-file", files={"file": ("密评意见（二）.docx", DOCX)}))
    assert OpinionAttachment.objects.count() == 1

    # A refused first attempt (a renamed program) keeps nothing, and its key then takes the right file.
    refused = send(client, url, boundary="x", key="opinion-file-2", files={"file": ("意见.pdf", EXE)})
    assert refused.status_code == 422 and refused.json()["code"] == "upload_type_refused", refused.content.decode()
    assert refused.json()["field"] == "file"
    assert not IdempotencyRecord.objects.filter(key="opinion-file-2").exists()
    corrected = send(client, url, boundary="y", key="opinion-file-2", files={"file": ("意见.pdf", PDF)})
    assert corrected.status_code == 201 and "Idempotent-Replayed" not in corrected
    assert OpinionAttachment.objects.count() == 2


# ---------------------------------------------------------------- a rule-set draft (the view reads with .read())

@pytest.mark.django_db
def test_a_retried_ruleset_draft_is_kept_once(client, login):
    login("bureau")
    url = "/api/v1/reports/ruleset-drafts"
    files = {"file": ("changji-2026-draft.yaml", draft_yaml())}
    first = send(client, url, boundary="yaml-1", key="draft-1", files=files)
    assert first.status_code == 201, first.content.decode()
    assert first.json()["ruleset_id"] == "changji-2026-draft"  # the view read the rewound file whole
    again = send(client, url, boundary="yaml-2", key="draft-1", files=files)
    assert again["Idempotent-Replayed"] == "true" and again.json() == first.json()
    assert RulesetDraft.objects.count() == 1
    assert_refused_as_another_request(
        send(client, url, boundary="yaml-1", key="draft-1", files={"file": ("changji-2026-draft.yaml",
                                                                            draft_yaml(threshold=900_000))}))
    assert RulesetDraft.objects.count() == 1
