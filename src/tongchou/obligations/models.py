"""Things the Measures or the bureau's service levels time-limit, each with a due date and a watcher."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tongchou.accounts.models import Organisation


class PeriodUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("工作日")
    CALENDAR_DAYS = "calendar_days", _("自然日")
    MONTHS = "months", _("月")


class Responsible(models.TextChoices):
    UNIT = "unit", _("项目建设单位")
    BUREAU = "bureau", _("数字化发展局")
    MEMBER = "member", _("联审成员单位")


class ServiceLevel(models.Model):
    """A configurable time limit (data, not code): e.g. completeness check within 5 working days."""

    code = models.CharField(_("代码"), max_length=64, unique=True)
    title = models.CharField(_("事项"), max_length=128)
    article = models.CharField(_("依据条款"), max_length=64, blank=True)
    period = models.PositiveIntegerField(_("期限"))
    unit = models.CharField(_("期限单位"), max_length=16, choices=PeriodUnit.choices, default=PeriodUnit.WORKING_DAYS)
    remind_before = models.PositiveSmallIntegerField(_("提前提醒（工作日）"), default=2)
    responsible = models.CharField(_("责任方"), max_length=16, choices=Responsible.choices, default=Responsible.UNIT)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.title}（{self.period}{self.get_unit_display()}）"


class ObligationStatus(models.TextChoices):
    OPEN = "open", _("办理中")
    DONE = "done", _("已完成")
    WAIVED = "waived", _("已免除")
    OVERDUE = "overdue", _("已逾期")


class ObligationSource(models.TextChoices):
    ASSESSMENT = "assessment", _("规则评估")
    SERVICE_LEVEL = "service_level", _("办理时限")
    MANUAL = "manual", _("人工登记")


OPEN_STATUSES = (ObligationStatus.OPEN, ObligationStatus.OVERDUE)


class Obligation(models.Model):
    project = models.ForeignKey("projects.Project", verbose_name=_("项目"), on_delete=models.CASCADE,
                                related_name="obligations")
    code = models.CharField(_("代码"), max_length=64, db_index=True)
    title = models.CharField(_("事项"), max_length=200)
    article = models.CharField(_("依据条款"), max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=ObligationSource.choices)
    start_date = models.DateField(_("起算日"), null=True, blank=True)
    due_date = models.DateField(_("到期日"), db_index=True)
    remind_on = models.DateField(_("提醒日"))
    status = models.CharField(_("状态"), max_length=16, choices=ObligationStatus.choices,
                              default=ObligationStatus.OPEN, db_index=True)
    responsible_org = models.ForeignKey(Organisation, verbose_name=_("责任单位"), on_delete=models.PROTECT,
                                        related_name="+")
    calendar_warning = models.TextField(_("日历提示"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    reminded_at = models.DateTimeField(_("提醒时间"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("督办时间"), null=True, blank=True)
    closed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("办结人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    close_note = models.CharField(_("办结说明"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("期限事项")
        verbose_name_plural = _("期限事项")
        ordering = ["due_date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "code"], condition=models.Q(status__in=["open", "overdue"]),
                                    name="one_open_obligation_per_code"),
        ]

    def __str__(self) -> str:
        return f"{self.title}（到期 {self.due_date:%Y-%m-%d}）"


class LimitOrigin(models.TextChoices):
    LEVEL = "level", _("办理时限")
    FALLBACK = "fallback", _("内置默认（未配置办理时限）")


class OpinionTimeLimit(models.Model):
    """The time limit an opinion task was given when it opened, as the service level stood that day.
    A later edit of the level moves no open task (ADR 0175); the task's due date was counted from this.
    It lives here, beside the levels, because the time-limit register owns what a level was."""

    task = models.OneToOneField("reviews.OpinionTask", verbose_name=_("审查任务"), on_delete=models.CASCADE,
                                related_name="time_limit")
    level = models.ForeignKey(ServiceLevel, verbose_name=_("办理时限"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    code = models.CharField(_("代码"), max_length=64)
    article = models.CharField(_("依据条款"), max_length=64, blank=True)
    period = models.PositiveIntegerField(_("期限"))
    unit = models.CharField(_("期限单位"), max_length=16, choices=PeriodUnit.choices)
    remind_before = models.PositiveSmallIntegerField(_("提前提醒（工作日）"))
    origin = models.CharField(_("来源"), max_length=16, choices=LimitOrigin.choices, default=LimitOrigin.LEVEL)
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("审查任务适用的办理时限")
        verbose_name_plural = _("审查任务适用的办理时限")

    def __str__(self) -> str:
        return f"{self.code} {self.period}{self.get_unit_display()}"
