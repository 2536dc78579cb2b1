"""The web pages of the call and the plan: forms, the live htmx warning, upload, findings, plan."""

from __future__ import annotations

import io

import pytest
import time_machine
from openpyxl import load_workbook

from tests.demand.call_helpers import PHASE1, PHASE2, UNRELATED
from tongchou.demand.models import Call, Need

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _before_deadline():
    with time_machine.travel("2025-10-01 10:00:00+08:00", tick=False):
        yield


def _open(client, login):
    login("bureau")
    response = client.post("/demand/", {"year": "2026", "deadline": "2025-10-31T18:00", "instructions": "如实填报"})
    assert response.status_code == 302, response.content.decode()
    return Call.objects.get(year=2026)


def test_navigation_and_call_pages(client, login):
    call = _open(client, login)
    page = client.get("/demand/").content.decode()
    assert "需求征集" in page and call.title in page
    login("applicant")
    page = client.get(f"/demand/{call.pk}/").content.decode()
    assert "填报需求" in page and "下载官方填报模板" in page and 'hx-post="/demand/' in page
    response = client.post(f"/demand/{call.pk}/", PHASE1)
    assert response.status_code == 302
    assert Need.objects.get().name == PHASE1["name"]
    response = client.post(f"/demand/{call.pk}/", {**PHASE1, "estimated_cost": "很多"}, follow=True)
    assert "「预计金额」须为数字" in response.content.decode()
    assert Need.objects.count() == 1
    login("sysadmin")
    assert client.get(f"/demand/{call.pk}/").status_code == 404


def test_live_warning_partial(client, login):
    call = _open(client, login)
    login("applicant")
    client.post(f"/demand/{call.pk}/", PHASE1)
    partial = client.post(f"/demand/{call.pk}/check/", PHASE2).content.decode()
    assert "疑似拆分" in partial and PHASE1["name"] in partial
    partial = client.post(f"/demand/{call.pk}/check/", UNRELATED).content.decode()
    assert "疑似拆分" not in partial and "未发现" in partial


def test_upload_page_reports_rows_and_imports_nothing(client, login):
    call = _open(client, login)
    login("applicant")
    wb = load_workbook(io.BytesIO(client.get(f"/demand/{call.pk}/template.xlsx").content))
    ws = wb["填写数据"]
    ws.append(["好需求", "目标", "内容", "", 1000, "建设开发类", None, "张 1"])
    ws.append(["坏需求", "目标", "内容", "", -5, "建设开发类", None, "张 1"])
    out = io.BytesIO()
    wb.save(out)
    f = io.BytesIO(out.getvalue())
    f.name = "needs.xlsx"
    page = client.post(f"/demand/{call.pk}/upload/", {"file": f}, follow=True).content.decode()
    assert "未导入任何数据" in page and "第 3 行「预计金额」" in page
    assert not Need.objects.exists()
    f.seek(0)
    page = client.post(f"/demand/{call.pk}/upload/", {"file": f, "only_good_rows": "1"}, follow=True).content.decode()
    assert "已导入 1 个需求" in page
    assert list(Need.objects.values_list("name", flat=True)) == ["好需求"]


def test_bureau_findings_and_plan_pages(client, login):
    call = _open(client, login)
    login("applicant")
    client.post(f"/demand/{call.pk}/", PHASE1)
    client.post(f"/demand/{call.pk}/", PHASE2)
    client.post(f"/demand/{call.pk}/", UNRELATED)
    assert client.get(f"/demand/{call.pk}/findings/").status_code == 404  # bureau only
    login("bureau")
    page = client.post(f"/demand/{call.pk}/findings/", follow=True).content.decode()
    assert "疑似拆分" in page and PHASE2["name"] in page and "合计 880000.00 元" in page and "联合会审" in page, page[page.find("<main"):]
    page = client.post(f"/demand/{call.pk}/plan/rank/", {"budget_cap": "500000"}, follow=True).content.decode()
    assert "超出上限" in page and "疑似拆分" in page
    unrelated = Need.objects.get(name=UNRELATED["name"])
    page = client.post(f"/demand/{call.pk}/plan/decide/", {"need": unrelated.pk, "decision": "included", "reason": ""},
                       follow=True).content.decode()
    assert "请填写决定理由" in page
    client.post(f"/demand/{call.pk}/plan/decide/", {"need": unrelated.pk, "decision": "included", "reason": "急需"})
    page = client.post(f"/demand/{call.pk}/plan/drafts/", follow=True).content.decode()
    assert "已为 1 个" in page
    response = client.get(f"/demand/{call.pk}/plan.xlsx")
    assert response.status_code == 200 and response.content[:2] == b"PK"
