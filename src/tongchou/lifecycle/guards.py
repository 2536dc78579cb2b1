"""Guards: conditions from the Measures that must hold before a transition. Other domains register
theirs (the review opinion, the approval, the budget, the contract, the acceptance) so the lifecycle
does not import them. A guard returns None when satisfied, or the refusal to raise."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import Any

from tongchou.core_errors import DomainError

Guard = Callable[[Any, Any, dict[str, Any]], DomainError | None]
_GUARDS: dict[str, list[Guard]] = defaultdict(list)


def register_guard(action: str, guard: Guard) -> Guard:
    if guard not in _GUARDS[action]:
        _GUARDS[action].append(guard)
    return guard


def guard(action: str) -> Callable[[Guard], Guard]:
    def _decorate(fn: Guard) -> Guard:
        return register_guard(action, fn)

    return _decorate


def guards_for(action: str) -> list[Guard]:
    return list(_GUARDS.get(action, ()))
