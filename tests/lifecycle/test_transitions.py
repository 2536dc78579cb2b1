from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import close_old_connections, connection

from tongchou.accounts.models import Organisation
from tongchou.audit.models import AuditEvent
from tongchou.core_errors import Conflict, DomainError
from tongchou.lifecycle.docs import lifecycle_markdown
from tongchou.lifecycle.guards import _GUARDS, register_guard
from tongchou.lifecycle.models import ProjectTransition
from tongchou.lifecycle.services import project_transition
from tongchou.projects.models import Project, Status


@pytest.fixture
def project(demo_users):
    unit = Organisation.objects.get(code="cj-edu")
    return Project.objects.create(code="CJ-2025-9001", name="州教育局智慧校园平台", unit=unit, year=2025)


@pytest.fixture
def clean_guards():
    saved = {k: list(v) for k, v in _GUARDS.items()}
    yield
    _GUARDS.clear()
    _GUARDS.update(saved)


def test_docs_lifecycle_md_is_generated_from_the_table():
    """The diagram in docs/ is the table's own output, not a drawing that can drift."""
    path = Path(__file__).resolve().parents[2] / "docs" / "lifecycle.md"
    assert path.read_text(encoding="utf-8") == lifecycle_markdown()


@pytest.mark.django_db
def test_the_unit_submits_and_the_step_is_in_the_timeline_and_audit_log(project, demo_users):
    done = project_transition(project=project, action="submit", actor=demo_users["applicant"])
    assert done.status == Status.SUBMITTED
    assert done.version == 2
    step = ProjectTransition.objects.get(project=project)
    assert (step.from_status, step.to_status, step.article) == ("draft", "submitted", "第九条、第十条")
    event = AuditEvent.objects.filter(event="project.submit").latest("id")
    assert event.target_id == str(project.pk)
    assert event.data["to"] == "submitted"


@pytest.mark.django_db
def test_another_unit_may_not_submit(project, demo_users):
    with pytest.raises(DomainError) as refused:
        project_transition(project=project, action="submit", actor=demo_users["applicant2"])
    assert refused.value.status == 403
    assert "无权" in refused.value.message
    assert Project.objects.get(pk=project.pk).status == Status.DRAFT


@pytest.mark.django_db
def test_a_county_bureau_is_not_the_authority_for_a_prefecture_project(project, demo_users):
    project_transition(project=project, action="submit", actor=demo_users["applicant"])
    with pytest.raises(DomainError):
        project_transition(project=project, action="start_review", actor=demo_users["county"])
    done = project_transition(project=project, action="start_review", actor=demo_users["reviewer"])
    assert done.status == Status.UNDER_REVIEW


@pytest.mark.django_db
def test_an_action_from_the_wrong_state_names_the_state_and_article(project, demo_users):
    with pytest.raises(Conflict) as refused:
        project_transition(project=project, action="file", actor=demo_users["applicant"])
    assert "草稿" in refused.value.message
    assert refused.value.article == "第十八条"


@pytest.mark.django_db
def test_a_stale_version_is_refused(project, demo_users):
    with pytest.raises(Conflict, match="已被他人修改"):
        project_transition(project=project, action="submit", actor=demo_users["applicant"], expected_version=7)


@pytest.mark.django_db
def test_a_failing_guard_refuses_and_writes_nothing(project, demo_users, clean_guards):
    register_guard("submit", lambda p, a, c: DomainError("申报材料不全", article="第十条"))
    before = AuditEvent.objects.count()
    with pytest.raises(DomainError, match="申报材料不全"):
        project_transition(project=project, action="submit", actor=demo_users["applicant"])
    assert Project.objects.get(pk=project.pk).status == Status.DRAFT
    assert not ProjectTransition.objects.exists()
    assert AuditEvent.objects.count() == before


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_exactly_one_wins(project, demo_users):
    """The bureau returns the application while the unit withdraws it: one wins, one is told why."""
    project_transition(project=project, action="submit", actor=demo_users["applicant"])
    barrier = threading.Barrier(2)
    results: list[str] = []

    def act(action: str, username: str) -> None:
        close_old_connections()
        try:
            barrier.wait()
            project_transition(project=Project.objects.get(pk=project.pk), action=action,
                               actor=demo_users[username], expected_version=2)
            results.append("ok")
        except Conflict:
            results.append("conflict")
        except Exception as exc:  # SQLite may report its own lock; that is still a refusal
            results.append("locked" if "locked" in str(exc) else repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=("return", "reviewer")),
               threading.Thread(target=act, args=("withdraw", "applicant"))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results)[0] in ("conflict", "locked")
    assert results.count("ok") == 1
    assert ProjectTransition.objects.filter(project=project).count() == 2
    assert Project.objects.get(pk=project.pk).version == 3
