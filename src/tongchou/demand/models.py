"""The yearly call for needs (Art. 8), the needs units submit, and the plan decisions (Art. 3, 11)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.accounts.models import Organisation
from tongchou.portfolio.choices import ManagementMode
from tongchou.projects.models import Category, PriorityBasis


class Call(models.Model):
    """需求征集: one bureau, one budget year. A county bureau's call is for its county's units."""

    bureau = models.ForeignKey(Organisation, verbose_name=_("征集单位"), on_delete=models.PROTECT,
                               related_name="demand_calls")
    year = models.PositiveSmallIntegerField(_("预算年度"))
    title = models.CharField(_("标题"), max_length=200)
    instructions = models.TextField(_("填报说明"), blank=True)
    deadline = models.DateTimeField(_("截止时间"))
    reopened_until = models.DateTimeField(_("补报截止时间"), null=True, blank=True)
    budget_cap = models.DecimalField(_("年度预算总额上限（元）"), max_digits=14, decimal_places=2, null=True,
                                     blank=True)
    findings = models.JSONField(_("拆分与重复检测结果"), default=dict, blank=True)
    findings_at = models.DateTimeField(_("检测时间"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bureau", "year"], name="demand_call_one_per_year")]
        ordering = ["-year", "bureau_id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.TextChoices):
    PENDING = "pending", _("待定")
    INCLUDED = "included", _("纳入年度计划")
    DEFERRED = "deferred", _("暂缓")
    REFUSED = "refused", _("不予纳入")
    MERGED = "merged", _("合并至共建项目")


class Need(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="needs")
    unit = models.ForeignKey(Organisation, verbose_name=_("需求单位"), on_delete=models.PROTECT,
                             related_name="demand_needs")
    name = models.CharField(_("需求名称"), max_length=200)
    goals = models.TextField(_("建设目标"))
    content = models.TextField(_("主要建设内容"))
    technical_route = models.TextField(_("技术路线"), blank=True)
    estimated_cost = models.DecimalField(_("预计金额（元）"), max_digits=14, decimal_places=2)
    category = models.CharField(_("项目类别"), max_length=24, choices=Category.choices,
                                default=Category.DEVELOPMENT)
    priority_basis = models.CharField(_("重点支持情形（第十一条）"), max_length=32, choices=PriorityBasis.choices,
                                      blank=True)
    contact = models.CharField(_("联系人及电话"), max_length=100)
    # Art. 3, as for a project (portfolio.ProjectMode): the unit proposes, the bureau confirms or corrects
    # while building the plan; `mode` is the one in force (blank: 未分类, the needs of before this field).
    proposed_mode = models.CharField(_("申报的管理模式（第三条）"), max_length=16, choices=ManagementMode.choices,
                                     blank=True)
    confirmed_mode = models.CharField(_("数字化发展局确认的管理模式"), max_length=16,
                                      choices=ManagementMode.choices, blank=True)
    mode = models.CharField(_("管理模式"), max_length=16, choices=ManagementMode.choices, blank=True, db_index=True)
    mode_confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                          related_name="+")
    mode_confirmed_at = models.DateTimeField(_("管理模式确认时间"), null=True, blank=True)
    source = models.CharField(_("来源"), max_length=8, default="web")  # web | xlsx
    decision = models.CharField(_("计划决定"), max_length=16, choices=Decision.choices, default=Decision.PENDING)
    reason = models.TextField(_("决定理由"), blank=True)
    rank = models.PositiveIntegerField(_("排序"), null=True, blank=True)
    merged_into = models.ForeignKey("self", verbose_name=_("合并至"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="merged_needs")
    project = models.ForeignKey("projects.Project", verbose_name=_("申报草稿"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="demand_needs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(confirmed_mode="", mode=models.F("proposed_mode"))
                | (~models.Q(confirmed_mode="") & models.Q(mode=models.F("confirmed_mode"))),
                name="demand_need_mode_in_force"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        """The text the split engine compares: goals, content and technical route (Art. 8)."""
        return "\n".join(t for t in (self.goals, self.content, self.technical_route) if t)
