"""O&M funding (Art. 24, 29, 30): each year's request judged by the policy engine, decided by finance."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from tongchou.delivery.facts import om_request_facts
from tongchou.delivery.models import Acceptance, Contract, CryptoAssessment, InventorySystem, OMFundingRequest
from tongchou.projects.models import Project, Status

TZ = dt.timezone(dt.timedelta(hours=8))



@pytest.fixture
def operating(project_in, demo_users):
    """An operating project: accepted, built for 1,000,000, running on the government cloud."""
    project = project_in(Status.OPERATING)
    Project.objects.filter(pk=project.pk).update(construction_cost=1_000_000, annual_om_cost=80_000)
    project.refresh_from_db()
    Contract.objects.create(project=project, kind="development", vendor="某公司", amount=1_000_000,
                            signed_on="2025-05-20", construction_period_months=8, free_om_months=12,
                            ip_to_government=True)
    Acceptance.objects.create(project=project, report="报告", applied_on="2026-04-15", convened_on="2026-04-15",
                              passed=True, conclusion="通过", concluded_on="2026-04-15")
    InventorySystem.objects.create(name="智慧校园平台", purpose="教学管理", owner=project.unit, built_by=project,
                                   deployment="gov_cloud", migration_status="not_required")
    return project


def fake_engine(answer: dict[str, Any]):
    calls: list[dict[str, Any]] = []

    def _assess(facts: dict[str, Any]) -> dict[str, Any]:
        calls.append(facts)
        return answer

    return _assess, calls


@pytest.mark.django_db
def test_the_facts_come_from_the_records(operating):
    CryptoAssessment.objects.create(project=operating, assessed_on="2026-01-12", assessor="某机构", result="failed",
                                    next_due="2027-01-12")
    facts = om_request_facts(operating, amount=90000, data_sharing_done=False, duplicate_data_collection=False,
                             major_security_risk=False, as_of=dt.date(2027, 4, 20))
    assert facts["accepted"] is True
    assert facts["requests_om_funding"] is True
    assert facts["annual_om_cost"] == 90000
    assert facts["crypto_compliant"] is False  # the last 密评 failed
    assert facts["data_sharing_done"] is False
    assert facts["deployment"] == "gov_cloud"  # the inventory's word
    assert facts["construction_cost"] == 1_000_000
    assert facts["free_om_months"] == 12


@pytest.mark.django_db
def test_an_ineligible_request_is_recorded_but_finance_cannot_fund_it(project_in, api, monkeypatch):
    """A project never accepted gets no O&M money (Art. 24)."""
    project = project_in(Status.TRIAL_OPERATION)
    engine, calls = fake_engine({"om_funding": {"eligible": False, "reasons": ["ART24-NOT-ACCEPTED"]}, "findings": [
        {"code": "ART24-NOT-ACCEPTED", "severity": "block", "article": "第二十四条", "message": "未经竣工验收"}]})
    monkeypatch.setattr("tongchou.delivery.services.om.assess", engine)
    status, body = api("applicant", "post", f"/projects/{project.pk}/om-requests", {"year": 2027, "amount": "50000"})
    assert status == 201 and body["eligible"] is False and body["reasons"] == ["ART24-NOT-ACCEPTED"]
    assert calls[0]["accepted"] is False and calls[0]["requests_om_funding"] is True
    status, body = api("finance", "post", f"/projects/{project.pk}/om-requests/{body['id']}/decision", {"approve": True})
    assert status == 400 and "未经竣工验收" in body["detail"] and "第二十四条" in body["article"]
    assert OMFundingRequest.objects.get().status == "submitted"


@pytest.mark.django_db
def test_a_fee_above_the_cap_needs_a_written_justification(operating, api, monkeypatch):
    engine, _ = fake_engine({"om_funding": {"eligible": True, "reasons": []}, "findings": [
        {"code": "ART29-OM-CAP", "severity": "warn", "article": "第二十九条", "message": "超过10%"}]})
    monkeypatch.setattr("tongchou.delivery.services.om.assess", engine)
    status, body = api("applicant", "post", f"/projects/{operating.pk}/om-requests", {"year": 2027, "amount": "150000"})
    assert (status, body["field"], body["article"]) == (400, "justification", "第二十九条")
    assert not OMFundingRequest.objects.exists()
    status, body = api("applicant", "post", f"/projects/{operating.pk}/om-requests",
                       {"year": 2027, "amount": "150000", "justification": "新增全州 60 所学校接入"})
    assert status == 201 and body["cap_exceeded"] is True


@pytest.mark.django_db
def test_only_finance_decides_and_a_refusal_needs_a_reason(operating, api, monkeypatch):
    engine, _ = fake_engine({"om_funding": {"eligible": True, "reasons": []}, "findings": []})
    monkeypatch.setattr("tongchou.delivery.services.om.assess", engine)
    rid = api("applicant", "post", f"/projects/{operating.pk}/om-requests", {"year": 2027, "amount": "80000"})[1]["id"]
    assert api("ndrc", "post", f"/projects/{operating.pk}/om-requests/{rid}/decision", {"approve": True})[0] == 403
    status, body = api("finance", "post", f"/projects/{operating.pk}/om-requests/{rid}/decision", {"approve": False})
    assert (status, body["field"]) == (400, "note")
    status, body = api("finance", "post", f"/projects/{operating.pk}/om-requests/{rid}/decision",
                       {"approve": True, "granted_amount": "70000"})
    assert (body["status"], body["granted_amount"]) == ("approved", "70000.00")
    status, body = api("finance", "post", f"/projects/{operating.pk}/om-requests/{rid}/decision", {"approve": True})
    assert status == 409
    status, body = api("applicant", "post", f"/projects/{operating.pk}/om-requests", {"year": 2027, "amount": "1"})
    assert status == 409


# --- Through the policy engine (assess_facts): each Art. 30 reason -----------------------------------------------


def _request(api, project, **declared):
    with time_machine.travel(dt.datetime(2027, 4, 20, 10, tzinfo=TZ), tick=False):
        status, body = api("applicant", "post", f"/projects/{project.pk}/om-requests",
                           {"year": 2027, "amount": "80000", **declared})
    assert status == 201, body
    return body


@pytest.mark.django_db
def test_engine_an_accepted_compliant_cloud_system_is_eligible(operating, api):
    body = _request(api, operating)
    assert (body["eligible"], body["reasons"]) == (True, [])


@pytest.mark.django_db
def test_engine_art24_not_accepted(operating, api):
    Acceptance.objects.filter(project=operating).update(passed=False)
    Project.objects.filter(pk=operating.pk).update(accepted=False)
    assert _request(api, operating)["reasons"] == ["ART24-NOT-ACCEPTED"]


@pytest.mark.django_db
@pytest.mark.parametrize("declared", [{"data_sharing_done": False}, {"duplicate_data_collection": True}])
def test_engine_art30_1_data_not_shared_or_collected_twice(operating, api, declared):
    assert _request(api, operating, **declared)["reasons"] == ["ART30-1"]


@pytest.mark.django_db
def test_engine_art30_2_failed_crypto_assessment_or_major_risk(operating, api):
    assert _request(api, operating, major_security_risk=True)["reasons"] == ["ART30-2"]
    OMFundingRequest.objects.all().delete()
    CryptoAssessment.objects.create(project=operating, assessed_on="2026-12-01", assessor="某机构", result="failed",
                                    next_due="2027-12-01")
    assert _request(api, operating)["reasons"] == ["ART30-2"]


@pytest.mark.django_db
def test_engine_art30_3_not_on_the_government_cloud(operating, api):
    InventorySystem.objects.filter(built_by=operating).update(deployment="self_hosted")
    assert _request(api, operating)["reasons"] == ["ART30-3"]


@pytest.mark.django_db
def test_engine_art29_cap_warns_and_needs_justification(operating, api):
    with time_machine.travel(dt.datetime(2027, 4, 20, 10, tzinfo=TZ), tick=False):
        status, body = api("applicant", "post", f"/projects/{operating.pk}/om-requests",
                           {"year": 2027, "amount": "100001"})
    assert (status, body["field"]) == (400, "justification")
    body = _request(api, operating, amount="100001", justification="接入学校翻倍")
    assert body["cap_exceeded"] is True and body["eligible"] is True
