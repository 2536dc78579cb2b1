"""Procurement, contracts and implementation records (Art. 20, 21, 23, 26, 27, 29)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.crypto.fields import EncryptedTextField


class ProcurementMethod(models.TextChoices):
    OPEN_TENDER = "open_tender", _("公开招标")
    INVITED_TENDER = "invited_tender", _("邀请招标")
    COMPETITIVE_NEGOTIATION = "competitive_negotiation", _("竞争性谈判")
    COMPETITIVE_CONSULTATION = "competitive_consultation", _("竞争性磋商")
    SINGLE_SOURCE = "single_source", _("单一来源采购")
    INQUIRY = "inquiry", _("询价")
    FRAMEWORK = "framework", _("框架协议采购")
    SELF_ORGANISED = "self_organised", _("自行组织采购（第十六条）")


class Procurement(models.Model):
    """One per project: how it is bought, when procurement started, the tender documents' checklist
    and the people accountable for it."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="procurement")
    method = models.CharField(_("采购方式"), max_length=32, choices=ProcurementMethod.choices, blank=True)
    start_date = models.DateField(_("启动政府采购日期"), null=True, blank=True)
    # Tender documents' checklist (Art. 29, 27).
    tender_free_om_months = models.PositiveSmallIntegerField(_("招标文件：免费运维期（月）"), null=True, blank=True)
    tender_annual_om_fee = models.DecimalField(
        _("招标文件：免费期后每年运维费（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    tender_ip_to_government = models.BooleanField(_("招标文件：成果及知识产权归政府所有"), default=False)
    # Art. 20.
    implementing_body = models.CharField(_("项目实施机构"), max_length=128, blank=True)
    responsible_person = models.CharField(_("项目责任人"), max_length=64, blank=True)
    responsible_phone = EncryptedTextField(_("责任人联系电话"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("政府采购")
        verbose_name_plural = _("政府采购")

    def __str__(self) -> str:
        return f"{self.project_id} 采购"


class ContractKind(models.TextChoices):
    DEVELOPMENT = "development", _("建设开发类")
    EQUIPMENT = "equipment", _("设备（硬件）采购类")
    SECURITY_ASSESSMENT = "security_assessment", _("等保测评·密评类")


class Contract(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="contracts")
    kind = models.CharField(_("合同类别"), max_length=24, choices=ContractKind.choices)
    vendor = models.CharField(_("供应商"), max_length=200)
    amount = models.DecimalField(_("合同金额（元）"), max_digits=14, decimal_places=2)
    signed_on = models.DateField(_("签订日期"))
    construction_period_months = models.PositiveSmallIntegerField(_("建设周期（月）"), null=True, blank=True)
    free_om_months = models.PositiveSmallIntegerField(_("免费运维期（月）"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(_("建设运维期（月）"), null=True, blank=True)
    ip_to_government = models.BooleanField(_("合同约定成果及知识产权归政府所有"), default=False)
    # The Art. 23 findings at signing time (warnings kept; blocks are refused before saving).
    findings = models.JSONField(_("第二十三条检查结果"), default=list, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("合同")
        verbose_name_plural = _("合同")
        ordering = ["signed_on", "id"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gte=0), name="contract_amount_not_negative")]

    def __str__(self) -> str:
        return f"{self.vendor} {self.amount}"


class Milestone(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="milestones")
    name = models.CharField(_("里程碑"), max_length=200)
    planned_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("实际完成日期"), null=True, blank=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("里程碑")
        verbose_name_plural = _("里程碑")
        ordering = ["planned_on", "id"]

    def __str__(self) -> str:
        return self.name


class ReportKind(models.TextChoices):
    PROGRESS = "progress", _("进度报告")
    SUPERVISION = "supervision", _("监理报告")


class ImplementationReport(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="implementation_reports")
    kind = models.CharField(_("类型"), max_length=16, choices=ReportKind.choices)
    reported_on = models.DateField(_("报告日期"))
    author = models.CharField(_("报告单位"), max_length=200)
    percent_complete = models.PositiveSmallIntegerField(_("完成比例（%）"), null=True, blank=True)
    summary = models.TextField(_("内容摘要"))
    issues = models.TextField(_("发现的问题"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("实施报告")
        verbose_name_plural = _("实施报告")
        ordering = ["reported_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(percent_complete__isnull=True) | models.Q(percent_complete__lte=100),
                name="report_percent_le_100",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.reported_on}"
