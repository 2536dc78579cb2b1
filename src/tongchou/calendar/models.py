"""The State Council holiday schedule as rows the system admin can correct (the package lags a year)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("法定节假日")
    MAKEUP_WORKDAY = "workday", _("调休上班")


class DaySource(models.TextChoices):
    PACKAGE = "chinese-calendar", _("chinese-calendar 程序包")
    ADMIN = "admin", _("系统管理员录入")


class CalendarDay(models.Model):
    """A day that is not what its weekday says: a holiday on a weekday, or a 调休 working weekend."""

    date = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=16, choices=DayKind.choices)
    name = models.CharField(_("名称"), max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=32, choices=DaySource.choices, default=DaySource.ADMIN)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("更新人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose schedule is complete. A year without this row is counted Monday–Friday, with a warning."""

    year = models.PositiveSmallIntegerField(_("年度"), unique=True)
    source = models.CharField(_("来源"), max_length=32, choices=DaySource.choices, default=DaySource.ADMIN)
    note = models.CharField(_("说明"), max_length=255, blank=True)
    confirmed_at = models.DateTimeField(_("确认时间"), auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("确认人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("已录入安排的年度")
        verbose_name_plural = _("已录入安排的年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year} 年"
