"""Attachments on member opinions and on 补正 answers (Art. 14, 17; ADR 0130): who may attach, when they
are frozen, who may download, the refusals for bad files, and the audit trail — through the API and the
pages, with real files read back."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from docx import Document

from tests.reviews.helpers import COMMENTS, assessment
from tongchou.audit.models import AuditEvent
from tongchou.documents.models import StoredFile
from tongchou.reviews.drafting import draft_body
from tongchou.reviews.models import Opinion, OpinionAttachment, SupplementAttachment, TaskStatus
from tongchou.reviews.routing import review_route

API = "/api/v1/reviews"
PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def stored_blobs(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def docx_bytes(text: str) -> bytes:
    document = Document()
    document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def named(data: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def as_user(client, demo_users, username):
    client.logout()
    client.force_login(demo_users[username])
    return client


def opinion_post(task, conclusion="agree"):
    data = {f"t{task.pk}-conclusion": conclusion}
    for code, text in COMMENTS[task.member].items():
        data[f"t{task.pk}-aspect_{code}"] = text
    return data


@pytest.fixture
def review(demo_users, make_project, clock):
    project = make_project(name="州教育局智慧校园平台")
    review_round = review_route(project=project, assessment=assessment(), actor=demo_users["reviewer"])
    return review_round, {t.member: t for t in review_round.tasks.all()}


def events(name: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=name).order_by("id"))


@pytest.mark.django_db
def test_a_reviewer_attaches_files_that_are_frozen_with_the_opinion(client, demo_users, review):
    review_round, tasks = review
    crypto = tasks["crypto_bureau"]
    url = f"{API}/tasks/{crypto.pk}/attachments"

    # Another member's reviewer sees the round but may not attach to the crypto bureau's opinion.
    as_user(client, demo_users, "police")
    refused = client.post(url, {"file": named(PDF, "公安意见.pdf")})
    assert refused.status_code == 403 and "无权上传附件" in refused.json()["detail"]
    assert not StoredFile.objects.exists()

    as_user(client, demo_users, "crypto")
    uploaded = client.post(url, {"file": named(docx_bytes("密码应用方案评估意见"), "密评意见.docx")})
    assert uploaded.status_code == 201, uploaded.content.decode()
    body = uploaded.json()
    assert body["name"] == "密评意见.docx" and len(body["sm3"]) == 64
    stored = StoredFile.objects.get()
    assert "密评" not in stored.storage_name and stored.storage_name.endswith(".docx")  # generated name

    # Until the opinion is given, its files are the crypto bureau's draft: not even the bureau sees them.
    as_user(client, demo_users, "reviewer")
    assert client.get(url).json() == []
    assert client.get(f"{url}/{body['id']}").status_code == 404

    as_user(client, demo_users, "crypto")
    given = client.post(f"{API}/tasks/{crypto.pk}/opinion", data=json.dumps(
        {"conclusion": "agree_with_changes", "comments": COMMENTS["crypto_bureau"]}), content_type="application/json")
    assert given.status_code == 200, given.content.decode()
    assert [a["name"] for a in given.json()["opinion"]["attachments"]] == ["密评意见.docx"]
    submit_event = events("reviews.opinion_submit")[-1]
    assert submit_event.data["attachments"][0]["sm3"] == body["sm3"]

    # Frozen: nothing added or removed once the opinion is given.
    late = client.post(url, {"file": named(PDF, "补充.pdf")})
    assert late.status_code == 409 and "不能再上传附件" in late.json()["detail"]
    assert client.delete(f"{url}/{body['id']}").status_code == 409
    assert OpinionAttachment.objects.count() == 1

    # Everyone who sees the round's opinions downloads it: the bureau and the other members' reviewers.
    for username in ["reviewer", "bureau", "police"]:
        as_user(client, demo_users, username)
        assert [a["id"] for a in client.get(url).json()] == [body["id"]], username
        response = client.get(f"{url}/{body['id']}")
        assert response.status_code == 200, username
        assert "filename*=UTF-8''%E5%AF%86%E8%AF%84%E6%84%8F%E8%A7%81.docx" in response["Content-Disposition"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert Document(io.BytesIO(response.content)).paragraphs[0].text == "密码应用方案评估意见"
    # The applicant does not see the round's opinions, so neither their files; nor does a stranger.
    for username in ["applicant", "applicant2", "county"]:
        as_user(client, demo_users, username)
        assert client.get(f"{url}/{body['id']}").status_code == 404, username
        assert client.get(url).status_code == 404, username

    upload_event = events("reviews.opinion_attachment_upload")[-1]
    assert upload_event.data["sm3"] == body["sm3"] and upload_event.actor_id == demo_users["crypto"].pk
    downloads = [e for e in events("file.download") if e.target_id == str(stored.pk)]
    assert {e.actor_id for e in downloads} == {demo_users[u].pk for u in ["reviewer", "bureau", "police"]}


@pytest.mark.django_db
def test_a_wrong_type_or_an_oversized_file_is_refused_in_chinese_and_nothing_is_kept(
        client, demo_users, review, settings):
    _round, tasks = review
    url = f"{API}/tasks/{tasks['finance'].pk}/attachments"
    as_user(client, demo_users, "finance")
    exe = client.post(url, {"file": named(b"MZ\x90\x00" + b"\x00" * 200, "预算说明.pdf")})
    assert exe.status_code == 422
    detail = exe.json()
    assert detail["field"] == "file" and detail["errors"][0]["field"] == "file"
    assert detail["detail"].startswith("附件「预算说明.pdf」：不接受该文件") and "Windows 可执行程序" in detail["detail"]

    settings.UPLOAD_MAX_BYTES = 1024
    big = client.post(url, {"file": named(PDF + b"\n" * 2048, "大文件.pdf")})
    assert big.status_code == 422 and "文件过大" in big.json()["detail"]
    assert not StoredFile.objects.exists() and not OpinionAttachment.objects.exists()
    assert not stored_blobs(settings)
    assert not AuditEvent.objects.filter(event="reviews.opinion_attachment_upload").exists()

    # On the page, a bad file sent with the opinion refuses the opinion too: the field is named, nothing written.
    task = tasks["finance"]
    response = client.post(f"/reviews/tasks/{task.pk}/opinion/", {
        **opinion_post(task), f"t{task.pk}-attachments": [named(PDF, "意见.pdf"), named(b"GIF89a....", "图.png")],
    }, follow=True)
    page = response.content.decode()
    assert "附件「图.png」：不接受该文件：内容识别为GIF 图片" in page
    assert not Opinion.objects.exists() and not StoredFile.objects.exists() and not stored_blobs(settings)
    task.refresh_from_db()
    assert task.status == TaskStatus.OPEN


@pytest.mark.django_db
def test_a_failure_after_the_files_are_written_leaves_no_file_behind(client, demo_users, review, settings,
                                                                     monkeypatch):
    _round, tasks = review
    task = tasks["finance"]

    def broken(files):
        raise RuntimeError("disk full while auditing")

    monkeypatch.setattr("tongchou.reviews.opinions.file_summary", broken)
    as_user(client, demo_users, "finance")
    with pytest.raises(RuntimeError):
        client.post(f"/reviews/tasks/{task.pk}/opinion/",
                    {**opinion_post(task), f"t{task.pk}-attachments": [named(PDF, "意见.pdf")]})
    assert not Opinion.objects.exists() and not StoredFile.objects.exists()
    assert not stored_blobs(settings)


@pytest.mark.django_db
def test_the_opinion_form_takes_files_and_the_round_page_lists_them(client, demo_users, review, settings):
    review_round, tasks = review
    task = tasks["public_security"]
    as_user(client, demo_users, "police")
    page = client.get(f"/reviews/rounds/{review_round.pk}/").content.decode()
    assert 'enctype="multipart/form-data"' in page and f'name="t{task.pk}-attachments" multiple' in page
    response = client.post(f"/reviews/tasks/{task.pk}/opinion/", {
        **opinion_post(task, "disagree"),
        f"t{task.pk}-attachments": [named(PDF, "等保整改清单.pdf"), named(docx_bytes("整改要求"), "整改要求.docx")],
    }, follow=True)
    assert "已出具州公安局意见" in response.content.decode()
    rows = list(OpinionAttachment.objects.filter(task=task).select_related("file"))
    assert [r.file.display_name for r in rows] == ["等保整改清单.pdf", "整改要求.docx"]
    assert len(stored_blobs(settings)) == 2

    as_user(client, demo_users, "finance")
    page = client.get(f"/reviews/rounds/{review_round.pk}/").content.decode()
    link = f"/reviews/tasks/{task.pk}/attachments/{rows[0].pk}/"
    assert "意见附件" in page and f'href="{link}"' in page and "等保整改清单.pdf" in page
    assert "删除</button>" not in page  # given opinions' files are frozen
    download = client.get(link)
    assert download.status_code == 200 and download.content == PDF
    assert download["Cache-Control"] == "no-store"
    as_user(client, demo_users, "applicant2")
    assert client.get(link).status_code == 404

    # The consolidated draft names each member opinion's files.
    assert "附件：等保整改清单.pdf、整改要求.docx。" in draft_body(review_round, "agree_with_changes")


@pytest.mark.django_db
def test_a_pending_file_can_be_removed_until_the_opinion_is_given(client, demo_users, review, settings,
                                                                 django_capture_on_commit_callbacks):
    review_round, tasks = review
    task = tasks["finance"]
    as_user(client, demo_users, "finance")
    uploaded = client.post(f"{API}/tasks/{task.pk}/attachments", {"file": named(PDF, "草稿.pdf")}).json()
    page = client.get(f"/reviews/rounds/{review_round.pk}/").content.decode()
    assert "将随意见出具的附件" in page and "草稿.pdf" in page and "删除</button>" in page
    with django_capture_on_commit_callbacks(execute=True):  # the bytes go once the removal is committed
        response = client.post(f"/reviews/tasks/{task.pk}/attachments/{uploaded['id']}/remove/", follow=True)
    assert "已删除附件「草稿.pdf」" in response.content.decode()
    assert not OpinionAttachment.objects.exists() and not StoredFile.objects.exists()
    assert not stored_blobs(settings)
    assert events("reviews.opinion_attachment_remove")[-1].data["sm3"] == uploaded["sm3"]


@pytest.mark.django_db
def test_the_applicant_answers_a_supplement_with_a_file_the_reviewer_downloads(client, demo_users, review,
                                                                            settings):
    review_round, tasks = review
    crypto = tasks["crypto_bureau"]
    as_user(client, demo_users, "crypto")
    asked = client.post(f"{API}/tasks/{crypto.pk}/supplements", data=json.dumps({"question": "请补充密码应用方案"}),
                        content_type="application/json").json()
    files_url = f"{API}/supplements/{asked['id']}/attachments"

    # The reviewer cannot attach to the unit's answer; the unit prepares a file before answering.
    refused = client.post(files_url, {"file": named(PDF, "x.pdf")})
    assert refused.status_code == 403
    as_user(client, demo_users, "applicant")
    early = client.post(files_url, {"file": named(PDF, "密码应用方案.pdf")})
    assert early.status_code == 201, early.content.decode()
    desk = client.get("/reviews/").content.decode()
    assert "将随答复提交的材料" in desk and "密码应用方案.pdf" in desk
    # …which the reviewer does not see until the answer is given.
    as_user(client, demo_users, "crypto")
    assert client.get(files_url).json() == []
    assert client.get(f"{files_url}/{early.json()['id']}").status_code == 404

    as_user(client, demo_users, "applicant")
    response = client.post(f"/reviews/supplements/{asked['id']}/answer/", {
        f"a{asked['id']}-answer": "已补充，见附件",
        f"a{asked['id']}-attachments": [named(docx_bytes("密码应用方案第3章"), "第3章.docx")],
    }, follow=True)
    assert "补正答复已提交" in response.content.decode()
    rows = list(SupplementAttachment.objects.select_related("file").order_by("id"))
    assert [r.file.display_name for r in rows] == ["密码应用方案.pdf", "第3章.docx"]
    answer_event = events("reviews.supplement_answer")[-1]
    assert [f["name"] for f in answer_event.data["attachments"]] == ["密码应用方案.pdf", "第3章.docx"]
    assert len(events("reviews.supplement_attachment_upload")) == 2
    # Frozen with the answer.
    assert client.post(files_url, {"file": named(PDF, "y.pdf")}).status_code == 409
    assert client.delete(f"{files_url}/{rows[0].pk}").status_code == 409

    # The requesting reviewer and the bureau see and download the files, on the round page and the API.
    link = f"/reviews/supplements/{asked['id']}/attachments/{rows[1].pk}/"
    for username in ["crypto", "reviewer"]:
        as_user(client, demo_users, username)
        page = client.get(f"/reviews/rounds/{review_round.pk}/").content.decode()
        assert "补正材料" in page and f'href="{link}"' in page, username
        download = client.get(link)
        assert download.status_code == 200, username
        assert Document(io.BytesIO(download.content)).paragraphs[0].text == "密码应用方案第3章"
        assert [a["name"] for a in client.get(files_url).json()] == ["密码应用方案.pdf", "第3章.docx"]
    downloads = [e for e in events("file.download") if e.target_id == str(rows[1].file_id)]
    assert {e.actor_id for e in downloads} == {demo_users["crypto"].pk, demo_users["reviewer"].pk}

    # A stranger unit gets 404, on the page and on the API.
    for username in ["applicant2", "countyapp"]:
        as_user(client, demo_users, username)
        assert client.get(link).status_code == 404, username
        assert client.get(f"{files_url}/{rows[1].pk}").status_code == 404, username
        assert client.get(files_url).status_code == 404, username
