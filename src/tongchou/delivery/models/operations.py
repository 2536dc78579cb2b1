"""O&M funding requests (Art. 24, 29, 30) and the retirement handover (Art. 35)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OMRequestStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待财政决定")
    APPROVED = "approved", _("已安排运维经费")
    REFUSED = "refused", _("不安排运维经费")


class OMFundingRequest(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="om_requests")
    year = models.PositiveSmallIntegerField(_("运维年度"))
    amount = models.DecimalField(_("申请运维经费（元）"), max_digits=14, decimal_places=2)
    justification = models.TextField(_("超过建设成本10%的书面说明"), blank=True)
    # What the unit declares for Art. 30 (the rest of the facts come from the records).
    data_sharing_done = models.BooleanField(_("已按要求共享数据资源"), default=True)
    duplicate_data_collection = models.BooleanField(_("存在重复采集数据"), default=False)
    major_security_risk = models.BooleanField(_("存在重大安全隐患"), default=False)
    # What the supervisors' records established for Art. 30(二), overriding the unit's answer (ADR 0180).
    supervision = models.JSONField(_("监管记录认定的事实"), default=list, blank=True)
    # The policy engine's answer, kept whole so the decision can be reproduced (rule set id + hash in receipt).
    facts = models.JSONField(_("评估事实"), default=dict)
    assessment = models.JSONField(_("评估结果"), default=dict)
    eligible = models.BooleanField(_("符合安排运维经费条件"))
    reasons = models.JSONField(_("不符合的原因"), default=list, blank=True)
    cap_exceeded = models.BooleanField(_("超过建设成本10%"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=OMRequestStatus.choices, default=OMRequestStatus.SUBMITTED)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    granted_amount = models.DecimalField(_("安排金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    decision_note = models.TextField(_("决定说明"), blank=True)

    class Meta:
        verbose_name = _("运维经费申请")
        verbose_name_plural = _("运维经费申请")
        ordering = ["year", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_om_request_per_project_year"),
            models.CheckConstraint(condition=models.Q(amount__gte=0), name="om_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year} 运维经费"


class Handover(models.Model):
    """Retirement: the system's data and documents handed over before `retire` (Art. 35)."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="handover")
    data_handed_over = models.BooleanField(_("系统数据已移交"), default=False)
    documents_handed_over = models.BooleanField(_("文档资料已移交"), default=False)
    receiver = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("接收单位"),
    )
    handed_over_on = models.DateField(_("移交日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("退役移交")
        verbose_name_plural = _("退役移交")

    def __str__(self) -> str:
        return f"{self.project_id} 移交"
