"""Review rounds (Art. 14–17) as rows: a round per review, one opinion task per member running in
parallel, the opinions, 补正 requests that stop a task's clock, the expert conclusions, the
consolidated 行业主管部门审查意见, then 立项批复 and the budget (Art. 18, 21, 26).
See docs/adr/0070-review-rounds-and-tasks.md."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongchou.accounts.models import MemberRole
from tongchou.projects.models import FundingSource  # one list, one set of labels (申报表 and 预算安排)


class ReviewPath(models.TextChoices):
    JOINT_REVIEW = "joint_review", _("联合会审")
    SECURITY_REVIEW = "security_review", _("安全审核")
    SELF_PROCUREMENT = "self_procurement", _("自行组织实施")


class Conclusion(models.TextChoices):
    AGREE = "agree", _("同意")
    AGREE_WITH_CHANGES = "agree_with_changes", _("修改后同意")
    DISAGREE = "disagree", _("不同意")


class ExceptionDecision(models.TextChoices):
    ACCEPTED = "accepted", _("接受例外")
    REFUSED = "refused", _("不接受例外")




class ProjectRouting(models.Model):
    """What the stored assessment decided when the authority accepted the application."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="routing")
    review_path = models.CharField(_("审查路径"), max_length=32, choices=ReviewPath.choices)
    authority = models.ForeignKey("accounts.Organisation", verbose_name=_("审查机关"), on_delete=models.PROTECT,
                                  related_name="+")
    reviewers = models.JSONField(_("审查成员"), default=list)
    expert_review = models.BooleanField(_("专家评审"), default=False)
    assessment = models.JSONField(_("评估结果"), default=dict)
    exception = models.JSONField(_("第十三条例外"), null=True, blank=True)
    routed_at = models.DateTimeField(_("分办时间"))
    routed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("审查分办")
        verbose_name_plural = _("审查分办")

    def __str__(self) -> str:
        return f"{self.project_id} {self.get_review_path_display()}"


class RoundStatus(models.TextChoices):
    OPEN = "open", _("审查中")
    CLOSED = "closed", _("已出具意见")
    CANCELLED = "cancelled", _("已撤销")


class ReviewRound(models.Model):
    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="review_rounds")
    number = models.PositiveSmallIntegerField(_("轮次"))
    review_path = models.CharField(_("审查路径"), max_length=32, choices=ReviewPath.choices)
    authority = models.ForeignKey("accounts.Organisation", verbose_name=_("审查机关"), on_delete=models.PROTECT,
                                  related_name="+")
    expert_review = models.BooleanField(_("专家评审"), default=False)
    status = models.CharField(_("状态"), max_length=16, choices=RoundStatus.choices, default=RoundStatus.OPEN)
    # Art. 13: {"legal_basis": str, "superior_consent": bool, "consent_document": str}; shown to every reviewer.
    exception = models.JSONField(_("第十三条例外"), null=True, blank=True)
    opened_at = models.DateTimeField(_("启动时间"))
    opened_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("审查轮次")
        verbose_name_plural = _("审查轮次")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project"], condition=Q(status="open"), name="one_open_round_per_project"),
            models.UniqueConstraint(fields=["project", "number"], name="round_number_unique_per_project"),
        ]

    def __str__(self) -> str:
        return f"{self.project} 第{self.number}轮{self.get_review_path_display()}"


class TaskStatus(models.TextChoices):
    OPEN = "open", _("待出具意见")
    PAUSED = "paused", _("补正中（计时暂停）")
    SUBMITTED = "submitted", _("已出具意见")


class OpinionTask(models.Model):
    """One member's part of a round. `reviewer_org` is whose reviewers may write it: the member unit,
    the prefecture bureau for its own aspects, or — for a county project — the county bureau."""

    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="tasks")
    member = models.CharField(_("成员单位职责"), max_length=32, choices=MemberRole.choices)
    reviewer_org = models.ForeignKey("accounts.Organisation", verbose_name=_("审查单位"), on_delete=models.PROTECT,
                                     related_name="opinion_tasks")
    mandatory = models.BooleanField(_("必须出具"), default=True)
    status = models.CharField(_("状态"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    opened_on = models.DateField(_("开始日期"))
    due_date = models.DateField(_("办理期限"))
    paused_working_days = models.PositiveIntegerField(_("暂停工作日"), default=0)
    reminded_on = models.DateField(_("到期提醒日"), null=True, blank=True)
    escalated_on = models.DateField(_("逾期督办日"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1)

    class Meta:
        verbose_name = _("审查任务")
        verbose_name_plural = _("审查任务")
        ordering = ["round_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_task_per_member_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.round} · {self.get_member_display()}"


class Opinion(models.Model):
    task = models.OneToOneField(OpinionTask, on_delete=models.PROTECT, related_name="opinion")
    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="opinions")
    member = models.CharField(_("成员单位职责"), max_length=32, choices=MemberRole.choices)
    conclusion = models.CharField(_("结论"), max_length=32, choices=Conclusion.choices)
    comments = models.JSONField(_("分方面意见"), default=dict)
    cost_reduction = models.DecimalField(_("建议核减投资（元）"), max_digits=14, decimal_places=2, null=True, blank=True)
    reduction_reasons = models.TextField(_("核减理由"), blank=True)
    exception_decision = models.CharField(_("例外情形意见"), max_length=16, choices=ExceptionDecision.choices,
                                          blank=True)
    exception_reason = models.TextField(_("例外情形说明"), blank=True)
    # Art. 13: the written-consent document the exception decision was based on, and its SM3 at the time
    # of the decision (ADR 0196).
    exception_document = models.ForeignKey("projects.ProjectAttachment", verbose_name=_("例外情形依据的书面同意文件"),
                                           null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    exception_document_sm3 = models.CharField(_("书面同意文件 SM3"), max_length=64, blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("出具时间"))

    class Meta:
        verbose_name = _("成员单位意见")
        verbose_name_plural = _("成员单位意见")
        constraints = [
            models.UniqueConstraint(fields=["round", "member"], name="one_opinion_per_member_per_round"),
            models.CheckConstraint(condition=Q(cost_reduction__isnull=True) | Q(cost_reduction__gte=0),
                                   name="opinion_cost_reduction_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.get_member_display()}：{self.get_conclusion_display()}"


class SupplementRequest(models.Model):
    """补正: a reviewer asks the applicant for material; the task's clock stops until the answer."""

    task = models.ForeignKey(OpinionTask, on_delete=models.PROTECT, related_name="supplements")
    question = models.TextField(_("补正要求"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("提出时间"))
    requested_on = models.DateField(_("提出日期"))
    answer = models.TextField(_("补正答复"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    paused_working_days = models.PositiveIntegerField(_("暂停工作日"), null=True, blank=True)

    class Meta:
        verbose_name = _("补正要求")
        verbose_name_plural = _("补正要求")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=Q(answered_at__isnull=True),
                                    name="one_pending_supplement_per_task"),
        ]

    def __str__(self) -> str:
        return f"{self.task} 补正"


class OpinionAttachment(models.Model):
    """A file a member's reviewers attach to their opinion (Art. 14). It belongs to the task while the
    opinion is being written and is frozen with it: once the opinion is given, nothing is added or
    removed. See docs/adr/0130-review-attachments.md."""

    task = models.ForeignKey(OpinionTask, on_delete=models.PROTECT, related_name="attachments")
    file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("审查意见附件")
        verbose_name_plural = _("审查意见附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file.display_name


class SupplementAttachment(models.Model):
    """A file the applicant unit sends with its 补正 answer; frozen once the answer is given."""

    supplement = models.ForeignKey(SupplementRequest, on_delete=models.PROTECT, related_name="attachments")
    file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("上传时间"))

    class Meta:
        verbose_name = _("补正材料附件")
        verbose_name_plural = _("补正材料附件")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.file.display_name


class ExpertConclusion(models.Model):
    """The expert panel's conclusions for a round. Recorded by hand by the bureau until the expert
    pool's draw is wired in; `expert_ref` then holds the pool id and `source` becomes "draw"."""

    round = models.ForeignKey(ReviewRound, on_delete=models.PROTECT, related_name="expert_conclusions")
    expert_ref = models.CharField(_("专家库编号"), max_length=32, blank=True)
    expert_name = models.CharField(_("专家姓名"), max_length=64)
    expert_org = models.CharField(_("工作单位"), max_length=128, blank=True)
    category = models.CharField(_("专业类别"), max_length=64, blank=True)
    source = models.CharField(_("来源"), max_length=16, default="manual")
    conclusion = models.CharField(_("结论"), max_length=32, choices=Conclusion.choices)
    comments = models.TextField(_("评审意见"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("专家评审结论")
        verbose_name_plural = _("专家评审结论")
        ordering = ["round_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "expert_name"], name="one_conclusion_per_expert_per_round"),
        ]

    def __str__(self) -> str:
        return f"{self.expert_name}：{self.get_conclusion_display()}"


class ConsolidatedStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    ISSUED = "issued", _("已印发")


class ConsolidatedOpinion(models.Model):
    """行业主管部门审查意见: drafted by Tongchou, edited by the bureau, issued with a 文号 and a .docx."""

    round = models.OneToOneField(ReviewRound, on_delete=models.PROTECT, related_name="consolidated")
    title = models.CharField(_("标题"), max_length=200)
    addressee = models.CharField(_("主送机关"), max_length=128)
    body = models.TextField(_("正文"))
    conclusion = models.CharField(_("审查结论"), max_length=32, choices=Conclusion.choices)
    # {member code: the bureau's answer to that member's 不同意}; one required per dissent.
    dissent_responses = models.JSONField(_("对不同意意见的答复"), default=dict, blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ConsolidatedStatus.choices,
                              default=ConsolidatedStatus.DRAFT)
    version = models.PositiveIntegerField(_("版本"), default=1)
    edited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    edited_at = models.DateTimeField(_("修改时间"))
    issuer = models.ForeignKey("accounts.Organisation", verbose_name=_("发文机关"), on_delete=models.PROTECT,
                               related_name="+")
    doc_year = models.PositiveSmallIntegerField(_("文号年份"), null=True, blank=True)
    doc_seq = models.PositiveIntegerField(_("文号序号"), null=True, blank=True)
    doc_number = models.CharField(_("文号"), max_length=64, null=True, blank=True, unique=True)
    issued_on = models.DateField(_("成文日期"), null=True, blank=True)
    issued_at = models.DateTimeField(_("印发时间"), null=True, blank=True)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    docx = models.BinaryField(_("公文文件"), null=True, blank=True)
    docx_sm3 = models.CharField(_("SM3 摘要"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("行业主管部门审查意见")
        verbose_name_plural = _("行业主管部门审查意见")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "doc_year", "doc_seq"], condition=Q(doc_seq__isnull=False),
                                    name="doc_number_sequence_unique"),
            models.CheckConstraint(
                condition=Q(status="draft") | (Q(doc_number__isnull=False) & ~Q(docx_sm3="")),
                name="issued_opinion_has_number_and_digest",
            ),
        ]

    def __str__(self) -> str:
        return self.doc_number or self.title


class DocumentNumberCounter(models.Model):
    """The last 文号 sequence used per issuer and year; locked row while a number is allocated."""

    issuer = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "year"], name="one_counter_per_issuer_year")]

    def __str__(self) -> str:
        return f"{self.issuer_id} {self.year}: {self.last}"


class ProjectApproval(models.Model):
    """立项批复 (development and reform commission). The approval date starts Art. 26's one-year clock."""

    project = models.OneToOneField("projects.Project", on_delete=models.PROTECT, related_name="approval")
    doc_number = models.CharField(_("批复文号"), max_length=64)
    approval_date = models.DateField(_("批复日期"))
    approved_amount = models.DecimalField(_("批复金额（元）"), max_digits=14, decimal_places=2)
    procurement_deadline = models.DateField(_("启动政府采购期限"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("立项批复")
        verbose_name_plural = _("立项批复")
        constraints = [
            models.CheckConstraint(condition=Q(approved_amount__gt=0), name="approval_amount_positive"),
        ]

    def __str__(self) -> str:
        return self.doc_number


class ProjectBudget(models.Model):
    """预算批复 (finance), one row per budget year."""

    project = models.ForeignKey("projects.Project", on_delete=models.PROTECT, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("预算年度"))
    amount = models.DecimalField(_("预算金额（元）"), max_digits=14, decimal_places=2)
    source = models.CharField(_("资金来源"), max_length=32, choices=FundingSource.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("登记时间"))

    class Meta:
        verbose_name = _("预算安排")
        verbose_name_plural = _("预算安排")
        ordering = ["year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="one_budget_per_project_year"),
            models.CheckConstraint(condition=Q(amount__gt=0), name="budget_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} {self.year}"
