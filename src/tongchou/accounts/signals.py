"""Login, failed login, lockout and logout events go to the audit log (Django's own auth signals)."""

from __future__ import annotations

from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from tongchou.audit.services import audit_record


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    audit_record(event="auth.login", actor=user, target=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    audit_record(event="auth.login_failed", outcome="failed", actor_name=str(credentials.get("username", ""))[:150])


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit_record(event="auth.logout", actor=user, target=user)


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any = None, username: str = "", ip_address: str = "", **kwargs: Any) -> None:
    """SECURITY.md: a lockout is its own audit event (django-axes sends this once the limit is reached)."""
    audit_record(event="auth.locked_out", outcome="refused", actor_name=str(username or "")[:150],
                 data={"reason": "连续登录失败达到上限，账号暂时锁定"})
