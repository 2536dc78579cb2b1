"""Records the Measures ask for beyond one project's own application: its management mode (Art. 3),
the projects counties and parks join (Art. 6, 19), a county's own rule set (Art. 36) and the
funding route of a fiscally funded project (Art. 15)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongchou.portfolio.choices import FundingRouteKind, ManagementMode


class ProjectMode(models.Model):
    """Proposed by the applicant, confirmed by the project's authority in review. `mode` is the one in
    force (the confirmed one once there is one), kept as a column so the register filters and counts by it."""

    project = models.OneToOneField("projects.Project", on_delete=models.CASCADE, related_name="portfolio_mode")
    mode = models.CharField(_("管理模式"), max_length=16, choices=ManagementMode.choices, db_index=True)
    proposed_mode = models.CharField(_("申报的管理模式"), max_length=16, choices=ManagementMode.choices)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("申报时间"))
    confirmed_mode = models.CharField(_("审查确认的管理模式"), max_length=16, choices=ManagementMode.choices, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("确认时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("管理模式")
        verbose_name_plural = _("管理模式")
        constraints = [
            models.CheckConstraint(
                condition=Q(confirmed_mode="") | Q(mode=models.F("confirmed_mode")), name="mode_is_the_confirmed_one"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.mode}"

    @property
    def confirmed(self) -> bool:
        return bool(self.confirmed_mode)


class SharedProject(models.Model):
    """Art. 6: a prefecture department's project that counties or parks join."""

    parent = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="shared_as_parent")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("创建时间"))

    class Meta:
        verbose_name = _("共建共享项目")
        verbose_name_plural = _("共建共享项目")

    def __str__(self) -> str:
        return f"共建：{self.parent_id}"


class SharedParticipant(models.Model):
    """One participating county or park; `part` is its own project (own cost, funding, approval)."""

    shared = models.ForeignKey(SharedProject, on_delete=models.CASCADE, related_name="participants")
    jurisdiction = models.CharField(_("参与的县市或园区"), max_length=64)
    part = models.OneToOneField(
        "projects.Project", null=True, blank=True, on_delete=models.PROTECT, related_name="shared_as_part"
    )

    class Meta:
        verbose_name = _("参与县市（园区）")
        verbose_name_plural = _("参与县市（园区）")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["shared", "jurisdiction"], name="one_participant_per_jurisdiction"),
        ]

    def __str__(self) -> str:
        return self.jurisdiction


class SharedDocument(models.Model):
    """The shared requirements and standards the parent's unit sets (Art. 6: 总体要求和标准规范)."""

    shared = models.ForeignKey(SharedProject, on_delete=models.PROTECT, related_name="documents")
    title = models.CharField(_("标题"), max_length=200)
    file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("共建要求和标准规范")
        verbose_name_plural = _("共建要求和标准规范")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class LocalRuleset(models.Model):
    """A rule-set file a county bureau uploaded (its id is the policy registry's id)."""

    ruleset_id = models.CharField(_("规则集"), max_length=100, unique=True)
    jurisdiction = models.CharField(_("县市"), max_length=64)
    file_name = models.CharField(_("文件名"), max_length=160)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("县市规则集")
        verbose_name_plural = _("县市规则集")

    def __str__(self) -> str:
        return self.ruleset_id


class JurisdictionRuleset(models.Model):
    """Art. 36: which rule set a county's projects are assessed under. No row: the prefecture's."""

    jurisdiction = models.CharField(_("县市"), max_length=64, unique=True)
    ruleset_id = models.CharField(_("规则集"), max_length=100)
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("设置时间"))

    class Meta:
        verbose_name = _("县市适用规则集")
        verbose_name_plural = _("县市适用规则集")

    def __str__(self) -> str:
        return f"{self.jurisdiction} → {self.ruleset_id}"


class FundingRoute(models.Model):
    """Art. 15: how a fiscally funded project's money was decided, with the meeting and its date."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="funding_route")
    route = models.CharField(_("资金渠道"), max_length=32, choices=FundingRouteKind.choices)
    budget_year = models.PositiveSmallIntegerField(_("预算年度"), null=True, blank=True)
    reference = models.CharField(_("文件或纪要编号"), max_length=100, blank=True)
    meeting_name = models.CharField(_("会议名称"), max_length=200, blank=True)
    meeting_date = models.DateField(_("重大财政支出专题会日期"), null=True, blank=True)
    commission_date = models.DateField(_("州党委财经委员会审议日期"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("资金渠道（第十五条）")
        verbose_name_plural = _("资金渠道（第十五条）")
        constraints = [
            models.CheckConstraint(
                condition=Q(route=FundingRouteKind.PREFECTURE_BUDGET, budget_year__isnull=False)
                | Q(route=FundingRouteKind.MAJOR_EXPENDITURE_MEETING, meeting_date__isnull=False,
                    commission_date__isnull=False),
                name="funding_route_complete",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id}: {self.route}"


class BudgetHolder(models.Model):
    """Art. 28: finance's override of whose budget a project's construction funds are in (预算单位). Without a
    row the rule decides (`tongchou.portfolio.budget_holder`): the prefecture digital development bureau for
    州级 unified (统一建设), shared-infrastructure and 共建共享 projects, else the unit (ADR 0212)."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="budget_holder")
    holder = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+",
                               verbose_name=_("预算单位"))
    reason = models.TextField(_("调整理由"))
    set_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    set_at = models.DateTimeField(_("调整时间"))

    class Meta:
        verbose_name = _("预算单位（第二十八条）")
        verbose_name_plural = _("预算单位（第二十八条）")

    def __str__(self) -> str:
        return f"{self.project_id} → {self.holder_id}"
