"""Who manages the pool and who organises draws (Art. 31: the bureau manages the pool)."""

from __future__ import annotations

from typing import Any

from tongchou.accounts.models import BUREAU_ROLES, UNIT_ROLES
from tongchou.core_errors import DomainError

ART31 = "第三十一条"
ART32 = "第三十二条"
ART33 = "第三十三条"
ART33_PURPOSES = ("consultation", "internal_review", "contract_acceptance")


def is_pool_manager(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in BUREAU_ROLES


def is_unit_user(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.role in UNIT_ROLES


def require_pool_manager(user: Any, action: str) -> None:
    if not is_pool_manager(user):
        raise DomainError(
            f"只有数字化发展局的专家库管理人员可以{action}",
            code="forbidden",
            article=ART31,
            hint="请联系州数字化发展局办理",
            status=403,
        )
