"""The system inventory (Art. 5, 7, 35): updated by a migration project when it is accepted."""

from __future__ import annotations

import pytest

from tongchou.accounts.models import Organisation
from tongchou.delivery.models import Acceptance, InventorySystem
from tongchou.delivery.services.acceptance import acceptance_conclude
from tongchou.delivery.services.inventory import overlap_text
from tongchou.projects.models import Project, Status


@pytest.fixture
def legacy(api):
    status, body = api("applicant", "post", "/inventory", {
        "name": "学籍管理系统", "purpose": "全州中小学 学籍 登记与转学\n办理", "deployment": "self_hosted",
        "data_interfaces": ["学籍查询"], "shared_resources": []})
    assert status == 201, body
    return body


def test_overlap_text_joins_name_and_purpose_normalised():
    assert overlap_text("OA 系统", "公文  流转\n与审批") == "oa 系统：公文 流转 与审批"


@pytest.mark.django_db
def test_a_pre_existing_self_hosted_system_is_registered_as_not_yet_planned(legacy):
    assert legacy["deployment"] == "self_hosted"
    assert legacy["migration_status"] == "not_planned"
    assert legacy["overlap_text"] == "学籍管理系统：全州中小学 学籍 登记与转学 办理"


@pytest.mark.django_db
def test_the_inventory_is_updated_by_a_migration_project(legacy, project_in, api, demo_users):
    project = project_in(Status.IMPLEMENTATION)
    Project.objects.filter(pk=project.pk).update(project_type="migrate")
    status, body = api("applicant", "post", f"/inventory/{legacy['id']}/migration",
                       {"project_id": project.pk, "migration_due": "2026-06-30"})
    assert status == 200, body
    assert (body["migration_status"], body["migration_project"]) == ("in_progress", project.pk)
    Project.objects.filter(pk=project.pk).update(status=Status.ACCEPTANCE_APPLIED)
    Acceptance.objects.create(project=project, report="迁移完成", applied_on="2026-06-01", convened_on="2026-06-01",
                              convened_by=demo_users["ndrc"])
    acceptance_conclude(project=Project.objects.get(pk=project.pk), actor=demo_users["ndrc"], passed=True,
                        conclusion="迁移上云验收通过")
    system = InventorySystem.objects.get(pk=legacy["id"])
    assert (system.deployment, system.migration_status) == ("gov_cloud", "migrated")
    assert project.code in system.migration_plan
    assert Project.objects.get(pk=project.pk).status == Status.ACCEPTED


@pytest.mark.django_db
def test_only_a_migration_project_may_be_linked(legacy, project_in, api):
    project = project_in(Status.IMPLEMENTATION)
    Project.objects.filter(pk=project.pk).update(project_type="new")
    status, body = api("applicant", "post", f"/inventory/{legacy['id']}/migration", {"project_id": project.pk})
    assert (status, body["code"]) == (400, "not_migration")


@pytest.mark.django_db
def test_who_sees_and_edits_the_inventory(legacy, api):
    assert [s["id"] for s in api("applicant", "get", "/inventory")[1]] == [legacy["id"]]
    assert api("applicant2", "get", "/inventory")[1] == []
    assert api("bureau", "get", "/inventory")[1][0]["id"] == legacy["id"]
    assert api("applicant2", "patch", f"/inventory/{legacy['id']}", {"migration_plan": "x"})[0] == 404
    status, body = api("bureau", "patch", f"/inventory/{legacy['id']}",
                       {"expected_version": 1, "migration_status": "planned", "migration_plan": "2026 年迁移"})
    assert (status, body["version"]) == (200, 2)
    status, body = api("applicant", "patch", f"/inventory/{legacy['id']}", {"expected_version": 1, "purpose": "y"})
    assert status == 409
    medins = Organisation.objects.get(code="cj-medins")
    status, body = api("applicant", "post", "/inventory", {"owner_id": medins.pk, "name": "医保系统", "purpose": "医保",
                                                           "deployment": "gov_cloud"})
    assert status == 403
    status, body = api("applicant", "post", "/inventory", {"name": "学籍管理系统", "purpose": "重复",
                                                           "deployment": "gov_cloud"})
    assert (status, body["field"]) == (400, "name")


@pytest.mark.django_db
def test_a_need_like_a_running_system_is_flagged_against_the_inventory(api):
    api("applicant", "post", "/inventory", {
        "name": "昌吉州中小学学籍管理系统", "deployment": "gov_cloud",
        "purpose": "全州中小学学生学籍登记、转学、休学、复学、毕业的全流程网上办理，学籍档案电子化管理与统计分析"})
    api("applicant", "post", "/inventory", {
        "name": "机关办公OA系统", "deployment": "gov_cloud", "purpose": "公文流转、会议管理、督办事项"})
    status, body = api("bureau", "post", "/inventory-overlaps", {
        "name": "中小学学生学籍管理平台", "year": 2026,
        "description": "建设全州中小学学生学籍登记、转学、休学、复学与毕业网上办理平台，实现学籍档案电子化管理和统计分析"})
    assert status == 200
    assert [h["name"] for h in body] == ["昌吉州中小学学籍管理系统"]
    assert body[0]["same_unit"] is False and "第五条" in body[0]["message"]


@pytest.mark.django_db
def test_the_demo_inventory_loads_once(orgs):
    from tongchou.delivery.demo import DEMO_SYSTEMS, seed_demo_delivery

    assert seed_demo_delivery() == len(DEMO_SYSTEMS)
    assert seed_demo_delivery() == 0
    assert InventorySystem.objects.filter(deployment="self_hosted", migration_status="planned").exists()
