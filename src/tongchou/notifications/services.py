"""`notify` writes inbox rows in the caller's transaction and mails a copy only after it commits,
so a rolled-back action never tells anyone anything."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from tongchou.accounts.models import User
from tongchou.core_errors import NotFound
from tongchou.notifications.models import Kind, Notification

logger = logging.getLogger("tongchou.notifications")


def _send_mail(messages: list[tuple[str, str, str]]) -> None:
    """Runs on commit: a mail server that is down must not undo what already happened."""
    if not messages:
        return
    try:
        connection = get_connection(fail_silently=False)
        sent = connection.send_messages(
            [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [to], connection=connection)
             for subject, body, to in messages]
        )
        logger.info("已发送通知邮件 %s 封", sent)
    except Exception:  # the inbox row is the record; the mail is a courtesy copy
        logger.exception("通知邮件发送失败（站内通知已保存）")


def notify(
    *,
    users: Iterable[User],
    subject: str,
    body: str = "",
    link: str = "",
    kind: str = Kind.INFO,
) -> list[Notification]:
    recipients = {u.pk: u for u in users if u is not None and u.is_active}
    if not recipients:
        return []
    subject = subject[:200]
    with transaction.atomic():
        rows = Notification.objects.bulk_create(
            [Notification(recipient=u, kind=kind, subject=subject, body=body, link=link[:300])
             for u in recipients.values()]
        )
        footer = f"\n\n查看详情：{link}" if link else ""
        mails = [(f"【统筹】{subject}", body + footer, u.email) for u in recipients.values() if u.email]
        transaction.on_commit(lambda: _send_mail(mails))
    return rows


def notification_mark_read(*, notification_id: int, actor: User) -> Notification:
    with transaction.atomic():
        row = Notification.objects.select_for_update().filter(pk=notification_id, recipient=actor).first()
        if row is None:
            raise NotFound()
        if row.read_at is None:
            row.read_at = timezone.now()
            row.save(update_fields=["read_at"])
    return row


def notifications_mark_all_read(*, actor: User) -> int:
    with transaction.atomic():
        return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())
