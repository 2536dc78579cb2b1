"""Account and organisation changes. 三权分立 is enforced here, not in the views:

- the system admin manages organisations and accounts (create, edit, disable, reset password) but
  grants no admin role and cannot disable their own account;
- the security admin assigns roles and classified access, resets second factors and unlocks
  accounts, never for their own account;
- the audit admin changes nothing; no admin role does business (see `tongchou.accounts.permissions`);
- Django's superuser flag is never set and never consulted.

Every change is audited inside its transaction; ending sessions is one UPDATE of the generation.
"""

from __future__ import annotations

import secrets
import string

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tongchou.accounts.models import ADMIN_ROLES, Organisation, Role, User
from tongchou.audit.services import audit_record
from tongchou.core_errors import DomainError

ROLE_LABELS = dict(Role.choices)


def _require(actor: User, role: Role, action: str) -> None:
    if actor.role != role or not actor.is_active:
        raise DomainError(
            f"只有{ROLE_LABELS[role]}可以{action}（三权分立）。", code="separation_of_duties", status=403,
            hint="请由相应的管理员办理。",
        )


def _not_self(actor: User, user: User, action: str) -> None:
    if actor.pk == user.pk:
        raise DomainError(f"不能{action}自己的账号。", code="self_change", status=403,
                          hint="请由另一名管理员办理。")


def issue_password() -> str:
    """A random 14-character password with all four character classes, for a first login."""
    alphabet = string.ascii_letters + string.digits + "#%+=@!"
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(14))
        if (any(c.islower() for c in candidate) and any(c.isupper() for c in candidate)
                and any(c.isdigit() for c in candidate) and any(not c.isalnum() for c in candidate)):
            return candidate


def user_sessions_end(*, user: User, actor: User | None, reason: str) -> None:
    """Every session of the account stops being accepted on its next request."""
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
        user.refresh_from_db(fields=["session_generation"])
        audit_record(event="account.sessions_ended", actor=actor, target=user, data={"reason": reason})


def user_password_changed(*, user: User, actor: User) -> None:
    """Records a password change: clears the forced-change flag and restarts the 90-day clock."""
    with transaction.atomic():
        user.must_change_password = False
        user.password_changed_at = timezone.now()
        user.save(update_fields=["must_change_password", "password_changed_at"])
        audit_record(event="account.password_changed", actor=actor, target=user)


def user_create(
    *, actor: User, username: str, display_name: str, organisation: Organisation | None, role: str,
    email: str = "",
) -> tuple[User, str]:
    """A new account with an issued password that must be changed at first login."""
    _require(actor, Role.SYSTEM_ADMIN, "创建账号")
    if role not in Role.values:
        raise DomainError("角色无效。", field="role")
    if role in ADMIN_ROLES:
        raise DomainError("管理员角色只能由安全管理员授予（三权分立）。", field="role", code="separation_of_duties",
                          hint="请先以业务角色创建账号，再由安全管理员调整角色。")
    username = (username or "").strip()
    if not username:
        raise DomainError("请填写账号。", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(f"账号「{username}」已存在。", field="username")
    if role != Role.EXPERT and organisation is None:
        raise DomainError("请选择所在组织。", field="organisation")
    password = issue_password()
    with transaction.atomic():
        user = User(username=username, display_name=display_name.strip(), organisation=organisation, role=role,
                    email=email.strip(), must_change_password=True, password_changed_at=timezone.now(),
                    is_superuser=False, is_staff=False)
        user.set_password(password)
        user.save()
        audit_record(event="account.created", actor=actor, target=user, data={
            "username": username, "role": role, "organisation": organisation.code if organisation else None})
    return user, password


def user_update(*, actor: User, user: User, display_name: str, organisation: Organisation | None,
                email: str = "") -> User:
    _require(actor, Role.SYSTEM_ADMIN, "修改账号信息")
    before = {"display_name": user.display_name, "organisation": user.organisation_id, "email": user.email}
    with transaction.atomic():
        user.display_name = display_name.strip()
        user.organisation = organisation
        user.email = email.strip()
        user.save(update_fields=["display_name", "organisation", "email"])
        after = {"display_name": user.display_name, "organisation": user.organisation_id, "email": user.email}
        audit_record(event="account.updated", actor=actor, target=user, data={"before": before, "after": after})
        if before["organisation"] != after["organisation"]:
            user_sessions_end(user=user, actor=actor, reason="organisation_changed")
    return user


def user_disable(*, actor: User, user: User) -> User:
    """Disables the account and ends every session it has."""
    _require(actor, Role.SYSTEM_ADMIN, "停用账号")
    _not_self(actor, user, "停用")
    with transaction.atomic():
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(event="account.disabled", actor=actor, target=user)
        user_sessions_end(user=user, actor=actor, reason="disabled")
    return user


def user_enable(*, actor: User, user: User) -> User:
    _require(actor, Role.SYSTEM_ADMIN, "启用账号")
    with transaction.atomic():
        user.is_active = True
        user.save(update_fields=["is_active"])
        audit_record(event="account.enabled", actor=actor, target=user)
    return user


def user_password_reset(*, actor: User, user: User) -> str:
    """Issues a new password (to be changed at next login) and ends the account's sessions."""
    _require(actor, Role.SYSTEM_ADMIN, "重置密码")
    _not_self(actor, user, "重置")
    password = issue_password()
    with transaction.atomic():
        user.set_password(password)
        user.must_change_password = True
        user.password_changed_at = timezone.now()
        user.save(update_fields=["password", "must_change_password", "password_changed_at"])
        audit_record(event="account.password_reset", actor=actor, target=user)
        user_sessions_end(user=user, actor=actor, reason="password_reset")
    return password


def user_role_set(*, actor: User, user: User, role: str) -> User:
    """One account, one role: the new role replaces the old one, and the account's sessions end."""
    _require(actor, Role.SECURITY_ADMIN, "调整角色")
    _not_self(actor, user, "调整")
    if role not in Role.values:
        raise DomainError("角色无效。", field="role")
    if role not in ADMIN_ROLES and role != Role.EXPERT and user.organisation_id is None:
        raise DomainError("业务角色须先由系统管理员设置所在组织。", field="role")
    before = user.role
    with transaction.atomic():
        user.role = role
        if role in ADMIN_ROLES:
            user.classified_access = False
        user.is_superuser = False
        user.save(update_fields=["role", "classified_access", "is_superuser"])
        audit_record(event="account.role_changed", actor=actor, target=user, data={"before": before, "after": role})
        user_sessions_end(user=user, actor=actor, reason="role_changed")
    return user


def user_classified_access_set(*, actor: User, user: User, allowed: bool) -> User:
    _require(actor, Role.SECURITY_ADMIN, "设置涉密项目查看权限")
    _not_self(actor, user, "调整")
    if allowed and user.role in ADMIN_ROLES:
        raise DomainError("管理员账号不办理业务，不能查看涉密项目（三权分立）。", field="classified_access")
    with transaction.atomic():
        before = user.classified_access
        user.classified_access = allowed
        user.save(update_fields=["classified_access"])
        audit_record(event="account.classified_access_changed", actor=actor, target=user,
                     data={"before": before, "after": allowed})
    return user


def user_totp_reset(*, actor: User, user: User) -> User:
    """The account enrols a new second factor at its next login."""
    _require(actor, Role.SECURITY_ADMIN, "重置动态口令")
    _not_self(actor, user, "重置")
    with transaction.atomic():
        user.totp_secret = ""
        user.totp_confirmed_at = None
        user.totp_last_step = 0
        user.save(update_fields=["totp_secret", "totp_confirmed_at", "totp_last_step"])
        audit_record(event="account.totp_reset", actor=actor, target=user)
        user_sessions_end(user=user, actor=actor, reason="totp_reset")
    return user


def user_unlock(*, actor: User, user: User) -> int:
    """Lifts a django-axes lock before its 15 minutes are over."""
    from axes.utils import reset

    _require(actor, Role.SECURITY_ADMIN, "解除账号锁定")
    with transaction.atomic():
        removed = reset(username=user.username)
        audit_record(event="account.unlocked", actor=actor, target=user, data={"attempts_removed": removed})
    return removed


def _validate_org(*, code: str, name: str, kind: str, level: str, exclude: int | None = None) -> None:
    from tongchou.accounts.models import Level, OrgKind

    if not code.strip() or not name.strip():
        raise DomainError("请填写组织代码和名称。", field="code" if not code.strip() else "name")
    if kind not in OrgKind.values:
        raise DomainError("组织类型无效。", field="kind")
    if level not in Level.values:
        raise DomainError("层级无效。", field="level")
    others = Organisation.objects.exclude(pk=exclude) if exclude else Organisation.objects.all()
    if others.filter(code=code).exists():
        raise DomainError(f"组织代码「{code}」已存在。", field="code")
    if others.filter(name=name).exists():
        raise DomainError(f"组织名称「{name}」已存在。", field="name")


ORG_FIELDS = ("code", "name", "short_name", "kind", "level", "jurisdiction", "parent", "project_code_prefix",
              "is_active")


def organisation_create(*, actor: User, **fields: object) -> Organisation:
    _require(actor, Role.SYSTEM_ADMIN, "新增组织")
    _validate_org(code=str(fields.get("code", "")), name=str(fields.get("name", "")),
                  kind=str(fields.get("kind", "")), level=str(fields.get("level", "")))
    with transaction.atomic():
        org = Organisation.objects.create(**{k: v for k, v in fields.items() if k in ORG_FIELDS})
        audit_record(event="organisation.created", actor=actor, target=org, data={"code": org.code})
    return org


def organisation_update(*, actor: User, organisation: Organisation, **fields: object) -> Organisation:
    _require(actor, Role.SYSTEM_ADMIN, "修改组织")
    merged = {k: getattr(organisation, k) for k in ORG_FIELDS} | fields
    _validate_org(code=str(merged["code"]), name=str(merged["name"]), kind=str(merged["kind"]),
                  level=str(merged["level"]), exclude=organisation.pk)
    before = {k: str(getattr(organisation, k)) for k in ORG_FIELDS}
    with transaction.atomic():
        for key, value in fields.items():
            if key in ORG_FIELDS:
                setattr(organisation, key, value)
        organisation.save()
        after = {k: str(getattr(organisation, k)) for k in ORG_FIELDS}
        audit_record(event="organisation.updated", actor=actor, target=organisation, data={
            "changed": {k: [before[k], after[k]] for k in ORG_FIELDS if before[k] != after[k]}})
    return organisation


def password_check(password: str, user: User | None = None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        return list(exc.messages)
    return []
