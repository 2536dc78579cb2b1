from __future__ import annotations

import pytest

from tests.projects.builders import make_project, submitted_project


@pytest.mark.django_db
def test_smoke(demo_users):
    p = make_project(demo_users["applicant"])
    assert p.code == "CJ-2025-0001"
    s = submitted_project(demo_users["applicant"], name="二")
    assert s.status == "submitted"
    assert s.reviewers
