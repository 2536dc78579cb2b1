"""Art. 13: the higher authority's written consent is a material of its own (ADR 0195). Claiming the
exception without it refuses submission; the reviewers see, download and base their exception decision
on it, and the decision records the document's id and SM3 (ADR 0196). Driven through the API and pages."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.projects.builders import build_texts
from tests.projects.builders import make_project as build_project
from tests.reviews.helpers import COMMENTS, assessment
from tongchou.audit.models import AuditEvent
from tongchou.crypto.sm import sm3_hex
from tongchou.reviews.models import Opinion
from tongchou.reviews.routing import review_route

CONSENT_PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n% consent of the department\ntrailer<<>>\n%%EOF\n"
LEGAL_BASIS = "《自治区教育专网管理规定》第五条"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _post(client, url: str, body: dict):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def _exception_project(client) -> int:
    """A small equipment project that buys servers (an Art. 12 block) and claims the Art. 13 exception:
    a security review (crypto bureau and public security) once accepted."""
    created = _post(client, "/api/v1/projects", {
        "name": "州教育专网服务器采购", "year": 2025, "construction_cost": "300000", "project_type": "new",
        "category": "equipment", "buys_server_hardware": True, "exception_legal_basis": LEGAL_BASIS,
        "materials": build_texts(),
    })
    assert created.status_code == 201, created.content.decode()
    return created.json()["id"]


@pytest.mark.django_db
def test_the_exception_needs_the_consent_document_to_be_submitted_reviewed_and_accepted(client, login, clock):
    login("applicant")
    project_id = _exception_project(client)
    # The yes/no fact is not an input: it follows the document.
    typed = client.patch(f"/api/v1/projects/{project_id}", data=json.dumps(
        {"exception_superior_consent": True, "version": 1}), content_type="application/json")
    assert typed.status_code == 422 and typed.json()["errors"][0]["field"] == "exception_superior_consent"
    assert "第十三条" in typed.json()["errors"][0]["message"]

    refused = _post(client, f"/api/v1/projects/{project_id}/submit", {})
    assert refused.status_code == 400, refused.content.decode()
    body = refused.json()
    assert body["code"] == "ART13-CONSENT" and body["article"] == "第十三条" and body["field"] == "materials"
    assert "第十三条" in body["detail"] and "上一级业务主管部门书面同意的证明材料" in body["detail"]
    assert AuditEvent.objects.filter(event="project.submit_refused",
                                     data__missing_materials=["superior_consent"]).exists()
    assert client.get(f"/api/v1/projects/{project_id}").json()["status"] == "draft"

    uploaded = client.post(f"/api/v1/projects/{project_id}/attachments", {
        "material": "superior_consent", "file": SimpleUploadedFile("自治区教育厅同意函.pdf", CONSENT_PDF)})
    assert uploaded.status_code == 201, uploaded.content.decode()
    digest = sm3_hex(CONSENT_PDF)
    assert uploaded.json()["sm3"] == digest
    detail = client.get(f"/api/v1/projects/{project_id}").json()
    assert detail["exception_superior_consent"] is True

    submitted = _post(client, f"/api/v1/projects/{project_id}/submit", {})
    assert submitted.status_code == 200, submitted.content.decode()
    detail = client.get(f"/api/v1/projects/{project_id}").json()
    assert detail["status"] == "submitted" and detail["support"] == "conditional"

    # An unrelated joint review, so the development and reform commission reviews *another* round.
    other = _post(client, "/api/v1/projects", {"name": "州教育资源平台", "year": 2025, "construction_cost": "1200000",
                                                "project_type": "new", "materials": build_texts()}).json()["id"]
    assert _post(client, f"/api/v1/projects/{other}/submit", {}).status_code == 200

    login("reviewer")
    routed = _post(client, f"/api/v1/reviews/projects/{project_id}/route", {})
    assert routed.status_code == 200, routed.content.decode()
    assert routed.json()["review_path"] == "security_review"
    round_id = routed.json()["round"]["id"]
    assert _post(client, f"/api/v1/reviews/projects/{other}/route", {}).status_code == 200

    login("crypto")
    shown = client.get(f"/api/v1/reviews/rounds/{round_id}").json()
    document = shown["exception_document"]
    assert document["name"] == "自治区教育厅同意函.pdf" and document["sm3"] == digest
    assert document["uploaded_by"] and document["uploaded_at"].startswith("2025-03-03")
    task = next(t for t in shown["tasks"] if t["member"] == "crypto_bureau")
    assert task["exception_document"]["sm3"] == digest
    download = client.get(document["download"])
    assert download.status_code == 200 and download.content == CONSENT_PDF

    page = client.get(f"/reviews/rounds/{round_id}/").content.decode()
    assert "自治区教育厅同意函.pdf" in page and digest in page
    assert f'href="/reviews/rounds/{round_id}/exception-document/"' in page
    assert client.get(f"/reviews/rounds/{round_id}/exception-document/").content == CONSENT_PDF

    accepted = _post(client, f"/api/v1/reviews/tasks/{task['id']}/opinion", {
        "conclusion": "agree", "comments": COMMENTS["crypto_bureau"], "exception_decision": "accepted"})
    assert accepted.status_code == 200, accepted.content.decode()
    assert accepted.json()["opinion"]["exception_document"] == {"id": document["id"], "sm3": digest}
    opinion = Opinion.objects.get(task_id=task["id"])
    assert opinion.exception_document_id == document["id"] and opinion.exception_document_sm3 == digest
    event = AuditEvent.objects.filter(event="reviews.opinion_submit").latest("pk")
    assert event.data["exception_decision"] == "accepted"
    assert event.data["exception_document"]["sm3"] == digest
    assert event.data["exception_document"]["attachment"] == document["id"]
    page = client.get(f"/reviews/rounds/{round_id}/").content.decode()
    assert f"依据书面同意文件 #{document['id']}" in page

    # Someone who does not review this round, and a stranger: 404 on the document, API and page alike.
    for outsider in ["ndrc", "applicant2", "countyapp"]:
        login(outsider)
        assert client.get(f"/api/v1/reviews/rounds/{round_id}/exception-document").status_code == 404, outsider
        assert client.get(f"/reviews/rounds/{round_id}/exception-document/").status_code == 404, outsider


@pytest.mark.django_db
def test_the_exception_cannot_be_accepted_without_the_document(client, login, demo_users, make_project, clock):
    """A round whose exception came without a filed document (e.g. given with the assessment): the
    reviewers see that it is missing, may refuse the exception, but cannot accept it."""
    exception = {"legal_basis": LEGAL_BASIS, "superior_consent": True}
    review_round = review_route(project=make_project(), actor=demo_users["reviewer"],
                                assessment=assessment(support="conditional"), exception=exception)
    login("crypto")
    shown = client.get(f"/api/v1/reviews/rounds/{review_round.pk}").json()
    assert shown["exception_document"] is None
    assert "未上传上一级业务主管部门书面同意的证明材料" in client.get(f"/reviews/rounds/{review_round.pk}/").content.decode()
    assert client.get(f"/api/v1/reviews/rounds/{review_round.pk}/exception-document").status_code == 404
    task = review_round.tasks.get(member="crypto_bureau")
    refused = _post(client, f"/api/v1/reviews/tasks/{task.pk}/opinion", {
        "conclusion": "agree", "comments": COMMENTS["crypto_bureau"], "exception_decision": "accepted"})
    assert refused.status_code == 400, refused.content.decode()
    assert refused.json()["field"] == "exception_decision" and refused.json()["article"] == "第十三条"
    assert "书面同意" in refused.json()["detail"]
    assert not Opinion.objects.filter(task=task).exists()
    not_accepted = _post(client, f"/api/v1/reviews/tasks/{task.pk}/opinion", {
        "conclusion": "agree", "comments": COMMENTS["crypto_bureau"], "exception_decision": "refused",
        "exception_reason": "未提供上级书面同意"})
    assert not_accepted.status_code == 200, not_accepted.content.decode()
    assert not_accepted.json()["opinion"]["exception_document"] is None


@pytest.mark.django_db
def test_the_consent_fact_follows_the_document_not_a_typed_yes(demo_users, clock):
    import io

    from tongchou.projects.attachments import attachment_add
    from tongchou.projects.facts import project_facts

    applicant = demo_users["applicant"]
    project = build_project(applicant, exception_legal_basis=LEGAL_BASIS)
    project.exception_superior_consent = True  # a stale or hand-set column says nothing by itself
    facts = project_facts(project)
    assert facts["exception"] == {"legal_basis": LEGAL_BASIS, "superior_consent": False}
    assert "superior_consent" not in facts["materials"]  # not an engine material name
    attachment_add(project=project, actor=applicant, material="superior_consent", upload=io.BytesIO(CONSENT_PDF),
                   filename="同意函.pdf")
    project.refresh_from_db()
    assert project.exception_superior_consent is True
    facts = project_facts(project)
    assert facts["exception"]["superior_consent"] is True and "superior_consent" not in facts["materials"]
