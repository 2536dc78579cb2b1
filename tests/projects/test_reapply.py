"""重新申报 (Art. 26; also after 不予支持 and 撤回): a new draft with the old application's facts and
texts, linked both ways, assessed under today's rule set; the old project untouched; once only."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading
from decimal import Decimal
from pathlib import Path

import pytest
import time_machine
from django.db import connection

from tests.projects.builders import build_texts, make_project, submitted_project
from tongchou.audit.models import AuditEvent
from tongchou.lifecycle.services import project_transition
from tongchou.obligations.services import obligation_create
from tongchou.obligations.sweep import obligations_sweep
from tongchou.projects.attachments import attachment_add
from tongchou.projects.models import Project, ProjectAssessment

pytestmark = pytest.mark.django_db

REVISED_DIR = Path(__file__).resolve().parents[1] / "policy" / "rulesets"  # changji-2026-revised-test


def post(client, url, body=None, **headers):
    return client.post(url, json.dumps(body or {}), content_type="application/json", **headers)


@pytest.fixture
def lapsed(demo_users, calendar_seeded):
    """Applied and assessed in March 2025 under the trial rule set, approved, procurement never started:
    the worker's sweep lapses it the day after the anniversary (Art. 26), as in tests/obligations."""
    applicant = demo_users["applicant"]
    with time_machine.travel("2025-03-01 10:00 +0800", tick=False):
        project = submitted_project(applicant, name="全州教育资源公共服务平台", construction_cost=Decimal("1200000"),
                                    free_om_months=36, construction_period_months=12)
    # The review and the 立项批复 are other domains' business; as tests/obligations does, jump to approved.
    Project.objects.filter(pk=project.pk).update(status="approved", approval_date=dt.date(2025, 3, 1))
    obligation_create(project=project, code="ART26-PROCUREMENT-DEADLINE", title="1 年内启动政府采购",
                      article="第二十六条", due_date=dt.date(2026, 3, 1))
    with time_machine.travel("2026-03-02 02:00 +0800", tick=False):
        obligations_sweep(as_of=dt.date(2026, 3, 2))
    project.refresh_from_db()
    assert project.status == "lapsed"
    return project


@pytest.fixture
def calendar_seeded(db):
    from tongchou.calendar.services import calendar_seed

    calendar_seed()


@pytest.fixture
def now_2026(rulesets_dir):
    """10 March 2026, with the revised rule set (in force from 17 January 2026) registered."""
    rulesets_dir(REVISED_DIR)
    with time_machine.travel("2026-03-10 10:00 +0800", tick=False):
        yield


def test_a_lapsed_project_is_re_applied_as_a_new_draft_linked_both_ways(client, login, lapsed, now_2026):
    before = Project.objects.get(pk=lapsed.pk)
    old_assessment = ProjectAssessment.objects.filter(project=lapsed).latest("id")
    assert old_assessment.ruleset_id == "changji-2025-trial"
    login("applicant")
    offered = client.get(f"/api/v1/projects/{lapsed.pk}/actions").json()["actions"]
    assert [(a["action"], a["article"], a.get("creates_project")) for a in offered] == [
        ("reapply", "第二十六条", True)]

    response = post(client, f"/api/v1/projects/{lapsed.pk}/reapply")
    assert response.status_code == 201, response.content.decode()
    body = response.json()
    new = Project.objects.get(pk=body["id"])
    assert new.code != lapsed.code and new.code.startswith("CJ-2026-")  # the unit's next code, budget year 2026
    assert (new.status, new.year, new.unit_id, new.supersedes_id) == ("draft", 2026, lapsed.unit_id, lapsed.pk)
    # the application's facts and Art. 10 texts are copied; the old project's course is not
    assert (new.name, new.construction_cost, new.free_om_months, new.construction_period_months) == (
        "全州教育资源公共服务平台", Decimal("1200000.00"), 36, 12)
    assert new.approval_date is None and new.application_date is None and new.submitted_at is None
    assert body["materials"] == {k: v for k, v in build_texts().items()}
    assert body["lineage"]["supersedes"] == {"id": lapsed.pk, "code": lapsed.code, "status": "lapsed",
                                             "reason": "原项目因第二十六条失效", "article": "第二十六条"}
    # assessed at once under the rule set in force now, not the one the old application had
    assert body["assessment"]["ruleset_id"] == "changji-2026-revised-test"
    stored = ProjectAssessment.objects.get(project=new)
    assert stored.purpose == "reapply" and stored.facts["as_of"] == "2026-03-10"
    old = client.get(f"/api/v1/projects/{lapsed.pk}").json()
    assert old["lineage"]["superseded_by"] == {"id": new.pk, "code": new.code, "status": "draft"}

    # the old project is untouched: same status, version and assessment; one event on its timeline
    after = Project.objects.get(pk=lapsed.pk)
    assert (after.status, after.version, after.updated_at) == (before.status, before.version, before.updated_at)
    assert ProjectAssessment.objects.filter(project=lapsed).latest("id").pk == old_assessment.pk
    event = AuditEvent.objects.get(event="project.reapplied", target_id=str(lapsed.pk))
    assert event.data["successor"] == new.code and event.data["article"] == "第二十六条"
    created = AuditEvent.objects.get(event="project.created", target_id=str(new.pk))
    assert created.data["supersedes"] == lapsed.code
    made = AuditEvent.objects.get(event="project.reapply_created", target_id=str(new.pk))
    assert made.data["ruleset"] == "changji-2026-revised-test" and made.data["reason"] == "原项目因第二十六条失效"

    new_page = client.get(f"/projects/{new.pk}/").content.decode()
    assert f"由 <a href=\"/projects/{lapsed.pk}/\">{lapsed.code}</a> 重新申报（原项目因第二十六条失效）" in new_page
    old_page = client.get(f"/projects/{lapsed.pk}/").content.decode()
    assert f"已重新申报为 <a href=\"/projects/{new.pk}/\">{new.code}</a>" in old_page
    assert "确认以本项目为基础重新申报" not in old_page  # once only: the button is gone


def test_a_second_re_application_is_refused_in_chinese(client, login, lapsed, now_2026):
    login("applicant")
    first = post(client, f"/api/v1/projects/{lapsed.pk}/reapply").json()
    again = post(client, f"/api/v1/projects/{lapsed.pk}/reapply")
    assert again.status_code == 409
    assert again.json()["code"] == "already_reapplied"
    assert f"已重新申报为 {first['code']}，不能再次重新申报" in again.json()["detail"]
    assert Project.objects.filter(supersedes=lapsed).count() == 1
    assert Project.objects.count() == 2
    assert not client.get(f"/api/v1/projects/{lapsed.pk}/actions").json()["actions"]


def test_the_same_idempotency_key_replays_the_new_draft(client, login, lapsed, now_2026):
    login("applicant")
    first = post(client, f"/api/v1/projects/{lapsed.pk}/reapply", HTTP_IDEMPOTENCY_KEY="reapply-1")
    replay = post(client, f"/api/v1/projects/{lapsed.pk}/reapply", HTTP_IDEMPOTENCY_KEY="reapply-1")
    assert first.status_code == replay.status_code == 201
    assert replay["Idempotent-Replayed"] == "true" and replay.json()["code"] == first.json()["code"]
    assert Project.objects.filter(supersedes=lapsed).count() == 1


def test_another_unit_cannot_re_apply_and_the_bureau_may_not_either(client, login, lapsed, now_2026):
    login("applicant2")
    assert post(client, f"/api/v1/projects/{lapsed.pk}/reapply").status_code == 404
    assert client.post(f"/projects/{lapsed.pk}/reapply/", {"confirm": "yes"}).status_code == 404
    login("bureau")  # sees the project, but applying is the construction unit's (Art. 9, 10)
    refused = post(client, f"/api/v1/projects/{lapsed.pk}/reapply")
    assert refused.status_code == 403 and "项目建设单位" in refused.json()["detail"]
    assert "reapply" not in {a["action"] for a in client.get(f"/api/v1/projects/{lapsed.pk}/actions").json()["actions"]}
    assert not Project.objects.filter(supersedes=lapsed).exists()


def test_a_draft_or_an_active_project_offers_no_re_application(client, login, demo_users):
    applicant = demo_users["applicant"]
    draft = submitted_project(applicant)
    Project.objects.filter(pk=draft.pk).update(status="draft")
    active = submitted_project(applicant, name="州教育局实施中项目")
    Project.objects.filter(pk=active.pk).update(status="implementation")
    login("applicant")
    for project in (draft, active):
        actions = client.get(f"/api/v1/projects/{project.pk}/actions").json()["actions"]
        assert "reapply" not in {a["action"] for a in actions}
        refused = post(client, f"/api/v1/projects/{project.pk}/reapply")
        assert refused.status_code == 409 and refused.json()["code"] == "invalid_state"
        assert "不能重新申报" in refused.json()["detail"] and refused.json()["article"] == "第二十六条"
        assert "确认以本项目为基础重新申报" not in client.get(f"/projects/{project.pk}/").content.decode()
    assert not Project.objects.filter(supersedes__isnull=False).exists()


def test_a_withdrawn_project_is_re_applied_from_its_page_after_confirmation(client, login, demo_users):
    applicant = demo_users["applicant"]
    project = make_project(applicant)
    attachment_add(project=project, actor=applicant, material="feasibility_study",
                   upload=io.BytesIO(b"%PDF-1.7\n%%EOF\n"), filename="可研.pdf")
    project_transition(project=project, action="withdraw", actor=applicant)
    login("applicant")
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "原项目已撤回（第九条）" in page and "确认以本项目为基础重新申报" in page
    unconfirmed = client.post(f"/projects/{project.pk}/reapply/", {}, follow=True)
    assert "请勾选" in unconfirmed.content.decode()
    assert not Project.objects.filter(supersedes=project).exists()
    response = client.post(f"/projects/{project.pk}/reapply/", {"confirm": "yes"})
    new = Project.objects.get(supersedes=project)
    assert response.status_code == 302 and response["Location"] == f"/projects/{new.pk}/edit/"
    assert "由 <a" in client.get(f"/projects/{new.pk}/").content.decode()
    new_page = client.get(f"/projects/{new.pk}/").content.decode()
    assert "原项目已撤回" in new_page and "原项目的附件未复制" in new_page
    assert not new.attachments.exists() and project.attachments.count() == 1  # the file stays with its project


def test_a_not_supported_project_may_be_re_applied_and_the_decide_route_points_to_reapply(client, login,
                                                                                        demo_users):
    project = submitted_project(demo_users["applicant"])
    project_transition(project=project, action="reject", actor=demo_users["bureau"], note="技术路线落后（第十二条）")
    login("applicant")
    wrong = post(client, f"/api/v1/projects/{project.pk}/actions/reapply")
    assert wrong.status_code == 400 and wrong.json()["code"] == "use_domain_service"
    assert f"/api/v1/projects/{project.pk}/reapply" in wrong.json()["detail"]
    done = post(client, f"/api/v1/projects/{project.pk}/reapply")
    assert done.status_code == 201
    assert done.json()["lineage"]["supersedes"]["reason"] == "原项目不予支持"
    assert done.json()["lineage"]["supersedes"]["article"] == "第十二条"


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor == "sqlite", reason="SQLite serialises writers; the race needs PostgreSQL")
def test_two_re_applications_at_once_make_exactly_one_draft(demo_users):
    """The old project's row lock queues the second; it then finds the successor and is refused."""
    from django.db import connections

    from tongchou.core_errors import Conflict
    from tongchou.projects.reapply import project_reapply

    applicant, leader = demo_users["applicant"], demo_users["leader"]
    project = make_project(applicant)
    project_transition(project=project, action="withdraw", actor=applicant)
    outcomes: list[str] = []
    barrier = threading.Barrier(2)

    def worker(actor) -> None:
        try:
            barrier.wait()
            project_reapply(project=project, actor=actor)
            outcomes.append("created")
        except Conflict as refused:
            outcomes.append(refused.code)
        except BaseException as exc:  # noqa: BLE001
            outcomes.append(repr(exc))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(who,)) for who in (applicant, leader)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["already_reapplied", "created"]
    assert Project.objects.filter(supersedes=project).count() == 1
