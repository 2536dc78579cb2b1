"""The registry through /api/v1/experts: entry rule, personal data masked and audited, who sees what,
categories editable, import with a bad row."""

from __future__ import annotations

import json
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from tongchou.audit.models import AuditEvent
from tongchou.experts.models import Category, Expert
from tongchou.experts.xlsx_columns import COLUMNS

API = "/api/v1/experts"


def post(client, url, body):
    return client.post(url, data=json.dumps(body), content_type="application/json")


def expert_body(**kw):
    body = {"code": "N001", "name": "新专家", "title": "工程师", "title_level": "intermediate", "years": 8,
            "employer": "新疆大学", "categories": ["software"], "phone": "13812345678",
            "id_number": "11010519491231002X",
            "former_employers": [{"org": "某科技公司", "until": "2024-03-31"}], "conflicts": ["某咨询公司"]}
    body.update(kw)
    return body


def test_twelve_categories_are_seeded_with_stable_codes(db):
    assert Category.objects.count() == 12
    assert Category.objects.get(code="crypto").name == "密码应用"


def test_categories_are_editable_by_the_bureau_only(client, login, demo_users):
    login("bureau")
    res = post(client, f"{API}/categories", {"code": "ai", "name": "人工智能"})
    assert res.status_code == 200
    res = post(client, f"{API}/categories", {"code": "crypto", "name": "商用密码应用"})
    assert res.json()["name"] == "商用密码应用"
    login("applicant")
    assert post(client, f"{API}/categories", {"code": "x", "name": "某类"}).status_code == 403


@pytest.mark.parametrize(
    ("level", "years", "ok"),
    [("senior", 0, True), ("vice_senior", 1, True), ("intermediate", 8, True), ("intermediate", 7, False),
     ("junior", 20, False)],
)
def test_entry_rule_senior_or_intermediate_with_eight_years(client, login, demo_users, level, years, ok):
    login("bureau")
    res = post(client, f"{API}/pool", expert_body(title_level=level, years=years))
    assert res.status_code == (201 if ok else 400), res.content.decode()
    if not ok:
        assert res.json()["field"] == "title_level" and res.json()["article"] == "第三十一条"


def test_contact_details_masked_in_lists_full_only_for_pool_managers_and_audited(client, login, demo_users):
    login("bureau")
    created = post(client, f"{API}/pool", expert_body()).json()
    assert created["phone"] == "138****5678" and created["id_number"].startswith("1101") and "*" in created["id_number"]
    listed = client.get(f"{API}/pool").json()
    assert listed[0]["phone"] == "138****5678"
    stored = Expert.objects.get(code="N001")
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT phone, id_number FROM experts_expert WHERE id = %s", [stored.pk])
        raw_phone, raw_id = cur.fetchone()
    assert "13812345678" not in raw_phone and "1101051949" not in raw_id  # SM4-GCM at rest
    assert AuditEvent.objects.filter(event="expert.personal_data_viewed").count() == 0
    full = client.get(f"{API}/pool/{created['id']}/contact").json()
    assert full == {"phone": "13812345678", "id_number": "11010519491231002X"}
    assert AuditEvent.objects.filter(event="expert.personal_data_viewed", target_id=str(stored.pk)).count() == 1
    for username in ("applicant", "finance", "auditor"):
        login(username)
        assert client.get(f"{API}/pool/{created['id']}/contact").status_code == 404
        assert client.get(f"{API}/pool").json() == []


def test_an_expert_sees_their_own_record(client, login, demo_users):
    login("bureau")
    mine = post(client, f"{API}/pool", expert_body(user_id=demo_users["expert"].pk)).json()
    other = post(client, f"{API}/pool", expert_body(code="N002", user_id=None)).json()
    login("expert")
    assert [e["code"] for e in client.get(f"{API}/pool").json()] == ["N001"]
    assert client.get(f"{API}/pool/{mine['id']}").status_code == 200
    assert client.get(f"{API}/pool/{other['id']}").status_code == 404
    assert client.get(f"{API}/pool/{mine['id']}/contact").status_code == 403  # not a pool manager


def test_only_expert_accounts_can_be_linked(client, login, demo_users):
    login("bureau")
    res = post(client, f"{API}/pool", expert_body(user_id=demo_users["applicant"].pk))
    assert res.status_code == 400 and res.json()["field"] == "user_id"


def test_bad_phone_and_id_number_named(client, login, demo_users):
    login("bureau")
    assert post(client, f"{API}/pool", expert_body(phone="123")).json()["field"] == "phone"
    assert post(client, f"{API}/pool", expert_body(id_number="110105194912310021")).json()["field"] == "id_number"


def test_update_with_stale_version_is_refused(client, login, demo_users):
    login("bureau")
    created = post(client, f"{API}/pool", expert_body()).json()
    url = f"{API}/pool/{created['id']}"
    ok = client.put(url, data=json.dumps(expert_body(name="改名", version=1)), content_type="application/json")
    assert ok.status_code == 200 and ok.json()["version"] == 2
    stale = client.put(url, data=json.dumps(expert_body(name="再改", version=1)), content_type="application/json")
    assert stale.status_code == 409


def test_status_change_needs_a_reason_and_is_audited(client, login, demo_users):
    login("bureau")
    created = post(client, f"{API}/pool", expert_body()).json()
    res = post(client, f"{API}/pool/{created['id']}/status", {"status": "suspended", "reason": "评分偏低"})
    assert res.json()["status"] == "suspended"
    assert AuditEvent.objects.filter(event="expert.status_changed").exists()


def _sheet(rows):
    from tongchou.documents.spreadsheet import write_safe

    wb = Workbook()
    ws = wb.active
    ws.append([label for _, label in COLUMNS])
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            write_safe(ws.cell(r, c), value)
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "experts.xlsx"
    return out


GOOD = ["X001", "甲专家", "软件开发、network", "教授", "正高级", 20, "新疆大学", "13912345678", "", "在库", "是",
        "某科技公司:2023-05-31", "某咨询公司"]
GOOD2 = ["X002", "乙专家", "investment", "高级会计师", "副高级", 10, "昌吉会计师事务所", "", "", "", "", "", ""]
BAD = ["X003", "丙专家", "无此类别", "工程师", "中级", 5, "", "12345", "", "休假", "也许", "某公司2023", ""]


def test_import_with_a_bad_row_changes_nothing_and_reports_each_problem(client, login, demo_users):
    login("bureau")
    good = list(GOOD)
    good[2] = "软件开发、网络安全"
    res = client.post(f"{API}/pool/import", {"file": _sheet([good, GOOD2, BAD])})
    assert res.status_code == 200, res.content.decode()
    report = res.json()
    assert report["applied"] is False and report["imported"] == 0 and report["good_rows"] == 2
    assert Expert.objects.count() == 0
    problems = {(e["row"], e["column"]) for e in report["errors"]}
    assert {(4, "专业类别"), (4, "职称级别"), (4, "工作单位"), (4, "手机号码"), (4, "状态"), (4, "可参加抽取"),
            (4, "曾任职单位（单位:离职日期；…）")} <= problems
    assert all(e["row"] == 4 for e in report["errors"])
    assert "未导入任何数据" in report["summary"]

    res = client.post(f"{API}/pool/import", {"file": _sheet([good, GOOD2, BAD]), "only_good_rows": "true"})
    report = res.json()
    assert report["applied"] is True and report["imported"] == 2
    assert sorted(Expert.objects.values_list("code", flat=True)) == ["X001", "X002"]
    x1 = Expert.objects.get(code="X001")
    assert sorted(c.code for c in x1.categories.all()) == ["security", "software"]
    assert x1.former_employers.get().org == "某科技公司" and x1.phone == "13912345678"
    assert AuditEvent.objects.filter(event="expert.imported").count() == 1


def test_import_refuses_non_xlsx_and_reimport_of_export_round_trips(client, login, demo_users):
    login("bureau")
    res = client.post(f"{API}/pool/import", {"file": BytesIO(b"code,name\n1,2")})
    assert res.status_code == 400 and res.json()["field"] == "file"
    good = list(GOOD)
    good[2] = "软件开发"
    good[1] = "=1+1"
    client.post(f"{API}/pool/import", {"file": _sheet([good])})
    exported = client.get(f"{API}/pool/export.xlsx")
    assert exported.status_code == 200
    ws = load_workbook(BytesIO(exported.content)).worksheets[0]
    assert ws.cell(2, 1).value == "X001" and ws.cell(2, 2).value == "=1+1" and ws.cell(2, 2).data_type == "s"  # a formula-looking name stays text
    assert "*" in ws.cell(2, 8).value  # masked phone
    assert AuditEvent.objects.filter(event="expert.exported").exists()


def test_demo_experts_are_idempotent_and_drawable(demo_users):
    from tongchou.experts.demo import seed_demo_experts
    from tongchou.experts.draw import draw
    from tongchou.experts.snapshot import pool_snapshot

    assert seed_demo_experts() == 24
    assert seed_demo_experts() == 0
    linked = Expert.objects.get(code="ZJ0001")
    assert linked.user == demo_users["expert"]
    assert linked.name == demo_users["expert"].display_name == "褚专家"  # one person, one name (/experts/me/)
    request = {"date": "2026-12-10", "project_unit": "昌吉州教育局", "needs": [{"category": "software", "count": 1}]}
    out = draw(pool_snapshot(), request, "1" * 64)
    assert len(out["selected"]) == 1


def test_reimport_updates_and_keeps_the_account_link(client, login, demo_users):
    login("bureau")
    good = list(GOOD)
    good[2] = "软件开发"
    client.post(f"{API}/pool/import", {"file": _sheet([good])})
    Expert.objects.filter(code="X001").update(user=demo_users["expert"])
    good[6] = "昌吉学院"
    report = client.post(f"{API}/pool/import", {"file": _sheet([good])}).json()
    assert report["imported"] == 1
    x1 = Expert.objects.get(code="X001")
    assert x1.employer == "昌吉学院" and x1.user == demo_users["expert"] and x1.version == 2


def test_openapi_lists_the_expert_routes(client, login, demo_users):
    login("bureau")
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/experts/draws", "/api/v1/experts/pool/import", "/api/v1/experts/fees/ledger.xlsx"} <= set(paths)
