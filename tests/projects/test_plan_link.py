"""Art. 8, 11: a project made from the yearly plan says so (列入 N 年度计划（需求 #…）) on its page, in the
register (badge and 计划内/计划外 filter), in the API and on the review pages; any other is 计划外申报."""

from __future__ import annotations

import json

import pytest
import time_machine

from tests.demand.call_helpers import PHASE1, open_call, submit
from tests.projects.builders import make_project
from tongchou.demand.models import Need
from tongchou.projects.models import Project

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned_and_not(client, login, demo_users):
    """A 2026 call; 州教育局's need included and turned into a draft by the bureau; and another draft of
    the same unit applied for outside the plan."""
    with time_machine.travel("2025-10-01 10:00:00+08:00", tick=False):
        call = open_call(client, login)
        login("applicant")
        need_id = submit(client, call["id"], PHASE1).json()["id"]
        login("bureau")
        url = f"/api/v1/demand/calls/{call['id']}"
        decided = client.post(f"{url}/needs/{need_id}/decision", {"decision": "included", "reason": "重点工作"},
                              content_type="application/json")
        assert decided.status_code == 200, decided.content.decode()
        assert client.post(f"{url}/plan/drafts", {}, content_type="application/json").status_code == 200
        outside = make_project(demo_users["applicant"], name="计划外的应急指挥平台", year=2026)
    planned = Project.objects.get(name=PHASE1["name"])
    assert Need.objects.get(pk=need_id).project_id == planned.pk
    return {"planned": planned, "outside": outside, "need_id": need_id}


def test_the_project_page_and_the_api_say_whether_the_project_is_in_the_plan(client, login, planned_and_not):
    planned, outside, need_id = planned_and_not["planned"], planned_and_not["outside"], planned_and_not["need_id"]
    login("applicant")
    assert f"列入 2026 年度计划（需求 #{need_id}）" in client.get(f"/projects/{planned.pk}/").content.decode()
    page = client.get(f"/projects/{outside.pk}/").content.decode()
    assert "计划外申报" in page and "年度计划（需求" not in page

    body = client.get(f"/api/v1/projects/{planned.pk}").json()["yearly_plan"]
    assert body["in_plan"] is True and body["year"] == 2026 and body["need_id"] == need_id
    assert body["label"] == f"列入 2026 年度计划（需求 #{need_id}）" and body["article"] == "第八条、第十一条"
    assert client.get(f"/api/v1/projects/{outside.pk}").json()["yearly_plan"] == {
        "in_plan": False, "label": "计划外申报", "article": "第八条、第十一条"}
    # read-only: sending it in an edit is refused as an unknown field, the link unchanged
    refused = client.patch(f"/api/v1/projects/{outside.pk}", json.dumps({"version": outside.version,
                                                                      "yearly_plan": {"in_plan": True}}),
                           content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "yearly_plan"


def test_the_register_shows_the_badge_and_filters_in_and_out_of_plan(client, login, planned_and_not):
    planned, outside = planned_and_not["planned"], planned_and_not["outside"]
    login("bureau")
    everything = client.get("/projects/").content.decode()
    assert f"2026 计划 · 需求 #{planned_and_not['need_id']}" in everything and "计划外" in everything
    inside = client.get("/projects/?plan=in").content.decode()
    assert planned.code in inside and outside.code not in inside
    out = client.get("/projects/?plan=out").content.decode()
    assert outside.code in out and planned.code not in out
    assert "年度计划筛选的取值「maybe」无效" in client.get("/projects/?plan=maybe").content.decode()

    api_in = client.get("/api/v1/projects?plan=in").json()
    assert [p["code"] for p in api_in["items"]] == [planned.code]
    api_out = {p["code"] for p in client.get("/api/v1/projects?plan=out").json()["items"]}
    assert outside.code in api_out and planned.code not in api_out


def test_the_review_page_header_carries_the_plan_badge(client, login, planned_and_not):
    login("bureau")
    response = client.get(f"/reviews/projects/{planned_and_not['planned'].pk}/")
    assert response.status_code == 200, response.status_code
    assert f"列入 2026 年度计划（需求 #{planned_and_not['need_id']}）" in response.content.decode()
    other = client.get(f"/reviews/projects/{planned_and_not['outside'].pk}/").content.decode()
    assert "计划外申报" in other
