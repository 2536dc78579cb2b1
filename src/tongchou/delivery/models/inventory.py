"""The system inventory (应用系统台账, Art. 5, 7, 35): every system the projects built or that already runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Deployment(models.TextChoices):
    """The assessment contract's `deployment` codes."""

    GOV_CLOUD = "gov_cloud", _("政务云")
    SELF_HOSTED = "self_hosted", _("自建机房")
    SPECIAL_NETWORK = "special_network", _("专网")
    NONE = "none", _("无部署")


class MigrationStatus(models.TextChoices):
    NOT_REQUIRED = "not_required", _("无需迁移（已上云或涉密/专网）")
    NOT_PLANNED = "not_planned", _("未制定迁移计划")
    PLANNED = "planned", _("已列入迁移计划")
    IN_PROGRESS = "in_progress", _("迁移中")
    MIGRATED = "migrated", _("已迁移至政务云")


class SystemStatus(models.TextChoices):
    RUNNING = "running", _("运行中")
    RETIRED = "retired", _("已退役")


class InventorySystem(models.Model):
    name = models.CharField(_("系统名称"), max_length=200)
    purpose = models.TextField(_("主要功能与用途"))
    owner = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="systems",
                              verbose_name=_("所属单位"))
    built_by = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="built_systems", verbose_name=_("建设项目"))
    deployment = models.CharField(_("部署方式"), max_length=24, choices=Deployment.choices)
    special_network_basis = models.CharField(_("专网运行依据"), max_length=500, blank=True)
    classified = models.BooleanField(_("涉密系统"), default=False)
    data_interfaces = models.JSONField(_("数据接口"), default=list, blank=True)
    shared_resources = models.JSONField(_("提供共享的数据资源"), default=list, blank=True)
    migration_status = models.CharField(_("上云状态"), max_length=16, choices=MigrationStatus.choices)
    migration_plan = models.TextField(_("迁移计划"), blank=True)
    migration_due = models.DateField(_("计划迁移完成日期"), null=True, blank=True)
    migration_project = models.ForeignKey("projects.Project", null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="migrated_systems", verbose_name=_("迁移项目"))
    status = models.CharField(_("状态"), max_length=16, choices=SystemStatus.choices, default=SystemStatus.RUNNING)
    retired_on = models.DateField(_("退役日期"), null=True, blank=True)
    # Name and purpose in one normalised text, kept by the services: what the split/overlap engine
    # compares a new need against (see ADR 0081).
    overlap_text = models.TextField(_("查重文本"), editable=False, default="")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("应用系统")
        verbose_name_plural = _("应用系统台账")
        ordering = ["owner_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="inventory_unique_name_per_owner"),
            models.CheckConstraint(
                condition=~models.Q(status="retired") | models.Q(retired_on__isnull=False), name="retired_has_date"
            ),
        ]

    def __str__(self) -> str:
        return self.name
