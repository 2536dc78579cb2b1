"""The yearly call (Art. 8) through the API: submit, template round trip, bad rows, deadline, visibility."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
import time_machine
from openpyxl import load_workbook

from tests.demand.call_helpers import PHASE1, PHASE2, UNRELATED, open_call, submit, upload
from tongchou.audit.models import AuditEvent
from tongchou.demand.models import Need

pytestmark = pytest.mark.django_db
BEFORE = "2025-10-01 10:00:00+08:00"
AFTER = "2025-11-02 10:00:00+08:00"


@pytest.fixture
def call(client, login):
    with time_machine.travel(BEFORE, tick=False):
        data = open_call(client, login)
    return data


def _template(client, call_id):
    response = client.get(f"/api/v1/demand/calls/{call_id}/template.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content))


def _fill(wb, rows):
    ws = wb["填写数据"]
    headers = [c.value.lstrip("*") for c in ws[1]]
    for r, values in enumerate(rows, start=2):
        for key, value in values.items():
            ws.cell(row=r, column=headers.index(key) + 1, value=value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


GOOD_ROW = {"需求名称": "教师队伍管理信息系统", "建设目标": "加强教师队伍建设", "主要建设内容": "建设教师信息库、职称评审申报",
            "预计金额": 350000, "项目类别": "建设开发类", "重点支持情形": "（三）州重点工作或民生工程", "联系人及电话": "张 123"}


@time_machine.travel(BEFORE, tick=False)
def test_unit_submits_in_web_and_sees_only_its_own(client, login, call):
    login("applicant")
    response = submit(client, call["id"], PHASE1)
    assert response.status_code == 201, response.content
    assert response.json()["estimated_cost"] == "450000.00"
    login("applicant2")
    assert submit(client, call["id"], UNRELATED).status_code == 201
    assert [n["name"] for n in client.get(f"/api/v1/demand/calls/{call['id']}/needs").json()] == ["学生资助管理系统"]
    login("applicant")
    mine = client.get(f"/api/v1/demand/calls/{call['id']}/needs").json()
    assert [n["name"] for n in mine] == [PHASE1["name"]]
    other = Need.objects.get(name="学生资助管理系统")
    assert client.post(f"/api/v1/demand/calls/{call['id']}/needs/{other.pk}/decision",
                       {"decision": "included", "reason": "x"}, content_type="application/json").status_code == 404
    login("bureau")
    assert len(client.get(f"/api/v1/demand/calls/{call['id']}/needs").json()) == 2


@time_machine.travel(BEFORE, tick=False)
def test_missing_field_is_named_in_chinese(client, login, call):
    login("applicant")
    response = submit(client, call["id"], {**PHASE1, "goals": ""})
    assert response.status_code == 400
    body = response.json()
    assert "建设目标" in str(body) and "goals" in str(body)
    assert not Need.objects.exists()


@time_machine.travel(BEFORE, tick=False)
def test_template_round_trip(client, login, call):
    login("applicant")
    wb = _template(client, call["id"])
    data = _fill(wb, [GOOD_ROW, {**GOOD_ROW, "需求名称": "学生资助管理系统", "预计金额": 120000.5}])
    response = upload(client, call["id"], data)
    assert response.status_code == 200, response.content.decode()
    assert response.json()["imported"] == 2
    need = Need.objects.get(name="教师队伍管理信息系统")
    assert need.estimated_cost == Decimal("350000.00")
    assert need.priority_basis == "key_work" and need.category == "development" and need.source == "xlsx"
    assert need.unit.name == "昌吉州教育局"
    assert Need.objects.get(name="学生资助管理系统").estimated_cost == Decimal("120000.50")


@time_machine.travel(BEFORE, tick=False)
def test_bad_rows_reported_and_nothing_imported_unless_only_good_rows(client, login, call):
    login("applicant")
    wb = _template(client, call["id"])
    rows = [GOOD_ROW, {**GOOD_ROW, "需求名称": "", "预计金额": "很多"}, {**GOOD_ROW, "需求名称": "第三个", "项目类别": "其他"}]
    data = _fill(wb, rows)
    response = upload(client, call["id"], data)
    assert response.status_code == 422
    body = response.json()
    assert body["imported"] == 0 and body["bad_rows"] == [3, 4]
    texts = [e["text"] for e in body["errors"]]
    assert any(t.startswith("第 3 行「需求名称」") for t in texts)
    assert any(t.startswith("第 3 行「预计金额」") for t in texts)
    assert any(t.startswith("第 4 行「项目类别」") for t in texts)
    assert not Need.objects.exists()

    response = upload(client, call["id"], data, only_good_rows=True)
    assert response.status_code == 200
    assert response.json()["imported"] == 1 and response.json()["bad_rows"] == [3, 4]
    assert list(Need.objects.values_list("name", flat=True)) == ["教师队伍管理信息系统"]


@time_machine.travel(BEFORE, tick=False)
def test_not_an_excel_file_is_refused(client, login, call):
    login("applicant")
    response = upload(client, call["id"], b"%PDF-1.4 not a workbook")
    assert response.status_code == 400
    assert not Need.objects.exists()


def test_late_submission_refused_until_reopened(client, login, call):
    login("applicant")
    with time_machine.travel(AFTER, tick=False):
        response = submit(client, call["id"], PHASE1)
        assert response.status_code == 409
        message = response.json()["detail"]
        assert "2025年10月31日 18:00" in message and "截止" in message
        assert not Need.objects.exists()
        login("applicant2")  # a unit cannot reopen
        assert client.post(f"/api/v1/demand/calls/{call['id']}/reopen",
                           {"until": "2025-11-10T18:00:00+08:00", "reason": "x"},
                           content_type="application/json").status_code == 403
        login("bureau")
        response = client.post(f"/api/v1/demand/calls/{call['id']}/reopen",
                               {"until": "2025-11-10T18:00:00+08:00", "reason": "部分单位因会议延误，补报一周"},
                               content_type="application/json")
        assert response.status_code == 200 and response.json()["open"] is True
        assert AuditEvent.objects.filter(event="demand.call_reopened").exists()
        login("applicant")
        assert submit(client, call["id"], PHASE1).status_code == 201
    with time_machine.travel("2025-11-11 10:00:00+08:00", tick=False):
        login("applicant")  # a fresh session at the new time
        assert submit(client, call["id"], PHASE2).status_code == 409


@time_machine.travel(BEFORE, tick=False)
def test_county_call_is_for_its_county(client, login):
    login("county")
    response = client.post("/api/v1/demand/calls", {"year": 2026, "deadline": "2025-10-31T18:00:00+08:00"},
                           content_type="application/json")
    assert response.status_code == 201
    county_call = response.json()["id"]
    login("countyapp")
    assert submit(client, county_call, PHASE1).status_code == 201
    login("applicant")  # a prefecture department does not see the county's call
    assert submit(client, county_call, PHASE1).status_code == 404
    login("applicant")
    assert client.post("/api/v1/demand/calls", {"year": 2027, "deadline": "2025-10-31T18:00:00+08:00"},
                       content_type="application/json").status_code == 403


@time_machine.travel(BEFORE, tick=False)
def test_live_warning_for_a_planted_split_not_for_an_unrelated_need(client, login, call):
    login("applicant")
    assert submit(client, call["id"], PHASE1).status_code == 201
    url = f"/api/v1/demand/calls/{call['id']}/needs/check"
    warnings = client.post(url, PHASE2, content_type="application/json").json()["warnings"]
    splits = [w for w in warnings if w["code"] == "ART8-SPLIT"]
    assert len(splits) == 1 and splits[0]["name"] == PHASE1["name"]
    assert "880,000.00" in splits[0]["message"] and "联合会审" in splits[0]["message"]
    assert client.post(url, UNRELATED, content_type="application/json").json()["warnings"] == []
    login("applicant2")  # another unit's identical need is not *their own* split
    assert [w for w in client.post(url, PHASE2, content_type="application/json").json()["warnings"]
            if w["code"] == "ART8-SPLIT"] == []
