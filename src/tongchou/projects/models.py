"""The project register. Issue #4 fills in the application facts; this skeleton fixes the identity,
ownership and lifecycle state that every other domain links to."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.accounts.models import Level, Organisation


class Status(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("退回补正")
    UNDER_REVIEW = "under_review", _("审查中")
    OPINION_ISSUED = "opinion_issued", _("已出具审查意见")
    APPROVED = "approved", _("已立项批复")
    FILED = "filed", _("已报备")
    PROCUREMENT = "procurement", _("采购中")
    IMPLEMENTATION = "implementation", _("实施中")
    TRIAL_OPERATION = "trial_operation", _("试运行")
    ACCEPTANCE_APPLIED = "acceptance_applied", _("已申请竣工验收")
    ACCEPTED = "accepted", _("已竣工验收")
    OPERATING = "operating", _("运维中")
    RETIRED = "retired", _("已退役")
    NOT_SUPPORTED = "not_supported", _("不予支持")
    WITHDRAWN = "withdrawn", _("已撤回")
    LAPSED = "lapsed", _("批复已失效")
    EMERGENCY = "emergency", _("紧急项目（不适用本办法）")


class Project(models.Model):
    code = models.CharField(_("项目编号"), max_length=32, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    unit = models.ForeignKey(Organisation, verbose_name=_("项目建设单位"), on_delete=models.PROTECT, related_name="projects")
    level = models.CharField(_("层级"), max_length=16, choices=Level.choices, default=Level.PREFECTURE)
    year = models.PositiveSmallIntegerField(_("预算年度"))
    status = models.CharField(_("状态"), max_length=32, choices=Status.choices, default=Status.DRAFT, db_index=True)
    classified = models.BooleanField(_("涉密项目"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("创建人"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"
