"""The digital development bureau's 数据共享认定 decides Art. 30(一) for O&M funding whatever the unit answers,
and the system inventory decides Art. 30(三) where it records the deployment (ADR 0210)."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.delivery import test_supervision as sup
from tests.delivery.test_supervision import _text, om_request, on
from tongchou.audit.models import AuditEvent
from tongchou.delivery.models import DataSharingAttestation, InventorySystem, OMFundingRequest
from tongchou.notifications.models import Notification

operating, page = sup.operating, sup.page  # the supervision tests' operating project and page client


def attest(api, project, day: str, username: str = "bureau", **body):
    with on(day):
        return api(username, "post", f"/projects/{project.pk}/data-sharing", body)


def art30_1(body) -> dict:
    return next(f for f in body["findings"] if f["code"] == "ART30-1")


@pytest.mark.django_db
def test_the_bureau_attests_non_sharing_and_the_om_request_is_not_eligible_whatever_the_unit_answers(operating, api):
    status, body = attest(api, operating, "2027-03-10", shared_as_required=False, duplicate_collection=True,
                          evidence="未向州数据共享交换平台挂接学籍数据目录；重复采集户籍信息")
    assert status == 201, body
    assert (body["adverse"], body["attested_on"], body["attested_by"]) == (True, "2027-03-10", "昌吉州数字化发展局")
    event = AuditEvent.objects.get(event="delivery.data_sharing.attest")
    assert event.data["adverse"] is True and event.data["shared_as_required"] is False
    assert Notification.objects.filter(recipient__username="applicant", subject__contains="未按要求共享").exists()

    body = om_request(api, operating, 2027, "2027-04-20", data_sharing_done=True, duplicate_data_collection=False)
    assert (body["eligible"], body["reasons"]) == (False, ["ART30-1"])
    assert "第三十条第（一）项" in art30_1(body)["article"]
    request = OMFundingRequest.objects.get()
    assert request.data_sharing_done is True and request.duplicate_data_collection is False  # the unit's word kept
    assert request.facts["data_sharing_done"] is False and request.facts["duplicate_data_collection"] is True
    drove = {(x["fact"], x["value"], x["article"]) for x in body["supervision"] if x["record"].startswith("data_sharing:")}
    assert drove == {("data_sharing_done", False, "第三十条第（一）项"),
                     ("duplicate_data_collection", True, "第三十条第（一）项")}
    assert any("学籍数据目录" in x["source"] and "州数字化发展局" in x["source"] for x in body["supervision"])
    # finance cannot fund it: the refusal names Art. 30(一)
    status, refused = api("finance", "post", f"/projects/{operating.pk}/om-requests/{request.pk}/decision",
                          {"approve": True})
    assert status == 400 and "第三十条第（一）项" in str(refused)


@pytest.mark.django_db
def test_a_positive_attestation_lets_the_request_through_and_supersedes_an_adverse_one(operating, api):
    assert attest(api, operating, "2027-01-05", shared_as_required=False, duplicate_collection=False,
                  evidence="未挂接目录")[0] == 201
    status, body = attest(api, operating, "2027-03-01", shared_as_required=True, duplicate_collection=False,
                          catalogue="学籍信息资源目录（已挂接州共享交换平台）")
    assert status == 201 and body["adverse"] is False
    body = om_request(api, operating, 2027, "2027-04-20")
    assert (body["eligible"], body["reasons"]) == (True, [])
    basis = [x for x in body["supervision"] if x["record"].startswith("data_sharing:")]
    assert [x["record"] for x in basis] == [f"data_sharing:{DataSharingAttestation.objects.latest('id').pk}"] * 2
    assert "学籍信息资源目录" in basis[0]["source"]
    # the favourable word never takes away a reason the unit itself declares
    body = om_request(api, operating, 2028, "2028-04-20", duplicate_data_collection=True)
    assert (body["eligible"], body["reasons"]) == (False, ["ART30-1"])


@pytest.mark.django_db
def test_an_adverse_attestation_of_one_system_stands_until_that_system_is_attested_again(operating, api):
    system = InventorySystem.objects.get()
    assert attest(api, operating, "2027-01-05", shared_as_required=False, duplicate_collection=False,
                  evidence="平台数据未共享", system_id=system.pk)[0] == 201
    assert attest(api, operating, "2027-02-05", shared_as_required=True, duplicate_collection=False,
                  catalogue="项目其他资源")[0] == 201  # the project as a whole: not this system
    assert om_request(api, operating, 2027, "2027-04-20")["reasons"] == ["ART30-1"]
    assert attest(api, operating, "2027-05-05", shared_as_required=True, duplicate_collection=False,
                  catalogue="智慧校园平台数据目录", system_id=system.pk)[0] == 201
    assert om_request(api, operating, 2028, "2028-04-20")["reasons"] == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["applicant", "police", "finance", "applicant2"])
def test_only_the_bureau_writes_attestations(operating, api, username):
    status, body = attest(api, operating, "2027-03-10", username=username, shared_as_required=False,
                          duplicate_collection=False, evidence="自行认定")
    assert status in (403, 404), body
    if username == "applicant":
        assert status == 403 and "数字化发展局" in str(body)
    assert not DataSharingAttestation.objects.exists()
    assert not AuditEvent.objects.filter(event="delivery.data_sharing.attest").exists()


@pytest.mark.django_db
def test_bad_attestation_input_names_the_field(operating, api, project_in):
    status, body = attest(api, operating, "2027-03-10", shared_as_required=True, duplicate_collection=False)
    assert status == 400 and body["field"] == "catalogue"
    status, body = attest(api, operating, "2027-03-10", shared_as_required=True, duplicate_collection=True,
                          catalogue="目录")
    assert status == 400 and body["field"] == "evidence"
    status, body = attest(api, operating, "2027-03-10", shared_as_required=True, duplicate_collection=False,
                          catalogue="目录", attested_on="2027-03-11")
    assert status == 400 and body["field"] == "attested_on"
    status, body = attest(api, operating, "2027-03-10", shared_as_required=True, duplicate_collection=False,
                          catalogue="目录", system_id=999999)
    assert status == 400 and body["field"] == "system_id"
    assert not DataSharingAttestation.objects.exists()


@pytest.mark.django_db
def test_art30_3_comes_from_the_inventory_not_the_application(operating, api):
    """The application says 政务云 (the default); the inventory records a self-hosted machine room."""
    system = InventorySystem.objects.get()
    InventorySystem.objects.filter(pk=system.pk).update(deployment="self_hosted", migration_status="not_planned")
    body = om_request(api, operating, 2027, "2027-04-20")
    assert (body["eligible"], body["reasons"]) == (False, ["ART30-3"])
    basis = [x for x in body["supervision"] if x["fact"] == "deployment"]
    assert basis == [{"fact": "deployment", "value": "self_hosted", "record": f"inventory:{system.pk}",
                      "article": "第三十条第（三）项", "source": basis[0]["source"]}]
    assert "智慧校园平台" in basis[0]["source"] and "自建机房" in basis[0]["source"]
    # once the inventory records the move to the government cloud the next request passes (三)
    InventorySystem.objects.filter(pk=system.pk).update(deployment="gov_cloud", migration_status="migrated")
    assert om_request(api, operating, 2028, "2028-04-20")["reasons"] == []


@pytest.mark.django_db
def test_the_om_tab_offers_the_bureau_its_attestation_and_shows_the_basis(operating, page):
    base = f"/projects/{operating.pk}/delivery"
    with on("2027-03-10"):
        shown = _text(page("bureau", f"{base}/?tab=om"))
        assert "数据共享认定" in shown and "登记认定" in shown
        assert "登记认定" not in _text(page("applicant", f"{base}/?tab=om"))
        assert page("applicant", f"{base}/data-sharing/", {"evidence": "x"}).status_code == 403
        response = page("bureau", f"{base}/data-sharing/", {"evidence": "重复采集户籍信息", "duplicate_collection": "on",
                                                            "shared_as_required": "on", "catalogue": "学籍目录"})
        assert response.status_code == 200 and "数据共享认定已登记：重复采集数据" in _text(response)
        response = page("bureau", f"{base}/data-sharing/", {"shared_as_required": "on"})
        assert response.status_code == 400 and "请写明共享的目录或数据资源" in _text(response)
    with on("2027-04-20"):
        response = page("applicant", f"{base}/om-requests/", {"year": "2027", "amount": "80000",
                                                              "data_sharing_done": "on"})
        text = _text(response)
        assert "第三十条第（一）项：昌吉州数字化发展局数据共享认定" in text and "重复采集户籍信息" in text
        assert "第三十条第（三）项：应用系统台账《智慧校园平台》" in text
    assert OMFundingRequest.objects.get().eligible is False
    assert DataSharingAttestation.objects.get().attested_on == dt.date(2027, 3, 10)


@pytest.mark.django_db
def test_the_inventory_basis_is_shown_once_though_it_decides_two_facts(operating, api, page):
    """The inventory row gives both `deployment` and `special_network_basis` (one text): the stored basis
    keeps both facts for the engine, the finance bureau's decision block reads the line once."""
    body = om_request(api, operating, 2027, "2027-04-20")
    assert [x["fact"] for x in body["supervision"] if x["article"] == "第三十条第（三）项"] == [
        "deployment", "special_network_basis"]
    with on("2027-04-21"):
        text = _text(page("finance", f"/projects/{operating.pk}/delivery/?tab=om"))
    assert "安排金额" in text  # the finance view with the decision form
    assert text.count("第三十条第（三）项：应用系统台账《智慧校园平台》") == 1
