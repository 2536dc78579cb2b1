"""Web forms for the delivery page: they parse and type the input, and every error names its field in
Chinese. They decide nothing — the services do (Art. 20–30 checks, who may act, the project's state)."""

from __future__ import annotations

import re
from typing import Any

from django import forms

from tongchou.accounts.models import Level, Organisation
from tongchou.delivery.models import (
    AssessmentResult,
    CommitteeMember,
    CommitteeSeat,
    ContractKind,
    Deployment,
    Dimension,
    InventorySystem,
    MigrationStatus,
    Operator,
    PerformanceIndicator,
    PerformanceReport,
    Procurement,
    ProcurementMethod,
    ReportKind,
    SecurityProfile,
)
from tongchou.delivery.overview import plain_number
from tongchou.delivery.rules.committee import required_seats
from tongchou.delivery.seams import accepted_draw_members
from tongchou.projects.models import Project

_NOTE = re.compile(r"（.*?）")


def _date_field(label: str, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, help_text=help_text,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


def _money(label: str, required: bool = True) -> forms.DecimalField:
    return forms.DecimalField(label=label, required=required, min_value=0, max_digits=14, decimal_places=2,
                              widget=forms.TextInput(attrs={"inputmode": "decimal"}))


def _months(label: str) -> forms.IntegerField:
    return forms.IntegerField(label=label, required=False, min_value=0, max_value=600,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))


def _text(label: str, rows: int = 3, required: bool = True, max_length: int = 20000) -> forms.CharField:
    return forms.CharField(label=label, required=required, max_length=max_length,
                           widget=forms.Textarea(attrs={"rows": rows}))


class DeliveryForm(forms.Form):
    """Errors say which field and what to do: 「签订日期应为 YYYY-MM-DD 格式的日期。」 not 「输入一个有效的日期。」.
    `field_map` turns a service's field name (DomainError.field) into this form's field."""

    field_map: dict[str, str] = {}

    def __init__(self, *args: Any, project: Project, key: str = "", **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"id_{key or type(self).__name__.lower()}_%s")
        super().__init__(*args, **kwargs)
        self.project = project
        for field in self.fields.values():
            self._name_errors(field)

    @staticmethod
    def _name_errors(field: forms.Field) -> None:
        name = _NOTE.sub("", str(field.label or "该项"))
        choose = isinstance(field, (forms.ChoiceField, forms.ModelChoiceField))
        field.error_messages.update({
            "required": f"请{'选择' if choose else '填写'}{name}。",
            "invalid_choice": f"{name}的选项无效，请重新选择。",
            "min_value": f"{name}不能小于 %(limit_value)s。",
            "max_value": f"{name}不能大于 %(limit_value)s。",
            "max_length": f"{name}不能超过 %(limit_value)d 个字。",
            "max_digits": f"{name}的数字位数过多。",
            "max_decimal_places": f"{name}最多保留 %(max)s 位小数。",
            "max_whole_digits": f"{name}的整数部分位数过多。",
        })
        if isinstance(field, forms.DateField):
            field.error_messages["invalid"] = f"{name}应为 YYYY-MM-DD 格式的日期。"
        elif isinstance(field, (forms.DecimalField, forms.IntegerField)):
            field.error_messages["invalid"] = f"{name}应为数字。"

    def form_field_for(self, service_field: str | None) -> str | None:
        if not service_field:
            return None
        name = self.field_map.get(service_field, service_field)
        return name if name in self.fields else None

    def service_kwargs(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class VersionedForm(DeliveryForm):
    """A lifecycle step: the version the user saw, so a concurrent change is refused (409), not overwritten."""

    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"version": project.version})
        super().__init__(*args, project=project, **kwargs)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version", None)
        return data


# --- Procurement and implementation (Art. 20, 21, 23, 26, 27, 29) ---

class ProcurementForm(DeliveryForm):
    method = forms.ChoiceField(label="采购方式", required=False,
                               choices=[("", "（未定）"), *ProcurementMethod.choices])
    start_date = _date_field("启动政府采购日期", required=False, help_text="第二十六条：立项批复后一年内启动")
    tender_free_om_months = _months("招标文件：免费运维期（月）")
    tender_annual_om_fee = _money("招标文件：免费期后每年运维费（元）", required=False)
    tender_ip_to_government = forms.BooleanField(label="招标文件已明确成果及知识产权归政府所有（第二十七条）", required=False)
    implementing_body = forms.CharField(label="项目实施机构（第二十条）", required=False, max_length=128)
    responsible_person = forms.CharField(label="项目责任人（第二十条）", required=False, max_length=64)
    responsible_phone = forms.CharField(label="责任人联系电话（留空则不修改）", required=False, max_length=32)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        record = Procurement.objects.filter(project=project).first()
        if record is not None and not args:
            kwargs.setdefault("initial", {name: getattr(record, name) for name in (
                "method", "start_date", "tender_free_om_months", "tender_annual_om_fee", "tender_ip_to_government",
                "implementing_body", "responsible_person")})
        super().__init__(*args, project=project, **kwargs)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if not data.get("responsible_phone"):
            data.pop("responsible_phone", None)  # shown masked, so never sent back: blank keeps it
        return data


class ContractForm(DeliveryForm):
    kind = forms.ChoiceField(label="合同类别", required=False, choices=[("", "（按项目类别）"), *ContractKind.choices])
    vendor = forms.CharField(label="供应商", max_length=200)
    amount = _money("合同金额（元）")
    signed_on = _date_field("签订日期")
    construction_period_months = _months("建设周期（月）")
    free_om_months = _months("免费运维期（月）")
    term_months = _months("建设运维期（月，硬件采购类）")
    ip_to_government = forms.BooleanField(label="合同约定成果及知识产权归政府所有（第二十七条）", required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["kind"] = data.get("kind") or None
        return data


class ImplementationStartForm(VersionedForm):
    started_on = _date_field("开始实施日期", required=False, help_text="留空为今天")


class MilestoneForm(DeliveryForm):
    name = forms.CharField(label="里程碑名称", max_length=200)
    planned_on = _date_field("计划完成日期")
    note = forms.CharField(label="说明", required=False, max_length=2000)


class MilestoneDoneForm(DeliveryForm):
    done_on = _date_field("实际完成日期")


class ReportForm(DeliveryForm):
    kind = forms.ChoiceField(label="报告类型", choices=ReportKind.choices)
    reported_on = _date_field("报告日期")
    author = forms.CharField(label="报告单位（人）", max_length=200)
    percent_complete = forms.IntegerField(label="完成比例（%）", required=False, min_value=0, max_value=100)
    summary = _text("报告内容摘要")
    issues = _text("存在问题", rows=2, required=False)


# --- Security and cryptography (Art. 22) ---

class SecurityForm(DeliveryForm):
    crypto_plan = _text("密码应用方案", rows=4, required=False)
    crypto_plan_approved_on = _date_field("密码应用方案通过审核日期", required=False)
    grade = forms.TypedChoiceField(label="等级保护级别", required=False, coerce=int, empty_value=None,
                                   choices=[("", "（未定级）"), *[(n, f"第{n}级") for n in range(1, 6)]])
    go_live_on = _date_field("投入运行日期", required=False)
    filed_on = _date_field("等保备案日期", required=False, help_text="投入运行后30日内向公安机关备案")
    filing_number = forms.CharField(label="备案证明编号", required=False, max_length=64)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        profile = SecurityProfile.objects.filter(project=project).first()
        if profile is not None and not args:
            kwargs.setdefault("initial", {name: getattr(profile, name) for name in (
                "crypto_plan", "crypto_plan_approved_on", "grade", "go_live_on", "filed_on", "filing_number")})
        super().__init__(*args, project=project, **kwargs)


class GradeAssessmentForm(DeliveryForm):
    assessed_on = _date_field("测评日期")
    assessor = forms.CharField(label="测评机构", max_length=200)
    result = forms.ChoiceField(label="结论", choices=AssessmentResult.choices)
    next_due = _date_field("下次测评到期日（默认一年后）", required=False)


class CryptoAssessmentForm(DeliveryForm):
    assessed_on = _date_field("评估日期")
    assessor = forms.CharField(label="评估机构", max_length=200)
    result = forms.ChoiceField(label="结论", choices=AssessmentResult.choices)
    score = forms.DecimalField(label="评估得分", required=False, min_value=0, max_value=100, max_digits=5,
                               decimal_places=2)
    next_due = _date_field("下次评估到期日（默认一年后）", required=False)


# --- Supervision: public security and the crypto bureau (Art. 14(二)(三), 22, 30(二)) ---

class InspectionForm(DeliveryForm):
    inspected_on = _date_field("检查日期", required=False, help_text="留空为今天")
    scope = _text("检查范围", rows=2, max_length=5000)
    findings = _text("发现的问题", rows=3, required=False)
    adverse = forms.BooleanField(label="存在重大安全隐患（风险排查）／密码应用不合规（密码应用检查）", required=False,
                                 help_text="未消除前，运维经费申请按第三十条第（二）项评估，不论建设单位如何填报。")


class RectificationForm(DeliveryForm):
    due_on = _date_field("整改期限")
    requirements = _text("整改要求", rows=3)
    inspection_id = forms.TypedChoiceField(label="依据的检查", required=False, coerce=int, empty_value=None,
                                           choices=[("", "（无）")])

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        from tongchou.delivery.models import SupervisoryInspection

        rows = SupervisoryInspection.objects.filter(project=project).order_by("-inspected_on", "-id")
        field = self.fields["inspection_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "（无）"), *[(i.pk, f"{i.inspected_on:%Y-%m-%d} {i.get_kind_display()}"
                                          f"{'（' + i.adverse_label + '）' if i.adverse else ''}") for i in rows]]

    def service_kwargs(self) -> dict[str, Any]:
        from tongchou.delivery.models import SupervisoryInspection

        data = dict(self.cleaned_data)
        pk = data.pop("inspection_id", None)
        data["inspection"] = SupervisoryInspection.objects.filter(project=self.project, pk=pk).first() if pk else None
        return data


class RectificationReportForm(DeliveryForm):
    report = _text("整改报告（整改措施与结果）", rows=3)
    reported_on = _date_field("报送日期", required=False, help_text="留空为今天")


class RectificationVerifyForm(DeliveryForm):
    passed = forms.TypedChoiceField(label="验收结论", coerce=lambda v: v == "1",
                                    choices=[("1", "整改合格"), ("0", "整改不合格，退回")])
    note = forms.CharField(label="验收意见", required=False, max_length=20000)
    new_due_on = _date_field("新的整改期限（不合格时必填）", required=False)


class PerformanceReviewForm(DeliveryForm):
    accept = forms.TypedChoiceField(label="审核结论", coerce=lambda v: v == "1",
                                    choices=[("1", "审核通过"), ("0", "退回修改")])
    note = forms.CharField(label="审核意见（退回时写明理由）", required=False, max_length=2000)


class CryptoReviewForm(DeliveryForm):
    confirmed = forms.TypedChoiceField(label="意见", coerce=lambda v: v == "1",
                                       choices=[("1", "确认密评结论"), ("0", "有异议")])
    note = forms.CharField(label="理由（有异议时必填）", required=False, max_length=20000)


# --- Trial operation and acceptance (Art. 24) ---

class TrialStartForm(VersionedForm):
    started_on = _date_field("试运行开始（投入运行）日期")


class TrialFinishForm(DeliveryForm):
    ended_on = _date_field("试运行结束日期")
    normal = forms.TypedChoiceField(label="试运行结论", coerce=lambda v: v == "1",
                                    choices=[("1", "运行正常"), ("0", "运行不正常")])
    summary = _text("试运行情况", rows=2, required=False)


class AcceptanceApplyForm(VersionedForm):
    report = _text("竣工验收报告", rows=6)
    applied_on = _date_field("申请日期", required=False, help_text="留空为今天")


OTHER_ROWS = 2


class CommitteeForm(DeliveryForm):
    """One row per seat Art. 24 requires, in its order, plus two rows for 其他部门. A row left empty is
    simply not sent: the service names every missing seat in one refusal."""

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        if not args:
            kwargs.setdefault("initial", self._current(project))
        super().__init__(*args, project=project, **kwargs)
        orgs = Organisation.objects.filter(is_active=True)
        self.rows: list[tuple[str, str]] = []
        # A county project's seats are the county's own departments (Art. 19, 36; ADR 0190).
        for seat, label in required_seats(project.level == Level.COUNTY):
            if seat == "expert":
                drawn = accepted_draw_members(project)
                self.has_experts = bool(drawn)
                self.fields["expert_member"] = forms.TypedChoiceField(
                    label=f"{label}", required=False, coerce=int, empty_value=None,
                    choices=[("", "（未选）"), *[(m.pk, f"{m.expert.name}（{m.expert.employer}）")
                                               for m in drawn]])
                self.rows.append((seat, label))
                continue
            self._seat_fields(seat, label, orgs)
        for n in range(1, OTHER_ROWS + 1):
            self._seat_fields(f"other{n}", f"{CommitteeSeat.OTHER.label}{n}", orgs)
        self.fields["convened_on"] = _date_field("组建日期", required=False, help_text="留空为今天")
        for field in self.fields.values():
            self._name_errors(field)

    @staticmethod
    def _current(project: Project) -> dict[str, Any]:
        """The committee as last convened, so re-convening changes only what is typed."""
        initial: dict[str, Any] = {}
        others = 0
        for m in CommitteeMember.objects.filter(acceptance__project=project).order_by("pk"):
            if m.seat == "expert":
                initial.setdefault("expert_member", m.draw_member_id)
                continue
            key = m.seat
            if m.seat == "other":
                others += 1
                key = f"other{others}"
            if f"{key}_name" not in initial:
                initial[f"{key}_name"], initial[f"{key}_org"] = m.name, m.organisation_id
        return initial

    def _seat_fields(self, key: str, label: str, orgs: Any) -> None:
        self.fields[f"{key}_name"] = forms.CharField(label=f"{label}委员姓名", required=False, max_length=64)
        self.fields[f"{key}_org"] = forms.ModelChoiceField(label=f"{label}委员所在单位", required=False,
                                                           queryset=orgs, empty_label="（选择单位）")
        self.rows.append((key, label))

    def row_fields(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(label, [self[f"{key}_name"], self[f"{key}_org"]] if key != "expert" else [self["expert_member"]])
                for key, label in self.rows]

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        members: list[dict[str, Any]] = []
        for key, _label in self.rows:
            if key == "expert":
                if data.get("expert_member"):
                    members.append({"seat": "expert", "draw_member_id": data["expert_member"]})
                continue
            name, org = (data.get(f"{key}_name") or "").strip(), data.get(f"{key}_org")
            if name or org:
                seat = "other" if key.startswith("other") else key
                members.append({"seat": seat, "name": name, "organisation_id": org.pk if org else None})
        return {"members": members, "convened_on": data.get("convened_on")}


class ConcludeForm(DeliveryForm):
    passed = forms.TypedChoiceField(label="验收结论", coerce=lambda v: v == "1",
                                    choices=[("1", "通过竣工验收"), ("0", "未通过")])
    conclusion = _text("验收意见", rows=3)
    issues = _text("整改问题", rows=2, required=False)
    concluded_on = _date_field("验收日期", required=False, help_text="留空为今天")


class StepForm(VersionedForm):
    """A lifecycle step with nothing to fill in (转入运维)."""


# --- Performance (Art. 25) ---

class IndicatorForm(DeliveryForm):
    dimension = forms.ChoiceField(label="指标类别", choices=Dimension.choices)
    name = forms.CharField(label="指标名称", max_length=200)
    operator = forms.ChoiceField(label="比较方式", choices=Operator.choices)
    target = forms.DecimalField(label="目标值", max_digits=16, decimal_places=4)
    unit = forms.CharField(label="计量单位", required=False, max_length=32)


class ScheduleForm(DeliveryForm):
    kind = forms.ChoiceField(label="报告类型", choices=PerformanceReport.Kind.choices)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    period = forms.CharField(label="期间（运行监控填，如 上半年）", required=False, max_length=32)
    due_on = _date_field("报送期限")


class MonitoringForm(DeliveryForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    period = forms.CharField(label="期间", required=False, max_length=32)
    progress_percent = forms.DecimalField(label="进度完成率（%）", min_value=0, max_value=100, max_digits=5,
                                          decimal_places=2)
    budget = _money("预算数（元）")
    spent = _money("执行数（元）")
    summary = _text("监控情况", rows=2, required=False)


class SelfEvaluationForm(DeliveryForm):
    """One actual value per indicator, keyed `actual_<id>` (the service's `actuals.<id>`)."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    budget = _money("预算数（元）")
    spent = _money("执行数（元）")
    summary = _text("自评说明", rows=2, required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        self.indicators = list(PerformanceIndicator.objects.filter(project=project).order_by("dimension", "id"))
        for i in self.indicators:
            field = forms.DecimalField(label=f"「{i.name}」实际值", max_digits=16, decimal_places=4,
                                       help_text=f"{i.get_dimension_display()}：目标 {i.get_operator_display()} "
                                                 f"{plain_number(i.target)} {i.unit}")
            self.fields[f"actual_{i.pk}"] = field
            self._name_errors(field)
        self.field_map = {f"actuals.{i.pk}": f"actual_{i.pk}" for i in self.indicators}

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"year": data["year"], "budget": data["budget"], "spent": data["spent"], "summary": data["summary"],
                "actuals": {str(i.pk): data[f"actual_{i.pk}"] for i in self.indicators}}


# --- O&M funding (Art. 24, 29, 30), the inventory (Art. 35) and retirement ---

class OMRequestForm(DeliveryForm):
    year = forms.IntegerField(label="运维年度", min_value=2000, max_value=2100,
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    amount = _money("申请金额（元）")
    justification = _text("超过建设成本10%的书面说明", rows=3, required=False)
    data_sharing_done = forms.BooleanField(
        label="已按要求共享数据资源", required=False, initial=True,
        help_text="数字化发展局的数据共享认定为未共享或重复采集时，以其认定为准（第三十条第（一）项）。")
    duplicate_data_collection = forms.BooleanField(label="存在重复采集数据", required=False)
    major_security_risk = forms.BooleanField(
        label="存在重大安全隐患", required=False,
        help_text="州公安局、州党委机要保密局未消除的认定和未验收的整改以其记录为准（第三十条第（二）项）。")


class AttestationForm(DeliveryForm):
    """数据共享认定 by the digital development bureau (Art. 5, 14, 30(一); ADR 0210)."""

    system_id = forms.TypedChoiceField(label="应用系统", required=False, coerce=int, empty_value=None,
                                       choices=[("", "（整个项目）")])
    shared_as_required = forms.BooleanField(label="已按要求共享数据资源", required=False)
    catalogue = _text("共享的目录或数据资源", rows=2, required=False, max_length=5000)
    duplicate_collection = forms.BooleanField(label="存在重复采集数据", required=False)
    evidence = _text("认定依据", rows=3, required=False)
    attested_on = _date_field("认定日期", required=False, help_text="留空为今天")

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        from django.db.models import Q

        from tongchou.delivery.models import InventorySystem

        rows = InventorySystem.objects.filter(Q(built_by=project) | Q(migration_project=project)).order_by("id")
        field = self.fields["system_id"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "（整个项目）"), *[(s.pk, s.name) for s in rows]]


class OMDecisionForm(DeliveryForm):
    approve = forms.TypedChoiceField(label="决定", coerce=lambda v: v == "1", choices=[("1", "安排"), ("0", "不安排")])
    granted_amount = _money("安排金额（元）", required=False)
    note = forms.CharField(label="说明", required=False, max_length=2000)


def _lines(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[\n,，、;；]", value or "") if part.strip()]


class SystemForm(DeliveryForm):
    name = forms.CharField(label="系统名称", max_length=200)
    purpose = _text("主要功能与用途", rows=2)
    deployment = forms.ChoiceField(label="部署方式", choices=Deployment.choices)
    data_interfaces = _text("数据接口（每行一个）", rows=2, required=False)
    shared_resources = _text("共享数据资源（每行一个）", rows=2, required=False)

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["data_interfaces"] = _lines(data["data_interfaces"])
        data["shared_resources"] = _lines(data["shared_resources"])
        return data


class SystemEditForm(DeliveryForm):
    """One inventory row of this project's: where it runs and its cloud plan (Art. 5, 35)."""

    deployment = forms.ChoiceField(label="部署方式", choices=Deployment.choices)
    migration_status = forms.ChoiceField(label="上云状态", choices=MigrationStatus.choices)
    migration_plan = _text("上云迁移计划", rows=2, required=False)
    migration_due = _date_field("计划完成迁移日期", required=False)
    data_interfaces = _text("数据接口（每行一个）", rows=2, required=False)
    shared_resources = _text("共享数据资源（每行一个）", rows=2, required=False)
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    @staticmethod
    def initial_for(system: InventorySystem) -> dict[str, Any]:
        return {"deployment": system.deployment, "migration_status": system.migration_status,
                "migration_plan": system.migration_plan, "migration_due": system.migration_due,
                "data_interfaces": "\n".join(system.data_interfaces),
                "shared_resources": "\n".join(system.shared_resources), "version": system.version}

    def service_kwargs(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["expected_version"] = data.pop("version", None)
        data["data_interfaces"] = _lines(data["data_interfaces"])
        data["shared_resources"] = _lines(data["shared_resources"])
        return data


class MigrationLinkForm(DeliveryForm):
    """A migration project (Art. 5, 9) takes charge of one of its unit's systems not yet on the cloud."""

    system = forms.ModelChoiceField(label="迁移的系统", queryset=InventorySystem.objects.none(),
                                    empty_label="（选择本单位的系统）")
    migration_due = _date_field("计划完成迁移日期", required=False)

    def __init__(self, *args: Any, project: Project, **kwargs: Any) -> None:
        super().__init__(*args, project=project, **kwargs)
        field = self.fields["system"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = InventorySystem.objects.filter(owner_id=project.unit_id, status="running").exclude(
            deployment=Deployment.GOV_CLOUD).order_by("name")


class HandoverForm(DeliveryForm):
    data_handed_over = forms.BooleanField(label="系统数据已移交", required=False)
    documents_handed_over = forms.BooleanField(label="文档资料已移交", required=False)
    receiver = forms.ModelChoiceField(label="接收单位", required=False, empty_label="（选择单位）",
                                      queryset=Organisation.objects.filter(is_active=True))
    handed_over_on = _date_field("移交日期", required=False)
    note = forms.CharField(label="说明", required=False, max_length=2000)


class RetireForm(VersionedForm):
    note = forms.CharField(label="退役说明", required=False, max_length=2000)
