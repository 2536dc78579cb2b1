"""The expert pool's pages: the organiser's draw (commitment, then draw), the seal, the expert's answer,
masked and audited personal data, import with a bad row, fees."""

from __future__ import annotations

import re
from io import BytesIO

from openpyxl import Workbook

from tests.experts.conftest import REVIEW_DATE
from tongchou.audit.models import AuditEvent
from tongchou.crypto.sm import sm3_hex
from tongchou.experts.models import Draw, DrawMember, Expert
from tongchou.experts.xlsx_columns import COLUMNS


def _create_draw(client, project):
    res = client.post("/experts/draws/new/", {
        "purpose": "joint_review", "subject": project.name, "review_date": REVIEW_DATE.isoformat(),
        "project_code": project.code, "vendors": "某软件公司", "plan_authors": "", "reserves": 1,
        "need_software": 2, "need_security": 1, "need_crypto": 1, "need_investment": 1,
    })
    assert res.status_code == 302, res.content.decode()[:2000]
    return Draw.objects.get()


def test_organiser_sees_commitment_then_draws(client, login, pool, project):
    login("bureau")
    form = client.get("/experts/draws/new/?purpose=joint_review")
    assert form.status_code == 200 and "联合会审不少于 5 人" in form.content.decode()
    record = _create_draw(client, project)
    page = client.get(f"/experts/draws/{record.pk}/").content.decode()
    assert record.commitment in page and record.seed not in page and "尚未抽取" in page
    res = client.post(f"/experts/draws/{record.pk}/execute/")
    assert res.status_code == 302
    page = client.get(f"/experts/draws/{record.pk}/").content.decode()
    seed = re.search(r'id="seed">([0-9a-f]{64})<', page).group(1)
    assert sm3_hex(seed.encode()) == record.commitment
    assert page.count("已邀请，待答复") == 5


def test_the_draw_page_names_expert_categories_in_chinese(client, login, pool, project):
    login("bureau")
    record = _create_draw(client, project)
    client.post(f"/experts/draws/{record.pk}/execute/")
    page = client.get(f"/experts/draws/{record.pk}/").content.decode()
    assert "符合条件人数：" in page and "软件开发 " in page and "<td>软件开发</td>" in page
    assert "software" not in page and "<td>security</td>" not in page


def test_the_draw_form_names_the_review_types_in_chinese(client, login):
    login("bureau")
    page = client.get("/experts/draws/new/?purpose=consultation").content.decode()
    intro = re.search(r"<p>按评审类型套用模板：(.*?)</p>", page).group(1)
    assert re.sub(r"<[^>]+>", "", intro) == ("联合会审（第三十二条） · 立项评审（第三十二条） · 项目咨询（第三十三条） · "
                                             "内部评审（第三十三条） · 合同验收（第三十三条）")
    assert '<a href="?purpose=consultation" aria-current="true">项目咨询（第三十三条）</a>' in intro


def test_even_panel_is_refused_on_the_page(client, login, pool, project):
    login("bureau")
    res = client.post("/experts/draws/new/", {
        "purpose": "joint_review", "subject": "x", "review_date": REVIEW_DATE.isoformat(),
        "project_code": project.code, "reserves": 0, "need_software": 2, "need_security": 2,
    })
    assert res.status_code == 200 and "单数" in res.content.decode()
    assert not Draw.objects.exists()


def test_applicant_page_hides_names_while_sealed(client, login, pool, project):
    login("bureau")
    record = _create_draw(client, project)
    client.post(f"/experts/draws/{record.pk}/execute/")
    names = list(DrawMember.objects.filter(draw=record).values_list("expert__name", flat=True))
    login("applicant")
    page = client.get(f"/experts/draws/{record.pk}/").content.decode()
    assert "保密" in page and not any(n in page for n in names)
    assert client.post(f"/experts/draws/{record.pk}/unseal/").status_code == 403
    login("applicant2")
    assert client.get(f"/experts/draws/{record.pk}/").status_code == 404
    login("bureau")
    client.post(f"/experts/draws/{record.pk}/close/")
    login("applicant")
    page = client.get(f"/experts/draws/{record.pk}/").content.decode()
    assert all(n in page for n in DrawMember.objects.filter(draw=record, role="selected").values_list("expert__name", flat=True))


def test_expert_accepts_on_their_page(client, login, pool, project, demo_users):
    login("bureau")
    record = _create_draw(client, project)
    client.post(f"/experts/draws/{record.pk}/execute/")
    member = DrawMember.objects.filter(draw=record, status="invited").first()
    Expert.objects.filter(user=demo_users["expert"]).update(user=None)
    Expert.objects.filter(pk=member.expert_id).update(user=demo_users["expert"])
    login("expert")
    assert client.get("/experts/").status_code == 302
    page = client.get("/experts/me/").content.decode()
    assert record.subject in page and "接受" in page
    client.post(f"/experts/members/{member.pk}/accept/")
    member.refresh_from_db()
    assert member.status == "accepted"


def test_pool_page_masks_and_reveal_is_audited(client, login, pool):
    login("bureau")
    page = client.get("/experts/").content.decode()
    assert "139****5678" in page and "13912345678" not in page
    expert = Expert.objects.get(code="E002")
    detail = client.get(f"/experts/{expert.pk}/").content.decode()
    assert "13912345678" not in detail
    revealed = client.post(f"/experts/{expert.pk}/", {"reveal": "1"}).content.decode()
    assert "13912345678" in revealed and "11010519491231002X" in revealed
    assert AuditEvent.objects.filter(event="expert.personal_data_viewed", target_id=str(expert.pk)).count() == 1
    assert client.get(f"/experts/{expert.pk}/")["Cache-Control"].find("no-store") >= 0
    login("applicant")
    assert client.get(f"/experts/{expert.pk}/").status_code == 404


def test_add_expert_page_enforces_entry_rule(client, login, demo_users):
    login("bureau")
    data = {"code": "P001", "name": "页面专家", "title": "工程师", "title_level": "intermediate", "years": 7,
            "employer": "新疆大学", "categories": ["software"], "available": "on"}
    res = client.post("/experts/new/", data)
    assert res.status_code == 200 and "满 8 年" in res.content.decode()
    data["years"] = 8
    assert client.post("/experts/new/", data).status_code == 302
    assert Expert.objects.filter(code="P001").exists()


def test_import_page_reports_bad_rows(client, login, demo_users):
    login("bureau")
    wb = Workbook()
    ws = wb.active
    ws.append([label for _, label in COLUMNS])
    ws.append(["Q001", "好专家", "软件开发", "教授", "正高级", 20, "新疆大学", "", "", "", "", "", ""])
    ws.append(["Q002", "坏专家", "软件开发", "工程师", "中级", 3, "新疆大学", "", "", "", "", "", ""])
    out = BytesIO()
    wb.save(out)
    out.seek(0)
    out.name = "experts.xlsx"
    page = client.post("/experts/import/", {"file": out}).content.decode()
    assert "未导入任何数据" in page and "职称级别" in page and "<td class=\"num\">3</td>" in page
    assert not Expert.objects.exists()


def test_fees_page_for_the_bureau_only(client, login, demo_users):
    login("bureau")
    res = client.post("/experts/fees/?year=2026", {"effective_from": "2026-01-01", "half_day": "800",
                                                   "hourly_extra": "150", "daily_cap": "2000"})
    assert res.status_code == 302
    assert "800" in client.get("/experts/fees/?year=2026").content.decode()
    assert client.get("/experts/fees/export.xlsx?year=2026").status_code == 200
    login("applicant")
    assert client.get("/experts/fees/").status_code == 403


def test_the_demo_expert_login_and_its_pool_record_are_one_person(client, login, demo_users):
    from tongchou.experts.demo import seed_demo_experts

    seed_demo_experts()
    login("expert")
    page = client.get("/experts/me/").content.decode()
    assert "ZJ0001 褚专家" in page and "赵明" not in page
    assert "<span>褚专家（专家）</span>" in page  # the top bar: the same name
