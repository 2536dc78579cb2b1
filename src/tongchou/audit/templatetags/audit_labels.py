"""Audit events as people read them: `{{ ev.event|event_label }}`, `{{ ev.outcome|outcome_label }}`."""

from __future__ import annotations

from django import template

from tongchou.accounts.models import Role
from tongchou.audit import labels

register = template.Library()


@register.filter
def event_label(code: str) -> str:
    return labels.event_label(code)


@register.filter
def outcome_label(outcome: str) -> str:
    return labels.outcome_label(outcome)


@register.filter
def role_label(role: str) -> str:
    return str(dict(Role.choices).get(role, role))
