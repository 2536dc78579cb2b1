"""Report jobs run by the worker (long exports, what-if runs) and uploaded draft rule sets."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobKind(models.TextChoices):
    PLAN = "plan", _("年度项目计划")
    APPROVALS = "approvals", _("立项批复情况")
    OM_BUDGET = "om_budget", _("运维经费预算")
    PERFORMANCE = "performance", _("绩效评价结果")
    EXPERT_FEES = "expert_fees", _("专家费")
    WHATIF = "whatif", _("规则集试算（what-if）")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("排队中")
    RUNNING = "running", _("生成中")
    DONE = "done", _("已完成")
    FAILED = "failed", _("失败")


class ReportJob(models.Model):
    """One long export or what-if, owned by whoever asked for it; it runs with that person's view."""

    kind = models.CharField(_("类型"), max_length=16, choices=JobKind.choices)
    params = models.JSONField(_("参数"), default=dict)
    status = models.CharField(_("状态"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("进度（%）"), default=0)
    rows = models.PositiveIntegerField(_("行数"), default=0)
    result = models.JSONField(_("结果摘要"), default=dict, blank=True)
    error = models.CharField(_("失败原因"), max_length=500, blank=True)
    file = models.ForeignKey("documents.StoredFile", verbose_name=_("文件"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("报表任务")
        verbose_name_plural = _("报表任务")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["requested_by", "-requested_at"], name="reportjob_owner_at")]
        constraints = [models.CheckConstraint(condition=models.Q(progress__lte=100), name="reportjob_progress_le_100")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class RulesetDraft(models.Model):
    """A draft revision uploaded by the bureau to compare against the register. Kept here only:
    it is never written into a rule-set folder, so it can never be adopted by uploading it."""

    ruleset_id = models.CharField(_("规则集标识"), max_length=80)
    title = models.CharField(_("标题"), max_length=200)
    valid_from = models.DateField(_("拟生效日期"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = models.TextField(_("YAML 原文"))
    display_name = models.CharField(_("文件名"), max_length=120)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("规则集草案")
        verbose_name_plural = _("规则集草案")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.ruleset_id}（草案）"
