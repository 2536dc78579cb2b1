"""POST /api/v1/assessments: the same engine and input model over HTTP."""

from __future__ import annotations

import json

import pytest

from tests.policy.builders import facts

URL = "/api/v1/assessments"


def post(client, body, **query):
    data = body if isinstance(body, (str, bytes)) else json.dumps(body, ensure_ascii=False)
    url = URL + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")
    return client.post(url, data=data, content_type="application/json")


@pytest.mark.django_db
def test_anonymous_callers_are_refused(client):
    response = post(client, facts())
    assert response.status_code == 401
    assert response.json()["detail"] == "请先登录"


@pytest.mark.django_db
def test_a_logged_in_user_gets_the_assessment(client, login):
    login("applicant")
    response = post(client, facts(construction_cost=3200000))
    assert response.status_code == 200
    body = response.json()
    assert body["review_path"] == "joint_review"
    assert body["ruleset"]["id"] == "changji-2025-trial"
    assert body["receipt"]["ruleset_sha256"]
    assert body["findings"] == []


@pytest.mark.django_db
def test_decimal_money_is_exact_over_http(client, login):
    login("reviewer")
    body = post(client, '{"name":"a","unit":"b","application_date":"2025-06-01","project_type":"new",'
                        '"construction_cost":0.7,"annual_om_cost":0.07}').json()
    assert not [f for f in body["findings"] if f["code"] == "ART29-OM-CAP"]
    body = post(client, facts(construction_cost=500000.0)).json()
    assert [f["code"] for f in body["findings"] if f["code"] == "ART17-BOUNDARY"]


@pytest.mark.django_db
def test_invalid_facts_answer_422_naming_each_field(client, login):
    login("applicant")
    response = post(client, facts(construction_cost=-1, application_date="2025-02-30", classified=0, typo=1,
                                  exception={"legal_basis": "x", "superior_consent": True, "extra": 1}))
    assert response.status_code == 422
    body = response.json()
    fields = {e["field"] for e in body["errors"]}
    assert fields == {"construction_cost", "application_date", "classified", "typo", "exception.extra"}
    assert all(e["message"] for e in body["errors"])
    assert body["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("body", ["{not json", "[1, 2]", '"text"', "", "NaN"])
def test_a_body_that_is_not_one_object_answers_422(client, login, body):
    login("applicant")
    response = post(client, body)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "请求体"


@pytest.mark.django_db
def test_what_if_with_a_forced_rule_set(client, login):
    login("applicant")
    response = post(client, facts(application_date="2026-03-01"), ruleset="changji-2025-trial")
    assert response.status_code == 200
    assert response.json()["ruleset"]["in_force"] is False
    response = post(client, facts(), ruleset="nope")
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "ruleset"


@pytest.mark.django_db
def test_http_and_python_agree(client, login):
    from tongchou.policy import assess_facts

    login("applicant")
    sample = facts(deployment="self_hosted", approval_date="2025-03-01", requests_om_funding=True,
                   annual_om_cost=120000.5)
    assert post(client, sample).json() == json.loads(json.dumps(assess_facts(sample)))


@pytest.mark.django_db
def test_the_endpoint_is_in_the_openapi_schema(client, login):
    login("applicant")
    schema = client.get("/api/v1/openapi.json").json()
    assert "post" in schema["paths"]["/api/v1/assessments"]


@pytest.mark.django_db
def test_an_oversized_body_is_refused(client, login, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    login("applicant")
    response = post(client, facts(name="项" * 2000))
    assert response.status_code == 413
    assert "过大" in response.json()["detail"]
