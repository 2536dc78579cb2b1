"""Every kind of action SECURITY.md names writes an audit event with actor, role, organisation, address and
request id — and no event ever holds a password, a TOTP code, a session key or a CSRF token."""

from __future__ import annotations

import datetime as dt
import io
import json

import pyotp
import pytest
import time_machine
from django.core.management import call_command
from django.test import Client

from tests.projects.builders import build_texts
from tongchou.accounts.models import User
from tongchou.audit.models import AuditEvent
from tongchou.projects.models import Project

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\n%%EOF\n"
NEW_PASSWORD = "Xq9#wLm2vR"
WRONG_PASSWORD = "Wrong-Pass7!"
T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)

# event kind (SECURITY.md) -> the audit event names that count for it
KINDS = {
    "login ok": {"auth.login"},
    "login failed": {"auth.login_failed"},
    "lockout": {"auth.locked_out"},
    "logout": {"auth.logout"},
    "password change": {"account.password_changed"},
    "role change": {"account.role_changed"},
    "account change": {"account.updated", "account.disabled", "account.created"},
    "workflow transition": {"project.submit"},
    "budget edit": {"reviews.budget_record"},
    "upload": {"project.attachment_uploaded"},
    "download": {"project.attachment_downloaded"},
    "export": {"expert.exported"},
    "personal-data view": {"expert.personal_data_viewed"},
    "configuration change": {"service_level.updated", "calendar.day_set"},
}
NO_ACTOR = {"auth.login_failed", "auth.locked_out"}  # no authenticated actor: the name tried is kept


def _json(client, method, url, body):
    return getattr(client, method)(url, data=json.dumps(body), content_type="application/json")


def _logged_in(username: str, password: str, secret: str | None = None) -> Client:
    client = Client(REMOTE_ADDR="10.8.0.7")
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content.decode()[:300]
    if secret is not None:
        assert client.post("/accounts/otp/", {"code": pyotp.TOTP(secret).now()}).status_code == 302
    return client


@pytest.mark.django_db
def test_each_kind_of_action_is_audited_with_who_where_and_no_secrets(demo_users, demo_password, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", stdout=io.StringIO())
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    secrets = {demo_password, NEW_PASSWORD, WRONG_PASSWORD}
    with time_machine.travel(T0, tick=True) as clock:
        # login failed ×5 → lockout
        stranger = Client(REMOTE_ADDR="10.8.0.9")
        for _ in range(5):
            stranger.post("/accounts/login/", {"username": "leader", "password": WRONG_PASSWORD})
        # login, password change, logout
        applicant = _logged_in("applicant", demo_password)
        secrets.add(applicant.cookies["sessionid"].value)
        changed = applicant.post("/accounts/password/", {"old_password": demo_password, "new_password1": NEW_PASSWORD,
                                                         "new_password2": NEW_PASSWORD})
        assert changed.status_code == 302, changed.content.decode()[:500]
        applicant = _logged_in("applicant", NEW_PASSWORD)
        # upload, download, workflow transition
        created = _json(applicant, "post", "/api/v1/projects", {
            "name": "审计覆盖测试项目", "year": 2025, "construction_cost": "1200000", "project_type": "new",
            "materials": build_texts()})
        assert created.status_code == 201, created.content.decode()[:300]
        draft = Project.objects.get(pk=created.json()["id"])
        from django.core.files.uploadedfile import SimpleUploadedFile

        up = applicant.post(f"/api/v1/projects/{draft.pk}/attachments",
                            {"material": "feasibility_study", "file": SimpleUploadedFile("方案.pdf", PDF)})
        assert up.status_code == 201, up.content.decode()
        assert applicant.get(f"/api/v1/projects/{draft.pk}/attachments/{up.json()['id']}").status_code == 200
        submitted = _json(applicant, "post", f"/api/v1/projects/{draft.pk}/submit", {})
        assert submitted.status_code in (200, 201), submitted.content.decode()[:300]
        assert applicant.post("/accounts/logout/").status_code == 302

        # admins: TOTP, role change, account change, configuration change
        for name in ("sysadmin", "secadmin"):
            User.objects.filter(username=name).update(totp_secret=pyotp.random_base32(),
                                                      totp_confirmed_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
        sys_secret = User.objects.get(username="sysadmin").totp_secret
        sec_secret = User.objects.get(username="secadmin").totp_secret
        secrets |= {sys_secret, sec_secret, pyotp.TOTP(sys_secret).now(), pyotp.TOTP(sec_secret).now()}
        secadmin = _logged_in("secadmin", demo_password, sec_secret)
        reviewer_pk = demo_users["reviewer"].pk
        assert secadmin.post(f"/accounts/manage/users/{reviewer_pk}/role/", {"role": "bureau_lead"}).status_code == 302
        clock.shift(dt.timedelta(seconds=31))
        sysadmin = _logged_in("sysadmin", demo_password, sys_secret)
        secrets.add(pyotp.TOTP(sys_secret).now())
        assert sysadmin.post(f"/accounts/manage/users/{demo_users['countyapp'].pk}/disable/").status_code == 302
        level = _json(sysadmin, "put", "/api/v1/obligations/service-levels/supplement_answer",
                      {"days": 12, "day_kind": "working"})
        day = _json(sysadmin, "put", "/api/v1/calendar/days", {"date": "2026-12-31", "kind": "holiday",
                                                                "name": "测试假日"})
        assert level.status_code < 300 or day.status_code < 300, (level.content, day.content)

        # budget edit (finance), export and personal-data view (bureau)
        finance = _logged_in("finance", demo_password)
        approved = Project.objects.filter(status="approved").first()
        budget = _json(finance, "post", f"/api/v1/reviews/projects/{approved.pk}/budget",
                       {"year": approved.year, "amount": "100000", "source": "prefecture_fiscal"})
        assert budget.status_code == 200, budget.content.decode()[:300]
        bureau = _logged_in("bureau", demo_password)
        assert bureau.get("/api/v1/experts/pool/export.xlsx").status_code == 200
        from tongchou.experts.models import Expert

        assert bureau.get(f"/api/v1/experts/pool/{Expert.objects.first().pk}/contact").status_code == 200

    events = list(AuditEvent.objects.filter(id__gt=before))
    names = {e.event for e in events}
    missing = [kind for kind, wanted in KINDS.items() if not wanted & names]
    assert not missing, f"no audit event for: {missing}"
    incomplete = []
    for e in events:
        if not e.request_id or not e.client_address:
            incomplete.append(f"{e.event}: no request id/address")
        if e.event in NO_ACTOR:
            continue
        if not (e.actor_id and e.actor_role and (e.actor_org or e.actor_role == "expert")):
            incomplete.append(f"{e.event}: actor {e.actor_name!r} role {e.actor_role!r} org {e.actor_org!r}")
    assert not incomplete, "\n".join(incomplete)
    leaked = []
    for e in events:
        blob = json.dumps([e.data, e.target_label, e.actor_name], ensure_ascii=False)
        leaked += [f"{e.event} holds {s[:4]}…" for s in secrets if s and s in blob]
    assert not leaked, leaked
