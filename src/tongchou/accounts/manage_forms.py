from __future__ import annotations

from typing import cast

from django import forms

from tongchou.accounts.models import ADMIN_ROLES, Level, Organisation, OrgKind, Role


def _business_roles() -> list[tuple[str, str]]:
    return [(v, str(label)) for v, label in Role.choices if v not in ADMIN_ROLES]


class UserCreateForm(forms.Form):
    username = forms.RegexField(label="账号", max_length=150, regex=r"^[A-Za-z0-9_.@+-]+$",
                                error_messages={"invalid": "账号只能包含字母、数字和 _ . @ + -"})
    display_name = forms.CharField(label="姓名", max_length=64)
    organisation = forms.ModelChoiceField(label="所在组织", queryset=Organisation.objects.filter(is_active=True),
                                          required=False)
    role = forms.ChoiceField(label="角色", choices=_business_roles)
    email = forms.EmailField(label="邮箱", required=False)


class UserEditForm(forms.Form):
    display_name = forms.CharField(label="姓名", max_length=64)
    organisation = forms.ModelChoiceField(label="所在组织", queryset=Organisation.objects.all(), required=False)
    email = forms.EmailField(label="邮箱", required=False)


class RoleForm(forms.Form):
    role = forms.ChoiceField(label="角色", choices=Role.choices)


class OrganisationForm(forms.ModelForm):
    class Meta:
        model = Organisation
        fields = ["code", "name", "short_name", "kind", "level", "jurisdiction", "parent", "project_code_prefix",
                  "is_active"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        # Both model fields declare choices, so the ModelForm built a TypedChoiceField for each.
        cast(forms.ChoiceField, self.fields["kind"]).choices = OrgKind.choices
        cast(forms.ChoiceField, self.fields["level"]).choices = Level.choices

    def validate_unique(self) -> None:
        """Uniqueness is the service's to check, with a message naming the field."""
