"""Role checks other domains call before a business action (三权分立: admins do no business)."""

from __future__ import annotations

from tongchou.accounts.models import ADMIN_ROLES, User
from tongchou.core_errors import DomainError


def ensure_business_actor(actor: User) -> None:
    if actor.role in ADMIN_ROLES:
        raise DomainError("管理员账号不能办理业务（三权分立）。", code="admin_no_business", status=403,
                          hint="请使用业务账号办理。")
    if not actor.is_active:
        raise DomainError("该账号已停用。", code="inactive", status=403)
