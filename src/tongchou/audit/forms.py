from __future__ import annotations

from django import forms

from tongchou.audit.selectors import AuditFilters


class AuditSearchForm(forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})
    date_to = forms.DateField(label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}),
                              error_messages={"invalid": "日期格式应为 YYYY-MM-DD"})
    user = forms.CharField(label="操作人或组织", max_length=150, required=False)
    event = forms.CharField(label="事件（前缀，如 auth.）", max_length=64, required=False)
    target = forms.CharField(label="对象（编号或名称）", max_length=128, required=False)
    outcome = forms.ChoiceField(label="结果", required=False,
                                choices=[("", "全部"), ("ok", "成功"), ("failed", "失败"), ("refused", "拒绝")])

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            self.add_error("date_to", "截止日期不能早于起始日期")
        return data

    def filters(self) -> AuditFilters:
        d = self.cleaned_data
        return AuditFilters(date_from=d.get("date_from"), date_to=d.get("date_to"), user=d.get("user", ""),
                            event=d.get("event", ""), target=d.get("target", ""), outcome=d.get("outcome", ""))
