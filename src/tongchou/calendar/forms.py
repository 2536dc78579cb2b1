from __future__ import annotations

from django import forms

from tongchou.calendar.models import DayKind


class DayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"required": "请填写日期", "invalid": "日期格式应为 YYYY-MM-DD"})
    kind = forms.ChoiceField(label="类型", choices=DayKind.choices, error_messages={"invalid_choice": "类型无效"})
    name = forms.CharField(label="名称（如：春节）", max_length=64, required=False)


class ConfirmForm(forms.Form):
    note = forms.CharField(label="依据（如：国办发明电〔2026〕X号）", max_length=255, required=False)
