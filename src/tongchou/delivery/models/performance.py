"""Budget performance management (Art. 25): goals and indicators, monitoring, self-evaluation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Dimension(models.TextChoices):
    OUTPUT = "output", _("产出指标")
    BENEFIT = "benefit", _("效益指标")
    SATISFACTION = "satisfaction", _("满意度指标")
    COST = "cost", _("成本指标")


class Operator(models.TextChoices):
    GE = "ge", "≥"
    LE = "le", "≤"
    EQ = "eq", "="
    GT = "gt", ">"
    LT = "lt", "<"


class PerformanceIndicator(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="performance_indicators")
    dimension = models.CharField(_("指标类别"), max_length=16, choices=Dimension.choices)
    name = models.CharField(_("指标名称"), max_length=200)
    operator = models.CharField(_("比较"), max_length=4, choices=Operator.choices)
    target = models.DecimalField(_("目标值"), max_digits=16, decimal_places=4)
    unit = models.CharField(_("计量单位"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("绩效指标")
        verbose_name_plural = _("绩效指标")
        ordering = ["dimension", "id"]
        constraints = [models.UniqueConstraint(fields=["project", "dimension", "name"], name="indicator_unique_name")]

    def __str__(self) -> str:
        return f"{self.name} {self.get_operator_display()}{self.target}{self.unit}"


class ReviewStatus(models.TextChoices):
    """Finance's review of a submitted report (Art. 25 报送州财政局审核): pending until it decides."""

    PENDING = "pending", _("待审核")
    ACCEPTED = "accepted", _("审核通过")
    RETURNED = "returned", _("退回修改")


class PerformanceReport(models.Model):
    """A report owed to the finance bureau: a monitoring report or the year's self-evaluation."""

    class Kind(models.TextChoices):
        MONITORING = "monitoring", _("运行监控报告")
        SELF_EVALUATION = "self_evaluation", _("绩效自评报告")

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="performance_reports")
    kind = models.CharField(_("类型"), max_length=24, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    period = models.CharField(_("期间"), max_length=32, blank=True, help_text="如 上半年、1-9月")
    due_on = models.DateField(_("报送州财政局截止日期"))
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    # Monitoring.
    progress_percent = models.DecimalField(_("进度完成率（%）"), max_digits=5, decimal_places=2, null=True, blank=True)
    budget = models.DecimalField(_("预算数（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    spent = models.DecimalField(_("执行数（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    # Self-evaluation (scores out of 10 / 50 / 30 / 10 and the total out of 100).
    actuals = models.JSONField(_("指标实际值"), default=dict, blank=True)
    score_budget = models.DecimalField(_("预算执行率得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    score_outputs = models.DecimalField(_("产出得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    score_benefits = models.DecimalField(_("效益得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    score_satisfaction = models.DecimalField(_("满意度得分"), max_digits=6, decimal_places=2, null=True, blank=True)
    score_total = models.DecimalField(_("总分"), max_digits=6, decimal_places=2, null=True, blank=True)
    grade = models.CharField(_("等级"), max_length=4, blank=True)
    summary = models.TextField(_("说明"), blank=True)
    # Finance's review (Art. 25; the county bureau lead for a county project, Art. 19, 36; ADR 0191). Blank
    # until submitted; a returned report goes back to the unit, which corrects and resubmits it.
    review_status = models.CharField(_("审核状态"), max_length=16, choices=ReviewStatus.choices, blank=True)
    review_note = models.TextField(_("审核意见"), blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    reviewed_on = models.DateField(_("审核日期"), null=True, blank=True)
    times_returned = models.PositiveSmallIntegerField(_("退回次数"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("绩效报告")
        verbose_name_plural = _("绩效报告")
        ordering = ["year", "due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year"], condition=models.Q(kind="self_evaluation"), name="one_self_evaluation_per_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"
