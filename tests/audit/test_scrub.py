"""The audit trail masks credentials but keeps business codes readable (ADR 0215)."""

from __future__ import annotations

import json

import pytest

from tests.projects.builders import build_texts
from tongchou.audit.models import AuditEvent
from tongchou.audit.services import audit_record

LEVEL = "SLA-MEMBER-OPINION"


def _json(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


@pytest.mark.django_db
def test_project_code_stays_readable_in_the_audit_trail(client, login):
    login("applicant")
    created = _json(client, "post", "/api/v1/projects", {
        "name": "审计脱敏测试项目", "year": 2025, "construction_cost": "1200000", "project_type": "new",
        "materials": build_texts()})
    assert created.status_code == 201, created.content.decode()[:300]
    event = AuditEvent.objects.filter(event="project.created").latest("id")
    assert event.data["code"] == created.json()["code"] != "***"


@pytest.mark.django_db
def test_service_level_code_stays_readable_in_the_audit_trail(client, login):
    login("bureau")
    changed = _json(client, "put", f"/api/v1/obligations/service-levels/{LEVEL}",
                    {"period": 9, "unit": "working_days", "remind_before": 2})
    assert changed.status_code == 200, changed.content.decode()[:300]
    event = AuditEvent.objects.filter(event="service_level.updated").latest("id")
    assert event.data["code"] == LEVEL


@pytest.mark.django_db
def test_credentials_are_masked_at_any_depth(demo_users):
    event = audit_record(event="test.scrub", actor=demo_users["sysadmin"], data={
        "totp_code": "123456", "otp": "654321", "verification_code": "778899", "new_password": "Xq9#wLm2vR",
        "nested": [{"csrfmiddlewaretoken": "abc", "session_key": "s3ss", "reset_token": "t0k", "code": "ART13-CONSENT"}],
        "code": "XM-2025-0001"})
    blob = json.dumps(event.data, ensure_ascii=False)
    for secret in ("123456", "654321", "778899", "Xq9#wLm2vR", "abc", "s3ss", "t0k"):
        assert secret not in blob
    assert event.data["code"] == "XM-2025-0001" and event.data["nested"][0]["code"] == "ART13-CONSENT"
