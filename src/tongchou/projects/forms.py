"""The application form (web) — and the validator the API reuses, so both refuse the same input
with the same Chinese messages naming the field."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.forms.models import model_to_dict

from tongchou.projects.models import TECHNICAL_SECTIONS, TEXT_MATERIALS, MaterialKind, PriorityBasis, Project
from tongchou.projects.services import FACT_FIELDS

# Art. 10's sections in the order of the form, with what each should contain.
SECTION_HINTS: dict[str, str] = {
    MaterialKind.BASIC_INFO: "项目名称、建设单位、主要任务、建设地点、建设依据和必要性、绩效目标、拟采用建设方式及主要原因等（第十条第（一）项）。",
    MaterialKind.TECHNICAL_PLAN: "技术方案概述（第十条第（二）项，建设类项目）。",
    MaterialKind.INTENSIVE_CONSTRUCTION: "列出需依托的政务网络和统一纳入公共项目的建设需求等。",
    MaterialKind.DATA_SHARING: "数据资源目录、共享方式与对象。",
    MaterialKind.SECURITY_PROTECTION: "系统及数据安全防护措施、等级保护定级。",
    MaterialKind.CRYPTO_APPLICATION: "密码应用方案（第二十二条：同步规划、同步建设、同步运行）。",
    MaterialKind.KEY_COMPONENTS: "软硬件产品关键部位选型及测评情况。",
    MaterialKind.INFORMATION_PROTECTION: "涉及工作秘密的，说明信息防护措施。",
    MaterialKind.OM_PLAN: "运维类项目提交运维实施方案（第十条第（二）项）。",
    MaterialKind.FEASIBILITY_STUDY: "可行性研究报告（第十条第（三）项）。",
    MaterialKind.SUPERIOR_CONSENT: "申请第十三条例外（填写了法律依据）时必须以附件上传，否则不能提交。",
}


def material_field(kind: str) -> str:
    return f"m_{kind}"


class ProjectForm(forms.ModelForm):
    priority_basis = forms.MultipleChoiceField(
        label="重点支持情形（第十一条）", choices=PriorityBasis.choices, required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    original_project_accepted = forms.NullBooleanField(
        label="原项目已竣工验收（改建、扩建项目）", required=False,
        widget=forms.NullBooleanSelect,
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Project
        fields = [f for f in FACT_FIELDS if f not in ("priority_basis", "original_project_accepted")]
        widgets = {
            "application_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "approval_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "procurement_start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "work_start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "exception_legal_basis": forms.Textarea(attrs={"rows": 2}),
            "special_network_basis": forms.TextInput(),
        }

    def __init__(self, *args: Any, texts: dict[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].error_messages["required"] = "请填写项目名称。"
        # Model DecimalField / PositiveSmallIntegerField: the ModelForm built a DecimalField and an IntegerField.
        cast(forms.DecimalField, self.fields["construction_cost"]).min_value = 0
        self.fields["construction_cost"].validators.append(_not_negative)
        self.fields["annual_om_cost"].validators.append(_not_negative)
        cast(forms.IntegerField, self.fields["year"]).min_value = 2000
        cast(forms.IntegerField, self.fields["year"]).max_value = 2100
        self.fields["original_project_accepted"].widget.choices = [
            ("unknown", "不适用或不清楚"), ("true", "是"), ("false", "否")]
        self.fields["exception_legal_basis"].help_text = (
            "申请第十三条例外时填写；须在“附件”中以“上一级业务主管部门书面同意的证明材料”上传上级书面同意文件，"
            "否则不能提交。")
        if self.instance.pk:
            self.fields["year"].disabled = True
        for kind in TEXT_MATERIALS:
            self.fields[material_field(kind)] = forms.CharField(
                label=str(kind.label), required=False, widget=forms.Textarea(attrs={"rows": 4}),
                help_text=SECTION_HINTS.get(kind, ""), initial=(texts or {}).get(kind, ""),
            )

    def clean_original_project_accepted(self) -> bool | None:
        return self.cleaned_data.get("original_project_accepted")

    def fact_data(self) -> dict[str, Any]:
        data = {f: self.cleaned_data[f] for f in FACT_FIELDS if f in self.cleaned_data}
        data["priority_basis"] = list(self.cleaned_data.get("priority_basis") or [])
        if self.instance.pk:
            data.pop("year", None)
        for text_field in ("special_network_basis", "exception_legal_basis"):
            data[text_field] = (data.get(text_field) or "").strip()
        return data

    def texts(self) -> dict[str, str]:
        return {kind.value: self.cleaned_data.get(material_field(kind), "") for kind in TEXT_MATERIALS}

    def error_list(self) -> list[dict[str, str]]:
        """Each error with the field's code and a Chinese message that starts with its label."""
        out = []
        for name, errors in self.errors.items():
            label = str(self.fields[name].label) if name in self.fields else "表单"
            for error in errors:
                out.append({"field": name, "label": label, "message": f"{label}：{error}"})
        return out

    def sections(self) -> list[dict[str, Any]]:
        """The Art. 10 sections as the template lays them out."""
        def f(kind: MaterialKind) -> forms.BoundField:
            return self[material_field(kind)]

        return [
            {"title": "一、基本情况", "article": "第十条第（一）项", "fields": [f(MaterialKind.BASIC_INFO)]},
            {"title": "二、技术方案（建设类项目）", "article": "第十条第（二）项",
             "fields": [f(MaterialKind.TECHNICAL_PLAN), *[f(k) for k in TECHNICAL_SECTIONS],
                        f(MaterialKind.INFORMATION_PROTECTION)]},
            {"title": "二、运维实施方案（运维类项目）", "article": "第十条第（二）项", "fields": [f(MaterialKind.OM_PLAN)]},
            {"title": "三、可行性研究报告", "article": "第十条第（三）项", "fields": [f(MaterialKind.FEASIBILITY_STUDY)]},
        ]


def _not_negative(value: Any) -> None:
    if value is not None and value < 0:
        raise forms.ValidationError("金额不能为负数。")


def form_data_from(project: Project, payload: dict[str, Any], texts: dict[str, str]) -> dict[str, Any]:
    """For the API: the stored values overlaid with what the caller sent, so a partial update does
    not reset the fields it left out (unchecked boxes read as "false" in an HTML form)."""
    data: dict[str, Any] = {}
    stored = model_to_dict(project, fields=list(FACT_FIELDS))
    for key, value in stored.items():
        data[key] = value
    if data.get("original_project_accepted") is None:
        data["original_project_accepted"] = "unknown"
    for kind, text in texts.items():
        data[material_field(kind)] = text
    data.update({k: v for k, v in payload.items() if k != "materials"})
    for kind, text in (payload.get("materials") or {}).items():
        data[material_field(kind)] = text
    for key, value in list(data.items()):
        if value is None:
            data[key] = ""
    return data
