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


class FundingSource(models.TextChoices):
    PREFECTURE_FISCAL = "prefecture_fiscal", _("州本级财政")
    SUPERIOR_SPECIAL = "superior_special", _("上级专项")
    XINJIANG_AID = "xinjiang_aid", _("援疆资金")
    SELF_RAISED = "self_raised", _("自筹资金")


class ProjectType(models.TextChoices):
    NEW = "new", _("新建")
    REBUILD = "rebuild", _("改建")
    EXPAND = "expand", _("扩建")
    MIGRATE = "migrate", _("迁移")
    OPERATIONS = "operations", _("运维")


class Category(models.TextChoices):
    DEVELOPMENT = "development", _("建设开发类")
    EQUIPMENT = "equipment", _("设备（硬件）采购类")
    SECURITY_ASSESSMENT = "security_assessment", _("等保测评·密评类")


class Deployment(models.TextChoices):
    GOV_CLOUD = "gov_cloud", _("政务云")
    SELF_HOSTED = "self_hosted", _("自建机房")
    SPECIAL_NETWORK = "special_network", _("专网")
    NONE = "none", _("无部署")


class PriorityBasis(models.TextChoices):
    SHARED_INFRASTRUCTURE = "shared_infrastructure", _("（一）基础性资源共享项目")
    MANDATED = "mandated", _("（二）国家或自治区要求建设")
    KEY_WORK = "key_work", _("（三）州重点工作或民生工程")
    OTHER_NECESSARY = "other_necessary", _("（四）其他有建设必要性")


class ReviewPath(models.TextChoices):
    SELF_PROCUREMENT = "self_procurement", _("自行组织实施")
    SECURITY_REVIEW = "security_review", _("保密·公安审核")
    JOINT_REVIEW = "joint_review", _("联合会审")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class Support(models.TextChoices):
    PRIORITY = "priority", _("重点支持")
    NORMAL = "normal", _("一般支持")
    CONDITIONAL = "conditional", _("有条件支持（第十三条例外）")
    NOT_SUPPORTED = "not_supported", _("不予支持")
    NOT_APPLICABLE = "not_applicable", _("不适用")


class MaterialKind(models.TextChoices):
    """Art. 10's materials; the codes are the assessment contract's material names."""

    BASIC_INFO = "basic_info", _("基本情况")
    TECHNICAL_PLAN = "technical_plan", _("技术方案")
    INTENSIVE_CONSTRUCTION = "intensive_construction_analysis", _("集约化建设分析")
    DATA_SHARING = "data_sharing_analysis", _("数据资源共享分析")
    SECURITY_PROTECTION = "security_protection", _("系统及数据安全防护")
    CRYPTO_APPLICATION = "crypto_application", _("密码应用")
    KEY_COMPONENTS = "key_component_selection", _("软硬件产品关键部位选型")
    INFORMATION_PROTECTION = "information_protection", _("信息防护")
    OM_PLAN = "om_plan", _("运维实施方案")
    FEASIBILITY_STUDY = "feasibility_study", _("可行性研究报告")
    # Art. 13: the written consent of the next-higher competent department, filed only as a file, required
    # when the application claims the exception (ADR 0195). Not an engine material name: `project_facts`
    # turns it into `exception.superior_consent` instead.
    SUPERIOR_CONSENT = "superior_consent", _("上一级业务主管部门书面同意的证明材料")


# Materials that only an uploaded file can provide (no text section on the form).
FILE_ONLY_MATERIALS = frozenset({MaterialKind.SUPERIOR_CONSENT.value})
TEXT_MATERIALS = tuple(k for k in MaterialKind if k.value not in FILE_ONLY_MATERIALS)


TECHNICAL_SECTIONS = (
    MaterialKind.INTENSIVE_CONSTRUCTION,
    MaterialKind.DATA_SHARING,
    MaterialKind.SECURITY_PROTECTION,
    MaterialKind.CRYPTO_APPLICATION,
    MaterialKind.KEY_COMPONENTS,
)


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

    # The facts of the assessment contract (/spec/assessment.md), one column each.
    application_date = models.DateField(_("申报日期"), null=True, blank=True)
    funding_source = models.CharField(
        _("资金来源"), max_length=24, choices=FundingSource.choices, default=FundingSource.PREFECTURE_FISCAL
    )
    emergency = models.BooleanField(_("紧急项目（不可抗力）"), default=False)
    project_type = models.CharField(_("项目类型"), max_length=16, choices=ProjectType.choices, default=ProjectType.NEW)
    category = models.CharField(_("项目类别"), max_length=24, choices=Category.choices, default=Category.DEVELOPMENT)
    construction_cost = models.DecimalField(_("项目资金（元，不含运维）"), max_digits=14, decimal_places=2, default=0)
    annual_om_cost = models.DecimalField(
        _("免费期后年度运维经费（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    deployment = models.CharField(_("部署方式"), max_length=24, choices=Deployment.choices, default=Deployment.GOV_CLOUD)
    special_network_basis = models.CharField(_("专网运行的国家规定依据"), max_length=500, blank=True)
    builds_standalone_infrastructure = models.BooleanField(_("单独新建或扩建机房、数据中心、云平台等"), default=False)
    buys_server_hardware = models.BooleanField(_("新增采购服务器、存储、服务端网络设备"), default=False)
    leases_internet_line = models.BooleanField(_("单独租赁互联网出口线路"), default=False)
    leases_unintegrated_private_network = models.BooleanField(_("租赁未整合到电子政务内外网的专网"), default=False)
    key_components_compliant = models.BooleanField(_("关键部件符合测评要求"), default=True)
    crypto_compliant = models.BooleanField(_("符合密码应用和网络安全保密要求"), default=True)
    major_security_risk = models.BooleanField(_("存在重大安全（保密）隐患"), default=False)
    obsolete_technology = models.BooleanField(_("技术路线落后、淘汰或高耗能"), default=False)
    goals_clear = models.BooleanField(_("需求与绩效目标明确"), default=True)
    internal_integration_done = models.BooleanField(_("内部系统整合到位"), default=True)
    data_sharing_done = models.BooleanField(_("数据共享要求落实到位"), default=True)
    duplicate_data_collection = models.BooleanField(_("重复采集数据"), default=False)
    original_project_accepted = models.BooleanField(_("原项目已竣工验收"), null=True, blank=True)
    exception_legal_basis = models.TextField(_("第十三条：法律依据"), blank=True)
    # Not an input: kept equal to "a `superior_consent` attachment is filed" by `attachments.attachment_add`
    # (ADR 0195); the assessment facts read the attachment itself.
    exception_superior_consent = models.BooleanField(_("第十三条：上一级主管部门书面同意"), default=False)
    provides_data_interface = models.BooleanField(_("提供数据接口"), default=True)
    involves_work_secrets = models.BooleanField(_("涉及工作秘密"), default=False)
    priority_basis = models.JSONField(_("重点支持情形"), default=list, blank=True)
    approval_date = models.DateField(_("立项批复日期"), null=True, blank=True)
    procurement_start_date = models.DateField(_("启动政府采购日期"), null=True, blank=True)
    work_start_date = models.DateField(_("开始建设日期"), null=True, blank=True)
    construction_period_months = models.PositiveSmallIntegerField(_("合同建设周期（月）"), null=True, blank=True)
    free_om_months = models.PositiveSmallIntegerField(_("免费运维期（月）"), null=True, blank=True)
    contract_term_months = models.PositiveSmallIntegerField(_("硬件合同建设运维期（月）"), null=True, blank=True)
    accepted = models.BooleanField(_("已通过竣工验收"), default=False)
    requests_om_funding = models.BooleanField(_("申请运维经费"), default=False)

    # From the latest stored assessment (written only by `assessment_store`), for filtering and routing.
    review_path = models.CharField(_("审查路径"), max_length=24, choices=ReviewPath.choices, blank=True)
    support = models.CharField(_("支持意见"), max_length=24, choices=Support.choices, blank=True)
    reviewer_codes = models.CharField(_("审查单位"), max_length=200, blank=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    # 重新申报 (Art. 26; also after 不予支持 or 撤回): the application this one replaces. One-to-one, so a
    # project is re-applied at most once; the old project keeps its own record untouched (ADR 0185).
    supersedes = models.OneToOneField(
        "self", verbose_name=_("重新申报自"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="superseded_by",
    )

    class Meta:
        verbose_name = _("项目")
        verbose_name_plural = _("项目")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["unit", "-id"], name="project_unit_id"),
            models.Index(fields=["year", "-id"], name="project_year_id"),
            models.Index(fields=["level", "-id"], name="project_level_id"),
            models.Index(fields=["status", "-id"], name="project_status_id"),
            models.Index(fields=["review_path", "-id"], name="project_path_id"),
            models.Index(fields=["support", "-id"], name="project_support_id"),
            models.Index(fields=["construction_cost", "id"], name="project_cost_id"),
            models.Index(fields=["name", "id"], name="project_name_id"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(construction_cost__gte=0), name="project_cost_not_negative"),
            models.CheckConstraint(
                condition=models.Q(annual_om_cost__isnull=True) | models.Q(annual_om_cost__gte=0),
                name="project_om_cost_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @property
    def reviewers(self) -> list[str]:
        return [c for c in self.reviewer_codes.split(",") if c]


class ProjectCodeCounter(models.Model):
    """The last number issued per prefix and year; its row is the lock two applicants queue on."""

    prefix = models.CharField(max_length=16)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="one_counter_per_prefix_year")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class ProjectMaterial(models.Model):
    """One Art. 10 section as structured text."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="materials")
    kind = models.CharField(_("材料"), max_length=40, choices=MaterialKind.choices)
    text = models.TextField(_("内容"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["project", "kind"], name="one_material_per_kind")]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.kind}"


class ProjectAttachment(models.Model):
    """An Art. 10 material filed as a file. The bytes, their name, type, size and SM3 digest are the
    `documents.StoredFile` it points to (ADR 0160); this row says which project and which material."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="attachments")
    material = models.CharField(_("所属材料"), max_length=40, choices=MaterialKind.choices)
    file = models.ForeignKey("documents.StoredFile", on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["material", "id"]

    def __str__(self) -> str:
        return self.display_name

    # The names the pages, the API and the audit trail have always used.
    @property
    def display_name(self) -> str:
        return self.file.display_name

    @property
    def content_type(self) -> str:
        return self.file.content_type

    @property
    def size(self) -> int:
        return self.file.size

    @property
    def sm3(self) -> str:
        return self.file.sm3


class ProjectAssessment(models.Model):
    """An engine answer kept with its receipt, so the decision can be reproduced years later."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="assessments")
    facts = models.JSONField(_("评估事实"))
    result = models.JSONField(_("评估结果"))
    receipt = models.JSONField(_("执行回执"), default=dict)
    ruleset_id = models.CharField(_("规则集"), max_length=64)
    ruleset_hash = models.CharField(_("规则集摘要"), max_length=128, blank=True)
    purpose = models.CharField(_("用途"), max_length=24, default="submit")
    assessed_at = models.DateTimeField(_("评估时间"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("评估人"), null=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_at", "-id"]
        indexes = [models.Index(fields=["project", "-assessed_at"], name="assessment_project_at")]

    def __str__(self) -> str:
        return f"{self.project_id}@{self.assessed_at:%Y-%m-%d %H:%M}"


class SplitVerdict(models.TextChoices):
    OPEN = "open", _("待研判")
    CONFIRMED = "confirmed", _("确认拆分")
    DISMISSED = "dismissed", _("排除")


class SplitOutcome(models.TextChoices):
    JOINT_REVIEW = "joint_review", _("按合计金额走审查路径")
    RETURNED = "returned", _("退回合并申报")
    NOTED = "noted", _("记录在案")


class SplitFinding(models.Model):
    """A suspected split (Art. 8, 16) or duplicate build (Art. 3) found when the project was submitted,
    kept with the evidence as it stood then, and the bureau's judgement of it. Submission is not blocked:
    the Measures leave the judgement to the bureau (ADR 0170)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="split_findings")
    assessment = models.ForeignKey(ProjectAssessment, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    code = models.CharField(_("发现"), max_length=24)  # ART8-SPLIT, or ART3-DUPLICATE when no split
    article = models.CharField(_("依据"), max_length=64)
    score = models.FloatField(_("最高相似度"), default=0)
    own_cost = models.DecimalField(_("本项目金额"), max_digits=14, decimal_places=2, default=0)
    combined_cost = models.DecimalField(_("合计金额"), max_digits=14, decimal_places=2, default=0)
    combined_path = models.CharField(_("合计金额的审查路径"), max_length=24, blank=True)
    evades_review = models.BooleanField(_("分开申报规避更严格的审查"), default=False)
    evidence = models.JSONField(_("证据"), default=dict)  # {"split": [...], "overlap": [...], "systems": [...]}
    ruleset_thresholds = models.JSONField(_("适用的金额标准"), default=dict)
    detected_at = models.DateTimeField(_("检测时间"))
    verdict = models.CharField(_("研判"), max_length=16, choices=SplitVerdict.choices, default=SplitVerdict.OPEN)
    outcome = models.CharField(_("处理"), max_length=16, choices=SplitOutcome.choices, blank=True)
    reason = models.TextField(_("研判理由"), blank=True)
    judged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    judged_at = models.DateTimeField(_("研判时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("疑似拆分")
        verbose_name_plural = _("疑似拆分")
        ordering = ["-detected_at", "-id"]
        indexes = [models.Index(fields=["verdict", "-detected_at"], name="split_verdict_at")]

    def __str__(self) -> str:
        return f"{self.project_id}:{self.code}:{self.verdict}"

    @property
    def combined_path_label(self) -> str:
        from tongchou.demand.splits.review_path import PATH_LABELS

        return PATH_LABELS.get(self.combined_path, "")
