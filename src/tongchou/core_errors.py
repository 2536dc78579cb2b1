"""The one exception type services raise when they refuse an action.

A refusal says what was refused, why, under which article, and what to do next — in Chinese.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400

    def __init__(
        self,
        message: str,
        *,
        code: str = "refused",
        article: str | None = None,
        field: str | None = None,
        hint: str | None = None,
        status: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.article = article
        self.field = field
        self.hint = hint
        if status is not None:
            self.status = status

    @property
    def with_article(self) -> str:
        """The message for a page, its article appended once — not when the message already names it."""
        if self.article and self.article not in self.message:
            return f"{self.message}（依据{self.article}）"
        return self.message

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"detail": self.message, "code": self.code}
        for key in ("article", "field", "hint"):
            value = getattr(self, key)
            if value:
                body[key] = value
        return body


class NotFound(DomainError):
    status = 404

    def __init__(self, message: str = "未找到该记录，或您无权查看") -> None:
        super().__init__(message, code="not_found")


class Conflict(DomainError):
    status = 409

    def __init__(self, message: str, **kwargs: Any) -> None:
        super().__init__(message, code=kwargs.pop("code", "conflict"), **kwargs)
