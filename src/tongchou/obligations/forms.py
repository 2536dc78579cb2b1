from __future__ import annotations

from django import forms

from tongchou.obligations.models import PeriodUnit


class ServiceLevelForm(forms.Form):
    """The editable part of a service level; the rules (ranges, lead shorter than the period) are the
    service's, so the page and the API refuse the same input with the same words."""

    period = forms.IntegerField(
        label="期限", error_messages={"required": "请填写期限（1 到 366 之间的整数）。",
                                      "invalid": "期限须为整数（1 到 366）。"})
    unit = forms.ChoiceField(label="期限单位", choices=PeriodUnit.choices,
                             error_messages={"required": "请选择期限单位。",
                                             "invalid_choice": "期限单位无效：只能是工作日、自然日或月。"})
    remind_before = forms.IntegerField(
        label="提前提醒（工作日）", error_messages={"required": "请填写提前提醒的工作日数（0 到 60）。",
                                                 "invalid": "提前提醒的工作日数须为整数（0 到 60）。"})
    active = forms.BooleanField(label="启用", required=False)
