"""The same Idempotency-Key twice creates one object (SECURITY.md, "Nothing lost")."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command

from tests.delivery.conftest import approved_project, project_in  # noqa: F401  (fixtures)
from tests.experts.conftest import clock, joint_payload, pool  # noqa: F401  (fixtures)
from tests.experts.conftest import project as review_project  # noqa: F401  (fixture)
from tests.reviews.helpers import COMMENTS
from tongchou.audit.models import AuditEvent
from tongchou.delivery.models import Contract
from tongchou.experts.models import Draw
from tongchou.idempotency.models import IdempotencyRecord
from tongchou.projects.models import Project

T0 = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
PROJECT = {"name": "全州教育资源公共服务平台", "year": 2025, "construction_cost": "1200000", "project_type": "new"}


def post(client, url, body, key=None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return client.post(url, data=json.dumps(body), content_type="application/json", **headers)


@pytest.mark.django_db
def test_a_repeated_project_create_returns_the_first_answer_and_creates_nothing(client, login):
    login("applicant")
    first = post(client, "/api/v1/projects", PROJECT, key="4b1c-create-1")
    assert first.status_code == 201, first.content.decode()
    again = post(client, "/api/v1/projects", PROJECT, key="4b1c-create-1")
    assert again.status_code == 201
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Project.objects.filter(name=PROJECT["name"]).count() == 1


@pytest.mark.django_db
def test_the_same_key_with_another_body_is_refused_in_chinese(client, login):
    login("applicant")
    assert post(client, "/api/v1/projects", PROJECT, key="k-2").status_code == 201
    other = post(client, "/api/v1/projects", {**PROJECT, "name": "另一个项目"}, key="k-2")
    assert other.status_code == 422
    assert other.json()["field"] == "Idempotency-Key"
    assert "另一个不同的请求" in other.json()["detail"]
    assert not Project.objects.filter(name="另一个项目").exists()


@pytest.mark.django_db
def test_without_a_key_every_post_creates_and_keys_are_per_user(client, login):
    login("applicant")
    assert post(client, "/api/v1/projects", PROJECT).status_code == 201
    assert post(client, "/api/v1/projects", PROJECT).status_code == 201
    assert post(client, "/api/v1/projects", PROJECT, key="shared").status_code == 201
    client.logout()
    login("leader")  # same unit, another person: the key is theirs, not the applicant's
    response = post(client, "/api/v1/projects", PROJECT, key="shared")
    assert response.status_code in (201, 403)
    assert "Idempotent-Replayed" not in response
    assert Project.objects.filter(name=PROJECT["name"]).count() == 3 + (response.status_code == 201)


@pytest.mark.django_db
def test_a_refused_first_attempt_stores_nothing_and_may_be_retried_with_the_key(client, login):
    login("applicant")
    bad = post(client, "/api/v1/projects", {**PROJECT, "year": "明年"}, key="retry-1")
    assert bad.status_code == 422
    assert not IdempotencyRecord.objects.exists()
    good = post(client, "/api/v1/projects", PROJECT, key="retry-1")
    assert good.status_code == 201


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", " ", "x" * 201, "bad\nkey"])
def test_a_malformed_key_is_refused(client, login, key):
    login("applicant")
    response = post(client, "/api/v1/projects", PROJECT, key=key)
    assert response.status_code == 422
    assert "幂等键" in response.json()["detail"]
    assert not Project.objects.filter(name=PROJECT["name"]).exists()


@pytest.mark.django_db
def test_the_same_key_twice_registers_one_contract(client, demo_users, project_in):  # noqa: F811
    project = project_in("procurement")
    client.force_login(demo_users["applicant"])
    body = {"kind": "development", "vendor": "某公司", "amount": "100", "signed_on": "2025-05-20",
            "construction_period_months": 6, "free_om_months": 12, "ip_to_government": True}
    url = f"/api/v1/delivery/projects/{project.pk}/contracts"
    first = post(client, url, body, key="contract-1")
    assert first.status_code == 201, first.content.decode()
    assert post(client, url, body, key="contract-1").json() == first.json()
    assert Contract.objects.filter(project=project).count() == 1


@pytest.mark.django_db
def test_the_same_key_twice_records_one_milestone(client, demo_users, project_in):  # noqa: F811
    from tongchou.delivery.models import Milestone

    project = project_in("implementation")
    client.force_login(demo_users["applicant"])
    url = f"/api/v1/delivery/projects/{project.pk}/milestones"
    body = {"name": "需求确认", "planned_on": "2025-06-30"}
    first = post(client, url, body, key="milestone-1")
    assert first.status_code == 201, first.content.decode()
    assert post(client, url, body, key="milestone-1").json() == first.json()
    assert Milestone.objects.filter(project=project).count() == 1


def test_every_create_route_takes_an_idempotency_key():
    """SECURITY.md: idempotency keys on API writes that create things. A POST answering 201 creates; file
    uploads included (their digest: ADR 0225, tests/security/test_upload_idempotency.py)."""
    from tongchou.api.urls import api

    creates, missing = set(), []
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                if "POST" in operation.methods and 201 in operation.response_models:
                    route = ("/" + prefix.strip("/") + path).replace("//", "/")
                    creates.add(route)
                    if not getattr(operation.run, "idempotent", False):
                        missing.append(route)
    assert not missing, f"create routes without @decorate_view(idempotent): {missing}"
    assert {"/projects/{int:project_id}/attachments", "/reports/ruleset-drafts"} <= creates  # uploads are seen
    assert len(creates) > 20


@pytest.mark.django_db
def test_the_same_key_twice_prepares_one_draw(client, login, pool, review_project):  # noqa: F811
    login("bureau")
    first = post(client, "/api/v1/experts/draws", joint_payload(review_project), key="draw-1")
    assert first.status_code == 201, first.content.decode()
    again = post(client, "/api/v1/experts/draws", joint_payload(review_project), key="draw-1")
    assert again.json()["id"] == first.json()["id"]
    assert Draw.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_twice_records_one_opinion(client, demo_users):
    import io

    from django.core.management import call_command

    from tongchou.reviews.models import Opinion, OpinionTask

    call_command("demo", stdout=io.StringIO())
    task = next(t for t in OpinionTask.objects.filter(opinion__isnull=True).select_related("round")
                if t.member != "digital_bureau")
    writer = {"crypto_bureau": "crypto", "public_security": "police", "development_reform": "ndrc",
              "finance": "finance"}[task.member]
    client.force_login(demo_users[writer])
    body = {"conclusion": "agree", "comments": COMMENTS[task.member]}
    url = f"/api/v1/reviews/tasks/{task.pk}/opinion"
    first = post(client, url, body, key="opinion-1")
    assert first.status_code == 200, first.content.decode()
    again = post(client, url, body, key="opinion-1")
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert Opinion.objects.filter(task=task).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_with_one_key_create_one_project(demo_users):
    """The second waits on the unique key and then receives the first's answer (PostgreSQL row locks)."""
    import threading

    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need the PostgreSQL server (SQLite serialises the whole database)")
    barrier, answers = threading.Barrier(2), []

    def send() -> None:
        try:
            client = Client()
            client.force_login(demo_users["applicant"])
            barrier.wait()
            answers.append(post(client, "/api/v1/projects", PROJECT, key="race-1"))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(a.status_code for a in answers) == [201, 201]
    assert answers[0].json()["id"] == answers[1].json()["id"]
    assert Project.objects.filter(name=PROJECT["name"]).count() == 1


# --- retention (ADR 0151): a stored answer is kept IDEMPOTENCY_RETENTION_HOURS, then purged ---------------

@pytest.mark.django_db
def test_an_expired_key_is_purged_and_its_replay_creates_anew_while_a_fresh_key_survives(client, login, settings):
    settings.IDEMPOTENCY_RETENTION_HOURS = 24
    with time_machine.travel(T0, tick=False) as frozen:
        login("applicant")
        old = post(client, "/api/v1/projects", PROJECT, key="old-1")
        assert old.status_code == 201
        frozen.shift(dt.timedelta(hours=23, minutes=59))
        login("applicant")  # a new session: the first one has timed out meanwhile
        assert post(client, "/api/v1/projects", PROJECT, key="old-1")["Idempotent-Replayed"] == "true"
        fresh = post(client, "/api/v1/projects", {**PROJECT, "name": "新近的项目"}, key="fresh-1")
        assert fresh.status_code == 201

        frozen.shift(dt.timedelta(minutes=2))  # old-1 is now 24 h 1 min old, fresh-1 two minutes
        out = io.StringIO()
        call_command("idempotency", "purge", stdout=out)
        assert "已删除 1 条" in out.getvalue() and "24 小时" in out.getvalue()
        assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["fresh-1"]
        event = AuditEvent.objects.get(event="idempotency.purged")
        assert event.data["deleted"] == 1 and event.actor_name == "cli"

        login("applicant")
        again = post(client, "/api/v1/projects", PROJECT, key="old-1")
        assert again.status_code == 201 and "Idempotent-Replayed" not in again
        assert again.json()["id"] != old.json()["id"]
        assert Project.objects.filter(name=PROJECT["name"]).count() == 2
        replay = post(client, "/api/v1/projects", {**PROJECT, "name": "新近的项目"}, key="fresh-1")
        assert replay["Idempotent-Replayed"] == "true" and replay.json()["id"] == fresh.json()["id"]


@pytest.mark.django_db
def test_an_expired_key_counts_as_unused_even_before_the_purge_runs(client, login, settings):
    """Behaviour does not depend on how often the worker purges: expiry is checked when the key is used."""
    settings.IDEMPOTENCY_RETENTION_HOURS = 2
    with time_machine.travel(T0, tick=False) as frozen:
        login("applicant")
        first = post(client, "/api/v1/projects", PROJECT, key="k-exp")
        frozen.shift(dt.timedelta(hours=2, seconds=1))
        login("applicant")
        other_body = post(client, "/api/v1/projects", {**PROJECT, "name": "换了内容"}, key="k-exp")
        assert other_body.status_code == 201  # no 422: the old request is forgotten
        assert other_body.json()["id"] != first.json()["id"]
        assert IdempotencyRecord.objects.get(key="k-exp").created_at == T0 + dt.timedelta(hours=2, seconds=1)
        assert post(client, "/api/v1/projects", {**PROJECT, "name": "换了内容"},
                    key="k-exp")["Idempotent-Replayed"] == "true"


@pytest.mark.django_db
def test_a_purge_with_nothing_expired_deletes_nothing_and_audits_nothing(client, login):
    login("applicant")
    assert post(client, "/api/v1/projects", PROJECT, key="young").status_code == 201
    out = io.StringIO()
    call_command("idempotency", "purge", stdout=out)
    assert "已删除 0 条" in out.getvalue()
    assert IdempotencyRecord.objects.count() == 1
    assert not AuditEvent.objects.filter(event="idempotency.purged").exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_purges_expired_keys_on_its_periodic_sweep(demo_users, settings):
    from django.test import Client

    settings.IDEMPOTENCY_RETENTION_HOURS = 24
    with time_machine.travel(dt.datetime.now(dt.UTC) - dt.timedelta(days=2), tick=False):
        client = Client()
        client.force_login(demo_users["applicant"])
        assert post(client, "/api/v1/projects", PROJECT, key="stale").status_code == 201
    client = Client()
    client.force_login(demo_users["applicant"])
    assert post(client, "/api/v1/projects", PROJECT, key="current").status_code == 201
    call_command("worker", "--batch", "--interval", "0")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["current"]
    assert AuditEvent.objects.get(event="idempotency.purged").actor_name == "system"


@pytest.mark.parametrize("raw", ["0", "-3", "一天", "1.5"])
def test_a_bad_retention_setting_stops_the_start_with_a_chinese_message(monkeypatch, raw):
    from tongchou.config.settings import _env_positive_int

    monkeypatch.setenv("IDEMPOTENCY_RETENTION_HOURS", raw)
    with pytest.raises(ImproperlyConfigured, match="IDEMPOTENCY_RETENTION_HOURS 应为正整数"):
        _env_positive_int("IDEMPOTENCY_RETENTION_HOURS", 24)
    monkeypatch.setenv("IDEMPOTENCY_RETENTION_HOURS", " 48 ")
    assert _env_positive_int("IDEMPOTENCY_RETENTION_HOURS", 24) == 48
