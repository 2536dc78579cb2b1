"""Page forms: shape and type checks only; the rules live in the services."""

from __future__ import annotations

from datetime import date

from django import forms

from tongchou.experts.models import Category, Purpose, TitleLevel


def _org_list(text: str) -> list[str]:
    from tongchou.experts.xlsx_columns import split_list

    return split_list(text or "")


class ExpertForm(forms.Form):
    code = forms.CharField(label="专家编号", max_length=32)
    name = forms.CharField(label="姓名", max_length=64)
    title = forms.CharField(label="职称", max_length=64, required=False)
    title_level = forms.ChoiceField(label="职称级别", choices=TitleLevel.choices)
    years = forms.IntegerField(label="从业年限", min_value=0, max_value=80)
    employer = forms.CharField(label="工作单位", max_length=128)
    categories = forms.MultipleChoiceField(label="专业类别", widget=forms.CheckboxSelectMultiple)
    phone = forms.CharField(label="手机号码", max_length=11, required=False)
    id_number = forms.CharField(label="身份证号", max_length=18, required=False)
    former_employers = forms.CharField(
        label="曾任职单位（每行一条：单位:离职日期）", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    conflicts = forms.CharField(label="申报回避单位（以、分隔）", required=False)
    available = forms.BooleanField(label="可参加抽取", required=False, initial=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["categories"].choices = [(c.code, c.name) for c in Category.objects.filter(is_active=True)]

    def clean_former_employers(self) -> list[tuple[str, date]]:
        items = []
        for line in (self.cleaned_data.get("former_employers") or "").splitlines():
            if not line.strip():
                continue
            org, sep, until = line.replace("：", ":").rpartition(":")
            try:
                items.append((org.strip(), date.fromisoformat(until.strip())))
            except ValueError:
                raise forms.ValidationError(f"“{line}”应写成 单位:离职日期（如 某科技公司:2023-05-31）") from None
            if not sep or not org.strip():
                raise forms.ValidationError(f"“{line}”应写成 单位:离职日期")
        return items


class ImportForm(forms.Form):
    file = forms.FileField(label=".xlsx 文件")
    only_good_rows = forms.BooleanField(label="有错误时仅导入无误的行", required=False)


class DrawForm(forms.Form):
    purpose = forms.ChoiceField(label="用途", choices=Purpose.choices)
    subject = forms.CharField(label="事项", max_length=200)
    review_date = forms.DateField(label="评审日期", widget=forms.DateInput(attrs={"type": "date"}))
    project_code = forms.CharField(label="项目编号（项目评审必填）", max_length=32, required=False)
    requesting_unit = forms.CharField(label="申请单位代码（第三十三条申请；项目评审取建设单位）", required=False)
    vendors = forms.CharField(label="投标人 / 供应商（以、分隔）", required=False)
    plan_authors = forms.CharField(label="方案编制单位（以、分隔）", required=False)
    reserves = forms.IntegerField(label="每类备选人数", min_value=0, max_value=10, initial=2)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for c in Category.objects.filter(is_active=True):
            self.fields[f"need_{c.code}"] = forms.IntegerField(
                label=c.name, min_value=0, max_value=50, required=False, initial=0
            )

    def needs(self) -> list[dict[str, object]]:
        return [
            {"category": name[5:], "count": value}
            for name, value in self.cleaned_data.items()
            if name.startswith("need_") and value
        ]

    def org_lists(self) -> tuple[list[str], list[str]]:
        return _org_list(self.cleaned_data.get("vendors", "")), _org_list(self.cleaned_data.get("plan_authors", ""))


class FeeRateForm(forms.Form):
    effective_from = forms.DateField(label="生效日期", widget=forms.DateInput(attrs={"type": "date"}))
    half_day = forms.DecimalField(label="每半天（元）", min_value=0, max_digits=10, decimal_places=2)
    hourly_extra = forms.DecimalField(label="超过 8 小时每小时加付（元）", min_value=0, max_digits=10, decimal_places=2)
    daily_cap = forms.DecimalField(label="每日封顶（元）", min_value=0, max_digits=10, decimal_places=2)
