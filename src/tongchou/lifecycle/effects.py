"""Effects: what other domains do when a project changes state, inside the transition's transaction
(so a failed effect fails the transition, and nothing is half-written). Like guards, the domains
register theirs, so the lifecycle imports none of them. An effect gets the project (status still the
one it left), the transition and the acting user (None for the worker)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tongchou.lifecycle.table import Transition

Effect = Callable[[Any, Transition, Any], None]
_EFFECTS: list[Effect] = []


def on_transition(effect: Effect) -> Effect:
    if effect not in _EFFECTS:
        _EFFECTS.append(effect)
    return effect


def run_effects(project: Any, transition: Transition, actor: Any) -> None:
    for effect in list(_EFFECTS):
        effect(project, transition, actor)
