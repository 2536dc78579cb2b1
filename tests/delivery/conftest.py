from __future__ import annotations

import json
from typing import Any

import pytest

from tongchou.accounts.models import Organisation
from tongchou.projects.models import Project, Status


@pytest.fixture
def approved_project(demo_users):
    """A prefecture project of 州教育局 in 已立项批复. The reviews branch (opinion, 立项批复, budget) is not
    on main yet, so the approved state is set directly here; everything after it goes through
    `project_transition` and the delivery API."""
    unit = Organisation.objects.get(code="cj-edu")
    return Project.objects.create(code="CJ-2025-0901", name="州教育局智慧校园平台", unit=unit, year=2025,
                                  status=Status.APPROVED)


@pytest.fixture
def project_in(approved_project):
    """The project put straight into a later state, for tests about one step only."""

    def _in(status: str) -> Project:
        Project.objects.filter(pk=approved_project.pk).update(status=status)
        approved_project.refresh_from_db()
        return approved_project

    return _in


@pytest.fixture
def api(client, demo_users):
    """call(username, method, path, body) → (status, json). Logs the client in as that user each time."""

    def call(username: str, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        client.force_login(demo_users[username])
        url = f"/api/v1/delivery{path}"
        if method == "get":
            response = client.get(url, body or {})
        else:
            response = getattr(client, method)(url, data=json.dumps(body or {}), content_type="application/json")
        try:
            data = response.json()
        except ValueError:
            data = response.content
        return response.status_code, data

    return call


@pytest.fixture
def engine_or_stand_in(monkeypatch):
    """The policy engine when it is importable; otherwise a stand-in that answers only Art. 24 (accepted or
    not) so the flow can run — the Art. 30 reasons are tested against the real engine only."""
    try:
        from tongchou.policy import assess_facts  # noqa: F401

        return "engine"
    except ImportError:
        seen: list[dict[str, Any]] = []

        def fake(facts: dict[str, Any]) -> dict[str, Any]:
            seen.append(facts)
            ok = bool(facts.get("accepted"))
            return {"om_funding": {"eligible": ok, "reasons": [] if ok else ["ART24-NOT-ACCEPTED"]},
                    "findings": [], "receipt": {"ruleset": "stand-in"}}

        monkeypatch.setattr("tongchou.delivery.services.om.assess", fake)
        return seen
