"""Handlers the sweep calls when an obligation of a given code passes its due date.

The lifecycle registers its own; `lapse.py` registers the Art. 26 one until then. A handler gets the
obligation (locked, inside the sweep's transaction) and returns a short Chinese note of what it did.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tongchou.obligations.models import Obligation

OverdueHandler = Callable[["Obligation"], str]
_HANDLERS: dict[str, OverdueHandler] = {}


def register_overdue_handler(code: str) -> Callable[[OverdueHandler], OverdueHandler]:
    def decorator(func: OverdueHandler) -> OverdueHandler:
        _HANDLERS[code] = func
        return func

    return decorator


def overdue_handler_for(code: str) -> OverdueHandler | None:
    return _HANDLERS.get(code)
