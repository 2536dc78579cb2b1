"""The open project register (Art. 35): no login, no classified project, no personal data, no
drafts; JSON and CSV (UTF-8 with BOM, formula-safe); rate-limited with a Chinese 429."""

from __future__ import annotations

import csv
import io

import pytest

from tests.reports.conftest import make
from tongchou.accounts.models import Organisation

pytestmark = pytest.mark.django_db


def test_json_lists_the_public_projects_only(client, register):
    response = client.get("/api/v1/public/projects")
    assert response.status_code == 200
    body = response.json()
    codes = {i["code"] for i in body["items"]}
    expected = {register.p2.code, register.p3.code, register.p4.code, register.p6.code, register.p7.code,
                register.p8.code}
    assert codes == expected and body["total"] == 6
    assert register.p5.code not in response.content.decode()  # classified
    assert "涉密项目甲" not in response.content.decode()
    assert register.p1.code not in codes  # still a draft
    p4 = next(i for i in body["items"] if i["code"] == register.p4.code)
    assert p4 == {"code": register.p4.code, "name": register.p4.name, "unit": "昌吉州教育局", "level": "prefecture",
                  "level_label": "州直", "year": 2025, "construction_cost": 1200000, "approved_amount": 1000000,
                  "status": "approved", "status_label": "已立项批复", "review_path": "joint_review",
                  "review_path_label": "联合会审"}


def test_no_personal_data(client, register, demo_users):
    """No applicant, reviewer or author names, user names or ids anywhere in the answer."""
    register.p4.created_by = demo_users["applicant"]
    register.p4.save()
    text = client.get("/api/v1/public/projects").content.decode() + client.get("/open/").content.decode()
    for user in demo_users.values():
        assert str(user) not in text, str(user)  # the person's name, e.g. 张申报
    item_keys = set(client.get("/api/v1/public/projects").json()["items"][0])
    assert item_keys == {"code", "name", "unit", "level", "level_label", "year", "construction_cost",
                         "approved_amount", "status", "status_label", "review_path", "review_path_label"}


def test_pages_are_keyset_paginated(client, register):
    first = client.get("/api/v1/public/projects", {"limit": 4}).json()
    assert first["count"] == 4 and first["next_after"]
    second = client.get("/api/v1/public/projects", {"limit": 4, "after": first["next_after"]}).json()
    assert second["count"] == 2 and second["next_after"] is None
    assert not {i["code"] for i in first["items"]} & {i["code"] for i in second["items"]}
    assert client.get("/api/v1/public/projects", {"year": 2026}).json()["total"] == 2


def test_csv_has_a_bom_and_formula_cells_neutralised(client, register):
    edu = Organisation.objects.get(code="cj-edu")
    make(edu, 10_000, name="=HYPERLINK(\"http://evil.example\")")
    make(edu, 10_000, name="@SUM(A1)")
    for url in ("/api/v1/public/projects?format=csv", "/api/v1/public/projects.csv"):
        response = client.get(url)
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        raw = b"".join(response.streaming_content)
        assert raw.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
        assert rows[0][:3] == ["项目编号", "项目名称", "建设单位"]
        names = {r[1] for r in rows[1:]}
        assert "'=HYPERLINK(\"http://evil.example\")" in names and "'@SUM(A1)" in names
        assert not any(n.startswith(("=", "+", "@")) for n in names)
        assert register.p5.code not in raw.decode("utf-8-sig")


def test_the_public_page_needs_no_login(client, register):
    page = client.get("/open/")
    assert page.status_code == 200
    text = page.content.decode()
    assert register.p4.name in text and "涉密项目甲" not in text and "共 6 个项目" in text


def test_too_many_requests_get_a_chinese_429(client, register, frozen):
    statuses = [client.get("/api/v1/public/projects", {"limit": 1}).status_code for _ in range(61)]
    assert statuses[:60] == [200] * 60 and statuses[60] == 429
    refused = client.get("/api/v1/public/projects")
    assert refused.status_code == 429 and "请求过于频繁" in refused.json()["detail"]
    assert int(refused["Retry-After"]) >= 1
    assert client.get("/open/").status_code == 429
    other = client.get("/api/v1/public/projects", REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 200  # the bucket is per address


def test_the_bucket_refills(register):
    from tongchou.reports.ratelimit import take_token

    for _ in range(3):
        assert take_token("t", capacity=3, rate=1.0, now=100.0)[0]
    allowed, wait = take_token("t", capacity=3, rate=1.0, now=100.0)
    assert not allowed and wait == pytest.approx(1.0)
    assert take_token("t", capacity=3, rate=1.0, now=101.5)[0]
