"""Supervision after approval (Art. 14(二)(三), 22, 30): the public security bureau's irregular risk
inspections (不定期风险排查), the crypto bureau's cryptography checks (密码应用检查), and the rectification
orders (整改通知) either may issue. An open adverse finding or an unresolved order is what the O&M
funding assessment takes as 存在重大安全隐患 / 不符合密码应用和网络安全要求 (Art. 30(二)), whatever the
unit answers (ADR 0180)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class InspectionKind(models.TextChoices):
    RISK = "risk_inspection", _("风险排查")  # 州公安局: 安全监管、等级保护 (Art. 14(三))
    CRYPTO = "crypto_inspection", _("密码应用检查")  # 州党委机要保密局: 密码应用 (Art. 14(二), 22)


class SupervisoryInspection(models.Model):
    """One inspection. `adverse` is 存在重大安全隐患 for a risk inspection and 密码应用不合规 for a
    cryptography check; it stays open until the supervisor resolves it (a clean re-inspection of the same
    kind, or the rectification order based on it accepted)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="inspections")
    kind = models.CharField(_("检查类型"), max_length=24, choices=InspectionKind.choices)
    supervisor = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("检查单位"))
    inspected_on = models.DateField(_("检查日期"))
    scope = models.TextField(_("检查范围"))
    findings = models.TextField(_("发现的问题"), blank=True)
    adverse = models.BooleanField(_("存在重大安全隐患／密码应用不合规"))
    resolved_on = models.DateField(_("消除日期"), null=True, blank=True)
    resolution = models.CharField(_("消除依据"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监管检查记录")
        verbose_name_plural = _("监管检查记录")
        ordering = ["inspected_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(adverse=True) | models.Q(resolved_on__isnull=True),
                                   name="inspection_resolved_only_if_adverse"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.inspected_on}"

    @property
    def adverse_label(self) -> str:
        return "存在重大安全隐患" if self.kind == InspectionKind.RISK else "密码应用不合规"


class RectificationStatus(models.TextChoices):
    ISSUED = "issued", _("待整改")
    REPORTED = "reported", _("已报送整改报告")
    CLOSED = "closed", _("已验收整改")


class RectificationOrder(models.Model):
    """整改通知: issued by a supervisor with a due date (an obligation of the unit until it reports), answered
    by the unit's 整改报告, closed by the issuer's 验收整改 — or returned with a new due date."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="rectification_orders")
    issuer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("下达单位"))
    inspection = models.ForeignKey(SupervisoryInspection, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="orders", verbose_name=_("依据的检查"))
    issued_on = models.DateField(_("下达日期"))
    due_on = models.DateField(_("整改期限"))
    requirements = models.TextField(_("整改要求"))
    status = models.CharField(_("状态"), max_length=16, choices=RectificationStatus.choices,
                              default=RectificationStatus.ISSUED)
    report = models.TextField(_("整改报告"), blank=True)
    reported_on = models.DateField(_("报送日期"), null=True, blank=True)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    returned_count = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    verified_on = models.DateField(_("验收日期"), null=True, blank=True)
    verification_note = models.TextField(_("验收意见"), blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("整改通知")
        verbose_name_plural = _("整改通知")
        ordering = ["issued_on", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(due_on__gt=models.F("issued_on")),
                                   name="rectification_due_after_issue"),
        ]

    def __str__(self) -> str:
        return f"整改通知 {self.issued_on}（{self.get_status_display()}）"


class DataSharingAttestation(models.Model):
    """The digital development bureau's word on a project's data sharing (Art. 5, 14 项目集成共享, 30(一);
    ADR 0210): 数据共享情况 (shared as required, with the catalogue or resources named) and 重复采集 (with the
    evidence). Per project, or per inventory system of it; the latest for the same system is the bureau's
    current word, and an adverse one decides Art. 30(一) whatever the unit answers."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="data_sharing_attestations")
    system = models.ForeignKey("delivery.InventorySystem", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("应用系统"))
    attested_on = models.DateField(_("认定日期"))
    shared_as_required = models.BooleanField(_("已按要求共享数据资源"))
    catalogue = models.TextField(_("共享的目录或数据资源"), blank=True)
    duplicate_collection = models.BooleanField(_("存在重复采集数据"))
    evidence = models.TextField(_("认定依据"), blank=True)
    attested_by = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("认定单位"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("数据共享认定")
        verbose_name_plural = _("数据共享认定")
        ordering = ["attested_on", "id"]

    def __str__(self) -> str:
        return f"数据共享认定 {self.attested_on}"

    @property
    def adverse(self) -> bool:
        return (not self.shared_as_required) or self.duplicate_collection

    @property
    def adverse_label(self) -> str:
        parts = []
        if not self.shared_as_required:
            parts.append("未按要求共享数据资源")
        if self.duplicate_collection:
            parts.append("重复采集数据")
        return "、".join(parts) or "已按要求共享数据资源，未发现重复采集"
