"""Organisations and the people who work in Tongchou, each with exactly one role."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from tongchou.crypto.fields import EncryptedTextField


class Level(models.TextChoices):
    PREFECTURE = "prefecture", _("州直")
    COUNTY = "county", _("县市")
    PARK = "park", _("园区")


class OrgKind(models.TextChoices):
    BUREAU = "bureau", _("数字化发展局")
    MEMBER_UNIT = "member_unit", _("联审成员单位")
    DEPARTMENT = "department", _("部门单位")
    PARK_BODY = "park_body", _("园区数字化工作机构")


class MemberRole(models.TextChoices):
    """The five 联合会审 members (Art. 14); codes are the assessment contract's reviewer codes."""

    DIGITAL_BUREAU = "digital_bureau", _("州数字化发展局")
    CRYPTO_BUREAU = "crypto_bureau", _("州党委机要保密局")
    PUBLIC_SECURITY = "public_security", _("州公安局")
    DEVELOPMENT_REFORM = "development_reform", _("州发改委")
    FINANCE = "finance", _("州财政局")


class Organisation(models.Model):
    code = models.SlugField(_("代码"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=128, unique=True)
    short_name = models.CharField(_("简称"), max_length=64, blank=True)
    kind = models.CharField(_("类型"), max_length=16, choices=OrgKind.choices)
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, default=Level.PREFECTURE)
    # The county or park the organisation belongs to (blank for the prefecture's own units).
    jurisdiction = models.CharField(_("所属县市或园区"), max_length=64, blank=True)
    member_role = models.CharField(_("联审职责"), max_length=32, choices=MemberRole.choices, blank=True)
    parent = models.ForeignKey("self", verbose_name=_("上级"), null=True, blank=True, on_delete=models.PROTECT)
    project_code_prefix = models.CharField(_("项目编号前缀"), max_length=16, blank=True)
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("组织")
        verbose_name_plural = _("组织")
        ordering = ["level", "jurisdiction", "kind", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["member_role"], condition=~models.Q(member_role=""), name="one_org_per_member_role"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    APPLICANT = "applicant", _("申报人")
    UNIT_LEADER = "unit_leader", _("单位负责人")
    BUREAU_REVIEWER = "bureau_reviewer", _("数字化发展局审核人")
    BUREAU_LEAD = "bureau_lead", _("数字化发展局负责人")
    MEMBER_REVIEWER = "member_reviewer", _("成员单位审核人")
    EXPERT = "expert", _("专家")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDIT_ADMIN = "audit_admin", _("审计管理员")


ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})
BUREAU_ROLES = frozenset({Role.BUREAU_REVIEWER, Role.BUREAU_LEAD})
UNIT_ROLES = frozenset({Role.APPLICANT, Role.UNIT_LEADER})


class User(AbstractUser):
    """One account, one role: 三权分立 holds because no account can carry two admin roles."""

    display_name = models.CharField(_("姓名"), max_length=64, blank=True)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所在组织"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.APPLICANT)
    classified_access = models.BooleanField(_("可查看涉密项目"), default=False)
    must_change_password = models.BooleanField(_("下次登录须修改密码"), default=False)
    password_changed_at = models.DateTimeField(_("密码修改时间"), null=True, blank=True)
    # Bumped on logout-everywhere and on disabling: every session signed with the old value dies.
    session_generation = models.PositiveIntegerField(_("会话代次"), default=0)
    totp_secret = EncryptedTextField(_("动态口令密钥"), blank=True, default="")
    totp_confirmed_at = models.DateTimeField(_("动态口令启用时间"), null=True, blank=True)
    totp_last_step = models.BigIntegerField(_("最近使用的口令时间片"), default=0)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.display_name or self.username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """Django checks this on every request; the generation makes "end all sessions" one UPDATE."""
        return salted_hmac(
            "tongchou.accounts.User.session_auth_hash",
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def is_admin_role(self) -> bool:
        return self.role in ADMIN_ROLES

    @property
    def needs_second_factor(self) -> bool:
        return self.role in ADMIN_ROLES
