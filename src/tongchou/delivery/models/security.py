"""Security and cryptography records (Art. 22; 等保 filing under Art. 14(三)): plan, 密评, 等保 filing, yearly
等保 assessments. Their due dates are what `delivery_due_items` sweeps."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class SecurityProfile(models.Model):
    """One per project: the cryptography plan, the 等保 grade, when the system went live and its filing."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="security_profile")
    crypto_plan = models.TextField(_("密码应用方案"), blank=True)
    crypto_plan_approved_on = models.DateField(_("密码应用方案通过审核日期"), null=True, blank=True)
    grade = models.PositiveSmallIntegerField(_("等级保护级别"), null=True, blank=True)
    go_live_on = models.DateField(_("投入运行日期"), null=True, blank=True)
    filed_on = models.DateField(_("等保备案日期"), null=True, blank=True)
    filing_number = models.CharField(_("备案证明编号"), max_length=64, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("安全与密码档案")
        verbose_name_plural = _("安全与密码档案")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grade__isnull=True) | models.Q(grade__gte=1, grade__lte=5), name="security_grade_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id} 安全档案"


class AssessmentResult(models.TextChoices):
    PASSED = "passed", _("通过")
    BASICALLY_PASSED = "basically_passed", _("基本符合")
    FAILED = "failed", _("不通过")


class CryptoReview(models.TextChoices):
    CONFIRMED = "confirmed", _("确认")
    DISPUTED = "disputed", _("有异议")


class CryptoAssessment(models.Model):
    """密评 (商用密码应用安全性评估): each one says when the next is due. The unit records it; the crypto
    bureau may confirm or dispute the result (Art. 14(二): 指导密码应用安全性评估) — a disputed result is not
    taken as compliant (Art. 30(二))."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="crypto_assessments")
    assessed_on = models.DateField(_("评估日期"))
    assessor = models.CharField(_("评估机构"), max_length=200)
    result = models.CharField(_("结论"), max_length=24, choices=AssessmentResult.choices)
    score = models.DecimalField(_("得分"), max_digits=5, decimal_places=2, null=True, blank=True)
    next_due = models.DateField(_("下次评估到期日"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    review = models.CharField(_("密码管理部门意见"), max_length=16, choices=CryptoReview.choices, blank=True)
    review_note = models.TextField(_("意见说明"), blank=True)
    reviewed_on = models.DateField(_("意见日期"), null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")

    class Meta:
        verbose_name = _("密评记录")
        verbose_name_plural = _("密评记录")
        ordering = ["assessed_on", "id"]

    def __str__(self) -> str:
        return f"密评 {self.assessed_on} {self.get_result_display()}"


class GradeAssessment(models.Model):
    """等级测评 (yearly for grade 3 and above)."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="grade_assessments")
    assessed_on = models.DateField(_("测评日期"))
    assessor = models.CharField(_("测评机构"), max_length=200)
    result = models.CharField(_("结论"), max_length=24, choices=AssessmentResult.choices)
    next_due = models.DateField(_("下次测评到期日"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("等级测评记录")
        verbose_name_plural = _("等级测评记录")
        ordering = ["assessed_on", "id"]

    def __str__(self) -> str:
        return f"等级测评 {self.assessed_on} {self.get_result_display()}"
