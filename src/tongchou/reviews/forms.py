"""Web forms: they parse and type the input; the services decide."""

from __future__ import annotations

from typing import Any

from django import forms

from tongchou.projects.models import FundingSource
from tongchou.reviews.aspects import aspects_for
from tongchou.reviews.models import Conclusion, ExceptionDecision


class OpinionForm(forms.Form):
    conclusion = forms.ChoiceField(label="结论", choices=Conclusion.choices)
    cost_reduction = forms.DecimalField(label="建议核减投资（元，可不填）", required=False, min_value=0,
                                        max_digits=14, decimal_places=2)
    reduction_reasons = forms.CharField(label="核减理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, member: str, with_exception: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        for code, label in aspects_for(member):
            self.fields[f"aspect_{code}"] = forms.CharField(label=f"{label}方面意见", max_length=8000,
                                                            widget=forms.Textarea(attrs={"rows": 3}))
        if with_exception:
            self.fields["exception_decision"] = forms.ChoiceField(label="第十三条例外情形",
                                                                  choices=ExceptionDecision.choices)
            self.fields["exception_reason"] = forms.CharField(label="说明（不接受时必填）", required=False,
                                                              widget=forms.Textarea(attrs={"rows": 2}))

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "conclusion": data["conclusion"],
            "comments": {code: data[f"aspect_{code}"] for code, _ in aspects_for(self.member)},
            "cost_reduction": data.get("cost_reduction"),
            "reduction_reasons": data.get("reduction_reasons") or "",
            "exception_decision": data.get("exception_decision") or "",
            "exception_reason": data.get("exception_reason") or "",
        }


class SupplementForm(forms.Form):
    question = forms.CharField(label="补正要求", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))


class AnswerForm(forms.Form):
    answer = forms.CharField(label="补正答复", max_length=8000, widget=forms.Textarea(attrs={"rows": 3}))


class ExpertForm(forms.Form):
    expert_name = forms.CharField(label="专家姓名", max_length=64)
    expert_org = forms.CharField(label="工作单位", max_length=128, required=False)
    category = forms.CharField(label="专业类别", max_length=64, required=False)
    conclusion = forms.ChoiceField(label="结论", choices=Conclusion.choices)
    comments = forms.CharField(label="评审意见", max_length=8000, widget=forms.Textarea(attrs={"rows": 3}))


class ConsolidationForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    addressee = forms.CharField(label="主送机关", max_length=128)
    conclusion = forms.ChoiceField(label="审查结论", choices=Conclusion.choices)
    body = forms.CharField(label="正文（每段一行）", max_length=50000, widget=forms.Textarea(attrs={"rows": 18}))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, dissenters: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.dissenters = dissenters
        for member, label in dissenters:
            self.fields[f"dissent_{member}"] = forms.CharField(
                label=f"对{label}不同意意见的处理（必填）", required=False, max_length=8000,
                widget=forms.Textarea(attrs={"rows": 3}))

    def dissent_responses(self) -> dict[str, str]:
        return {m: self.cleaned_data.get(f"dissent_{m}") or "" for m, _ in self.dissenters}


class ApprovalForm(forms.Form):
    doc_number = forms.CharField(label="批复文号", max_length=64)
    approval_date = forms.DateField(label="批复日期", widget=forms.DateInput(attrs={"type": "date"}))
    approved_amount = forms.DecimalField(label="批复金额（元）", min_value=0.01, max_digits=14, decimal_places=2)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label="预算年度", min_value=2000, max_value=2100)
    amount = forms.DecimalField(label="预算金额（元）", min_value=0.01, max_digits=14, decimal_places=2)
    source = forms.ChoiceField(label="资金来源", choices=FundingSource.choices)
