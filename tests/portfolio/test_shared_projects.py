"""Art. 6 and 19: a prefecture project two counties join, each part approved by its own county bureau."""

from __future__ import annotations

import pytest

from tests.portfolio.helpers import PDF, create_and_submit
from tongchou.audit.models import AuditEvent
from tongchou.portfolio.models import SharedParticipant


@pytest.mark.django_db
def test_a_shared_project_with_two_county_parts_each_approved_by_its_own_county(api, users, clock):
    # The prefecture department declares the parent and names the participating counties.
    parent = create_and_submit(api, "applicant", "全州智慧教育共建平台", "3000000")
    status, shared = api("applicant", "post", f"/portfolio/projects/{parent}/shared",
                         {"jurisdictions": ["昌吉市", "阜康市"]})
    assert status == 201, shared
    sid = shared["id"]
    assert [p["jurisdiction"] for p in shared["participants"]] == ["昌吉市", "阜康市"]

    # It sets the shared requirements and standards as a document on the parent.
    status, doc = api("applicant", "post", f"/portfolio/shared/{sid}/documents",
                      {"title": "信息共享、业务协同总体要求和标准规范", "file": _upload("标准规范.pdf", PDF)},
                      multipart=True)
    assert status == 201, doc

    # Each county's department declares its own part in the register and joins it.
    changji_part = create_and_submit(api, "countyapp", "昌吉市智慧教育共建子项目", "300000")
    fukang_part = create_and_submit(api, "fkapp", "阜康市智慧教育共建子项目", "400000")
    assert api("countyapp", "post", f"/portfolio/shared/{sid}/parts", {"project_id": changji_part})[0] == 200
    assert api("fkapp", "post", f"/portfolio/shared/{sid}/parts", {"project_id": fukang_part})[0] == 200
    # A second part for the same county is refused.
    other = create_and_submit(api, "countyapp", "昌吉市另一个子项目", "100000")
    status, body = api("countyapp", "post", f"/portfolio/shared/{sid}/parts", {"project_id": other})
    assert status == 409 and body["article"] == "第六条"

    # 分级审批: the Changji bureau approves its part and cannot even see Fukang's; Fukang's bureau approves its own.
    status, body = api("county", "post", f"/reviews/projects/{fukang_part}/route", {})
    assert status == 404
    status, body = api("county", "post", f"/reviews/projects/{changji_part}/route", {})
    assert (status, body["status"]) == (200, "approved"), body
    status, body = api("fkreviewer", "post", f"/reviews/projects/{fukang_part}/route", {})
    assert (status, body["status"]) == (200, "approved"), body
    approvers = AuditEvent.objects.filter(event="project.register_self_procurement").values_list("actor_id", flat=True)
    assert sorted(approvers) == sorted([users["county"].pk, users["fkreviewer"].pk])
    # The prefecture bureau is not the authority for a county part.
    assert api("reviewer", "post", f"/reviews/projects/{changji_part}/route", {})[0] in (403, 404, 409)

    # The parent's unit follows every part's progress.
    status, seen = api("applicant", "get", f"/portfolio/shared/{sid}")
    assert status == 200 and seen["sees_all_parts"] is True
    progress = {p["jurisdiction"]: p["part"]["status"] for p in seen["participants"]}
    assert progress == {"昌吉市": "approved", "阜康市": "approved"}

    # A county sees its part and the parent's shared documents, not the other county's part.
    for username in ("countyapp", "county"):
        status, seen = api(username, "get", f"/portfolio/shared/{sid}")
        assert status == 200, username
        assert seen["sees_all_parts"] is False
        assert [(p["jurisdiction"], p["part"]["id"]) for p in seen["participants"]] == [("昌吉市", changji_part)]
        assert [d["title"] for d in seen["documents"]] == ["信息共享、业务协同总体要求和标准规范"]
        status, data = api(username, "get", f"/portfolio/shared/{sid}/documents/{doc['id']}")
        assert status == 200 and data == PDF
        assert api(username, "get", f"/projects/{fukang_part}")[0] == 404
        assert api(username, "get", f"/portfolio/projects/{fukang_part}")[0] == 404
    assert api("countyapp", "get", f"/portfolio/projects/{changji_part}")[1]["shared_role"] == "part"

    # Outsiders see nothing of it.
    for username in ("applicant2", "expert", "sysadmin"):
        assert api(username, "get", f"/portfolio/shared/{sid}")[0] == 404, username
        assert api(username, "get", f"/portfolio/shared/{sid}/documents/{doc['id']}")[0] == 404, username
    status, listed = api("zdapp", "get", "/portfolio/shared")
    assert listed == []
    assert AuditEvent.objects.filter(event="file.download").count() == 2


@pytest.mark.django_db
def test_only_the_parent_unit_sets_documents_and_only_participants_join(api, clock):
    parent = create_and_submit(api, "applicant", "全州智慧教育共建平台", "3000000")
    status, shared = api("applicant", "post", f"/portfolio/projects/{parent}/shared", {"jurisdictions": ["昌吉市"]})
    sid = shared["id"]
    # A county may not set the shared standards.
    status, body = api("countyapp", "post", f"/portfolio/shared/{sid}/documents",
                       {"title": "县里的规范", "file": _upload("a.pdf", PDF)}, multipart=True)
    assert status == 403 and body["article"] == "第六条"
    # A file that is not a PDF or Word document is refused, nothing kept.
    status, body = api("applicant", "post", f"/portfolio/shared/{sid}/documents",
                       {"title": "规范", "file": _upload("a.pdf", b"MZ\x90\x00 not a pdf")}, multipart=True)
    assert status == 400 and body["field"] == "file"
    # Fukang does not take part: its part cannot join, and it does not see the shared project.
    fukang_part = create_and_submit(api, "fkapp", "阜康市子项目", "400000")
    assert api("fkapp", "post", f"/portfolio/shared/{sid}/parts", {"project_id": fukang_part})[0] == 404
    # Unknown jurisdictions and a county-level parent are refused with the field named.
    status, body = api("applicant", "post", f"/portfolio/projects/{parent}/shared", {"jurisdictions": ["火星"]})
    assert (status, body["field"]) == (400, "jurisdictions")
    county_project = create_and_submit(api, "countyapp", "昌吉市项目", "100000")
    status, body = api("countyapp", "post", f"/portfolio/projects/{county_project}/shared",
                       {"jurisdictions": ["阜康市"]})
    assert status == 400 and body["code"] == "not_prefecture"
    assert SharedParticipant.objects.filter(part__isnull=False).count() == 0


def _upload(name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
def test_the_parent_unit_sees_a_classified_part_progress_but_not_its_name(api, users, clock):
    from tongchou.projects.models import Project

    parent = create_and_submit(api, "applicant", "全州智慧教育共建平台", "3000000")
    sid = api("applicant", "post", f"/portfolio/projects/{parent}/shared", {"jurisdictions": ["昌吉市"]})[1]["id"]
    part = create_and_submit(api, "countyapp", "昌吉市涉密子项目", "300000", classified=True)
    assert api("countyapp", "post", f"/portfolio/shared/{sid}/parts", {"project_id": part})[0] == 200
    assert Project.objects.get(pk=part).classified
    seen = api("applicant", "get", f"/portfolio/shared/{sid}")[1]["participants"][0]["part"]
    assert (seen["name"], seen["status"]) == ("（涉密项目）", "submitted")
    assert api("countyapp", "get", f"/portfolio/shared/{sid}")[1]["participants"][0]["part"]["name"] == "昌吉市涉密子项目"


@pytest.mark.django_db
def test_openapi_lists_the_portfolio_routes(client, users):
    client.force_login(users["reviewer"])
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/portfolio/projects/{project_id}", "/api/v1/portfolio/shared/{shared_id}",
                 "/api/v1/portfolio/projects/{project_id}/funding-route", "/api/v1/portfolio/totals",
                 "/api/v1/portfolio/rulesets", "/api/v1/portfolio/ruleset"]:
        assert path in paths, path
