"""The delivery page under a project's detail and the inventory page."""

from __future__ import annotations

import pytest

from tongchou.delivery.models import Acceptance, InventorySystem, OMFundingRequest
from tongchou.projects.models import Status


@pytest.fixture
def operating(project_in):
    project = project_in(Status.OPERATING)
    Acceptance.objects.create(project=project, report="报告", applied_on="2026-04-15", convened_on="2026-04-15",
                              passed=True, conclusion="通过", concluded_on="2026-04-15")
    InventorySystem.objects.create(name="智慧校园平台", purpose="教学管理", owner=project.unit, built_by=project,
                                   deployment="gov_cloud", migration_status="not_required")
    return project


@pytest.mark.django_db
def test_the_unit_sees_its_delivery_page_and_another_unit_gets_404(client, demo_users, operating):
    client.force_login(demo_users["applicant"])
    page = client.get(f"/projects/{operating.pk}/delivery/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "竣工验收（第二十四条）" in text and "申请年度运维经费" in text and "智慧校园平台" in text
    client.force_login(demo_users["applicant2"])
    assert client.get(f"/projects/{operating.pk}/delivery/").status_code == 404


@pytest.mark.django_db
def test_om_request_and_finance_decision_through_the_page(client, demo_users, operating):
    client.force_login(demo_users["applicant"])
    response = client.post(f"/projects/{operating.pk}/delivery/om-requests/",
                           {"year": "2027", "amount": "80000", "data_sharing_done": "on"}, follow=True)
    assert "已提交" in response.content.decode()
    om = OMFundingRequest.objects.get(project=operating)
    assert om.eligible is True
    response = client.post(f"/projects/{operating.pk}/delivery/om-requests/{om.pk}/decision/",
                           {"approve": "1", "granted_amount": "80000"}, follow=True)
    assert "只有州财政局" in response.content.decode()  # the unit may not decide its own money
    client.force_login(demo_users["finance"])
    page = client.get(f"/projects/{operating.pk}/delivery/").content.decode()
    assert "安排金额" in page
    response = client.post(f"/projects/{operating.pk}/delivery/om-requests/{om.pk}/decision/",
                           {"approve": "1", "granted_amount": "75000"}, follow=True)
    assert "决定已记录" in response.content.decode()
    om.refresh_from_db()
    assert (om.status, str(om.granted_amount)) == ("approved", "75000.00")


@pytest.mark.django_db
def test_a_refusal_on_the_page_names_the_field_problem_in_chinese(client, demo_users, operating):
    client.force_login(demo_users["applicant"])
    response = client.post(f"/projects/{operating.pk}/delivery/om-requests/", {"year": "2027", "amount": "八万"},
                           follow=True)
    assert "申请金额应为数字" in response.content.decode()
    assert not OMFundingRequest.objects.exists()


@pytest.mark.django_db
def test_the_inventory_page_lists_only_the_callers_systems(client, demo_users, operating):
    client.force_login(demo_users["applicant"])
    page = client.get("/inventory/").content.decode()
    assert "智慧校园平台" in page and "应用系统台账" in page
    client.force_login(demo_users["applicant2"])
    assert "智慧校园平台" not in client.get("/inventory/").content.decode()


@pytest.mark.django_db
def test_the_delivery_endpoints_are_in_the_openapi_schema(client, demo_users):
    client.force_login(demo_users["applicant"])
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    assert "/api/v1/delivery/projects/{project_id}/acceptance/committee" in paths
    assert "/api/v1/delivery/inventory-overlaps" in paths


@pytest.mark.django_db
def test_the_unit_records_a_miping_on_the_page(client, demo_users, operating):
    client.force_login(demo_users["applicant"])
    response = client.post(f"/projects/{operating.pk}/delivery/crypto-assessments/",
                           {"assessed_on": "2026-01-20", "assessor": "某密评机构", "result": "passed"}, follow=True)
    assert "下次评估到期日 2027-01-20" in response.content.decode()
    response = client.post(f"/projects/{operating.pk}/delivery/crypto-assessments/",
                           {"assessed_on": "20/01/2026", "assessor": "某密评机构", "result": "passed"}, follow=True)
    assert "评估日期应为 YYYY-MM-DD" in response.content.decode()
