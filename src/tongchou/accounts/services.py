from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import User
from tongchou.audit.services import audit_record


def user_password_changed(*, user: User, actor: User) -> None:
    """Records a password change: clears the forced-change flag and restarts the 90-day clock."""
    with transaction.atomic():
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["must_change_password", "password_changed_at"])
        audit_record(event="account.password_changed", actor=actor, target=user)
