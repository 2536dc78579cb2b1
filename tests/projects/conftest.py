from __future__ import annotations

import pytest

from tests.projects.builders import *  # noqa: F403


@pytest.fixture(autouse=True)
def _engine(monkeypatch):
    """The real policy engine once it is merged; until then the stand-in in fake_engine.py."""
    import tongchou.policy as policy

    if not hasattr(policy, "assess_facts"):
        from tests.projects import fake_engine

        monkeypatch.setattr(policy, "assess_facts", fake_engine.assess_facts, raising=False)
        monkeypatch.setattr(policy, "FactsError", fake_engine.FakeFactsError, raising=False)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
