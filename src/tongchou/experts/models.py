"""信息化专家库 (Art. 31–33): categories, experts, draws and their members, fee rates and the ledger."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongchou.accounts.models import Organisation
from tongchou.crypto.fields import EncryptedTextField


class Category(models.Model):
    code = models.SlugField(_("代码"), max_length=32, unique=True)
    name = models.CharField(_("名称"), max_length=64, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=0)

    class Meta:
        verbose_name = _("专家类别")
        verbose_name_plural = _("专家类别")
        ordering = ["sort_order", "code"]

    def __str__(self) -> str:
        return self.name


class TitleLevel(models.TextChoices):
    SENIOR = "senior", _("正高级")
    VICE_SENIOR = "vice_senior", _("副高级")
    INTERMEDIATE = "intermediate", _("中级")
    JUNIOR = "junior", _("初级及以下")


class ExpertStatus(models.TextChoices):
    ACTIVE = "active", _("在库")
    SUSPENDED = "suspended", _("暂停")
    RETIRED = "retired", _("退出")


class Expert(models.Model):
    code = models.CharField(_("专家编号"), max_length=32, unique=True)
    name = models.CharField(_("姓名"), max_length=64)
    categories = models.ManyToManyField(Category, verbose_name=_("专业类别"), related_name="experts")
    title = models.CharField(_("职称"), max_length=64)
    title_level = models.CharField(_("职称级别"), max_length=16, choices=TitleLevel.choices)
    years = models.PositiveSmallIntegerField(_("从业年限"))
    employer = models.CharField(_("工作单位"), max_length=128)
    phone = EncryptedTextField(_("手机号码"), blank=True)
    id_number = EncryptedTextField(_("身份证号"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ExpertStatus.choices, default=ExpertStatus.ACTIVE)
    available = models.BooleanField(_("可参加抽取"), default=True)
    suspension_proposed = models.BooleanField(_("建议暂停（评分均分低于60）"), default=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("登录账号"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="expert_profile",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("专家")
        verbose_name_plural = _("专家")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class FormerEmployer(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="former_employers")
    org = models.CharField(_("原工作单位"), max_length=128)
    until = models.DateField(_("离职日期"))

    class Meta:
        verbose_name = _("曾任职单位")
        verbose_name_plural = _("曾任职单位")
        ordering = ["-until", "id"]

    def __str__(self) -> str:
        return f"{self.org}（至 {self.until}）"


class DeclaredConflict(models.Model):
    expert = models.ForeignKey(Expert, on_delete=models.CASCADE, related_name="declared_conflicts")
    org = models.CharField(_("回避单位"), max_length=128)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("申报回避")
        verbose_name_plural = _("申报回避")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.org


class Purpose(models.TextChoices):
    JOINT_REVIEW = "joint_review", _("联合会审（第三十二条）")
    PROJECT_REVIEW = "project_review", _("立项评审（第三十二条）")
    CONSULTATION = "consultation", _("项目咨询（第三十三条）")
    INTERNAL_REVIEW = "internal_review", _("内部评审（第三十三条）")
    CONTRACT_ACCEPTANCE = "contract_acceptance", _("合同验收（第三十三条）")


class DrawStatus(models.TextChoices):
    COMMITTED = "committed", _("已公布承诺值，待抽取")
    DRAWN = "drawn", _("已抽取")
    CLOSED = "closed", _("评审结束")
    CANCELLED = "cancelled", _("已取消")


OPEN_DRAW_STATUSES = (DrawStatus.COMMITTED, DrawStatus.DRAWN)


class Draw(models.Model):
    purpose = models.CharField(_("用途"), max_length=32, choices=Purpose.choices)
    project = models.ForeignKey(
        "projects.Project", verbose_name=_("项目"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="expert_draws",
    )
    requesting_unit = models.ForeignKey(
        Organisation, verbose_name=_("申请单位"), on_delete=models.PROTECT, related_name="expert_draws"
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("补抽所属抽取"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="supplements",
    )
    subject = models.CharField(_("事项"), max_length=200)
    review_date = models.DateField(_("评审日期"))
    request = models.JSONField(_("抽取请求"))
    pool_snapshot = models.JSONField(_("专家库快照"))
    pool_hash = models.CharField(_("专家库快照 SM3"), max_length=64)
    # Encrypted at rest: before the draw, whoever reads the seed knows the result in advance.
    seed = EncryptedTextField(_("种子"))
    commitment = models.CharField(_("承诺值 SM3(种子)"), max_length=64)
    # The exact JSON text the pure draw produced (jsonb would reorder keys and lose byte equality).
    result_text = models.TextField(_("抽取结果（JSON 原文）"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=DrawStatus.choices, default=DrawStatus.COMMITTED)
    sealed = models.BooleanField(_("对申请单位保密"), default=True)
    fees_payer = models.CharField(_("专家费承担"), max_length=64, default="州数字化发展局")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发起人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("发起时间"), auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("抽取人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    drawn_at = models.DateTimeField(_("抽取时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("专家抽取")
        verbose_name_plural = _("专家抽取")
        ordering = ["-created_at", "-id"]
        constraints = [
            # Two organisers drawing at once for the same project and purpose: only one succeeds.
            models.UniqueConstraint(
                fields=["project", "purpose"],
                condition=Q(status__in=["committed", "drawn"], parent__isnull=True, project__isnull=False),
                name="one_open_expert_draw_per_project_purpose",
            ),
        ]

    def __str__(self) -> str:
        return f"专家抽取 #{self.pk} {self.subject}"

    @property
    def result(self) -> dict[str, Any] | None:
        return json.loads(self.result_text) if self.result_text else None

    @result.setter
    def result(self, value: dict[str, Any] | None) -> None:
        self.result_text = "" if value is None else json.dumps(value, ensure_ascii=False)


class PanelRole(models.TextChoices):
    SELECTED = "selected", _("入选")
    RESERVE = "reserve", _("备选")


class MemberStatus(models.TextChoices):
    STANDBY = "standby", _("备选待命")
    INVITED = "invited", _("已邀请，待答复")
    ACCEPTED = "accepted", _("已接受")
    DECLINED = "declined", _("已谢绝")
    SKIPPED = "skipped", _("备选未启用（当日已有评审）")
    WITHDRAWN = "withdrawn", _("抽取已取消")


SEATED_STATUSES = (MemberStatus.INVITED, MemberStatus.ACCEPTED)


class DrawMember(models.Model):
    draw = models.ForeignKey(Draw, on_delete=models.CASCADE, related_name="members")
    source_draw = models.ForeignKey(Draw, on_delete=models.PROTECT, related_name="+")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="memberships")
    category = models.CharField(_("类别"), max_length=32)
    role = models.CharField(_("身份"), max_length=16, choices=PanelRole.choices)
    rank = models.PositiveSmallIntegerField(_("序位"))
    status = models.CharField(_("状态"), max_length=16, choices=MemberStatus.choices)
    review_date = models.DateField(_("评审日期"))
    replaces = models.ForeignKey(
        "self", verbose_name=_("替补对象"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    invited_at = models.DateTimeField(_("邀请时间"), null=True, blank=True)
    responded_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    decline_reason = models.CharField(_("谢绝原因"), max_length=200, blank=True)
    duration_minutes = models.PositiveIntegerField(_("服务时长（分钟）"), null=True, blank=True)
    score = models.PositiveSmallIntegerField(_("评分"), null=True, blank=True)
    score_comment = models.CharField(_("评价"), max_length=500, blank=True)
    rated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    rated_at = models.DateTimeField(_("评分时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("抽取成员")
        verbose_name_plural = _("抽取成员")
        ordering = ["draw", "category", "role", "rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "expert"], name="expert_once_per_draw"),
            # An expert cannot sit on two panels on the same date.
            models.UniqueConstraint(
                fields=["expert", "review_date"],
                condition=Q(status__in=["invited", "accepted"]),
                name="expert_one_panel_per_day",
            ),
            models.CheckConstraint(condition=Q(score__isnull=True) | Q(score__lte=100), name="score_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.expert} · {self.get_role_display()} {self.rank}"


class FeeRate(models.Model):
    """Expert fee rates; the newest effective on the service date applies (editable by the bureau)."""

    effective_from = models.DateField(_("生效日期"), unique=True)
    half_day = models.DecimalField(_("每半天（4小时内）"), max_digits=10, decimal_places=2)
    hourly_extra = models.DecimalField(_("超过一天（8小时）后每小时加付"), max_digits=10, decimal_places=2)
    daily_cap = models.DecimalField(_("每日封顶"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("专家费标准")
        verbose_name_plural = _("专家费标准")
        ordering = ["-effective_from"]

    def __str__(self) -> str:
        return f"自 {self.effective_from} 起：半天 {self.half_day} 元"


class FeeEntry(models.Model):
    """The ledger: one line per expert service; Art. 33 — the bureau pays, units do not."""

    member = models.OneToOneField(DrawMember, on_delete=models.PROTECT, related_name="fee")
    expert = models.ForeignKey(Expert, on_delete=models.PROTECT, related_name="fees")
    service_date = models.DateField(_("服务日期"))
    year = models.PositiveSmallIntegerField(_("年度"), db_index=True)
    minutes = models.PositiveIntegerField(_("时长（分钟）"))
    amount = models.DecimalField(_("金额（元）"), max_digits=12, decimal_places=2)
    rate = models.ForeignKey(FeeRate, on_delete=models.PROTECT, related_name="+")
    payer = models.CharField(_("支付单位"), max_length=64)
    purpose = models.CharField(_("用途"), max_length=32, choices=Purpose.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("记录时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("专家费台账")
        verbose_name_plural = _("专家费台账")
        ordering = ["year", "expert", "service_date", "id"]

    def __str__(self) -> str:
        return f"{self.expert} {self.service_date} {self.amount}"
