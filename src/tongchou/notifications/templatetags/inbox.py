from __future__ import annotations

from typing import cast

from django import template
from django.urls import reverse
from django.utils.html import format_html

from tongchou.accounts.models import User
from tongchou.notifications.selectors import notifications_unread_count

register = template.Library()


@register.simple_tag
def inbox_link(user: object) -> str:
    """The header's inbox link with the unread count."""
    if not getattr(user, "is_authenticated", False):
        return ""
    # Signed in means the project's own user model (AUTH_USER_MODEL), whatever the template passed.
    count = notifications_unread_count(cast(User, user))
    badge = format_html(' <span class="badge" data-unread="{}">{}</span>', count, count) if count else ""
    return format_html('<a href="{}" class="inbox-link">通知{}</a>', reverse("notifications:inbox"), badge)
