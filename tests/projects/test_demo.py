from __future__ import annotations

import pytest
from django.core.management import call_command

from tongchou.audit.models import AuditEvent
from tongchou.obligations.models import Obligation
from tongchou.projects.models import Level, Project, ProjectAssessment, ReviewPath, Support


@pytest.mark.django_db
def test_the_demo_register_covers_every_level_path_and_outcome_and_loads_once():
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    count, assessments = Project.objects.count(), ProjectAssessment.objects.count()
    assert set(Project.objects.values_list("level", flat=True)) == set(Level.values)
    assert set(ReviewPath.values) <= set(Project.objects.values_list("review_path", flat=True))
    assert set(Support.values) <= set(Project.objects.values_list("support", flat=True))
    stored = ProjectAssessment.objects.first()
    assert stored.ruleset_id == "changji-2025-trial" and len(stored.ruleset_hash) == 64
    # Submitted through the lifecycle's effects, on its day: the bureau's Art. 10 completeness check is open
    # (or done, once the bureau routed it), and the timeline has the submission (ADR 0205).
    submitted = Project.objects.exclude(status="draft")
    checks = Obligation.objects.filter(code="SLA-COMPLETENESS-CHECK")
    assert set(checks.values_list("project_id", flat=True)) == set(submitted.values_list("pk", flat=True))
    assert checks.filter(status="done").exists() and checks.exclude(status="done").exists()
    cloud = Project.objects.get(name="昌吉州智慧教育云平台")
    assert cloud.transitions.filter(action="submit").get().at.date() == cloud.application_date
    # written as the lifecycle writes it, so the timeline shows 提交申报 and its article
    submit = AuditEvent.objects.get(event="project.submit", target_id=str(cloud.pk))
    assert submit.data["article"] == "第九条、第十条" and submit.data["note"].startswith("评估 #")
    call_command("demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert (Project.objects.count(), ProjectAssessment.objects.count()) == (count, assessments)
