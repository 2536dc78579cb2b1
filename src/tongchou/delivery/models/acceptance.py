"""Trial operation and completion acceptance (Art. 24)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrialRun(models.Model):
    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="trial_run")
    started_on = models.DateField(_("试运行开始日期"))
    ended_on = models.DateField(_("试运行结束日期"), null=True, blank=True)
    normal = models.BooleanField(_("试运行正常"), null=True, blank=True)
    summary = models.TextField(_("试运行情况"), blank=True)

    class Meta:
        verbose_name = _("试运行")
        verbose_name_plural = _("试运行")

    def __str__(self) -> str:
        return f"{self.project_id} 试运行"


class Acceptance(models.Model):
    """The application to the development and reform commission, its committee and its conclusion."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="acceptance")
    report = models.TextField(_("竣工验收报告"))
    applied_on = models.DateField(_("申请日期"))
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    convened_on = models.DateField(_("验收委员会组建日期"), null=True, blank=True)
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    concluded_on = models.DateField(_("验收日期"), null=True, blank=True)
    passed = models.BooleanField(_("验收通过"), null=True, blank=True)
    conclusion = models.TextField(_("验收结论"), blank=True)
    issues = models.TextField(_("整改问题"), blank=True)

    class Meta:
        verbose_name = _("竣工验收")
        verbose_name_plural = _("竣工验收")

    def __str__(self) -> str:
        return f"{self.project_id} 竣工验收"


class CommitteeSeat(models.TextChoices):
    """Art. 24: 发改、财政、数字化发展、档案等部门、项目建设单位及相关专家."""

    DEVELOPMENT_REFORM = "development_reform", _("发改部门")
    FINANCE = "finance", _("财政部门")
    DIGITAL_BUREAU = "digital_bureau", _("数字化发展部门")
    ARCHIVES = "archives", _("档案部门")
    UNIT = "unit", _("项目建设单位")
    EXPERT = "expert", _("专家（信息化专家库）")
    OTHER = "other", _("其他部门")


class CommitteeMember(models.Model):
    acceptance = models.ForeignKey(Acceptance, on_delete=models.CASCADE, related_name="members")
    seat = models.CharField(_("席位"), max_length=24, choices=CommitteeSeat.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An expert seat is a member of an expert draw for this project (信息化专家库, Art. 31-33).
    draw_member = models.ForeignKey("experts.DrawMember", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", verbose_name=_("专家抽取成员"))
    name = models.CharField(_("姓名"), max_length=64)

    class Meta:
        verbose_name = _("验收委员")
        verbose_name_plural = _("验收委员")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_seat_display()} {self.name}"
