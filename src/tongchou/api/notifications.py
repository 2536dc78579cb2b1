"""/api/v1/notifications — the caller's own inbox."""

from __future__ import annotations

from datetime import datetime

from ninja import Router, Schema

from tongchou.accounts.requests import AuthenticatedHttpRequest
from tongchou.notifications.selectors import notifications_for, notifications_unread_count
from tongchou.notifications.services import notification_mark_read, notifications_mark_all_read

router = Router(tags=["通知"])


class NotificationOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: datetime
    read_at: datetime | None


class InboxOut(Schema):
    unread: int
    items: list[NotificationOut]


class MarkedOut(Schema):
    marked: int


@router.get("", response=InboxOut, summary="我的通知")
def inbox(request: AuthenticatedHttpRequest, unread: bool = False, limit: int = 50, offset: int = 0) -> dict[str, object]:
    limit = max(1, min(limit, 200))
    rows = notifications_for(request.user, unread_only=unread)[max(offset, 0): max(offset, 0) + limit]
    return {"unread": notifications_unread_count(request.user), "items": list(rows)}


@router.post("/{notification_id}/read", response=NotificationOut, summary="标为已读")
def mark_read(request: AuthenticatedHttpRequest, notification_id: int) -> object:
    return notification_mark_read(notification_id=notification_id, actor=request.user)


@router.post("/read-all", response=MarkedOut, summary="全部标为已读")
def mark_all_read(request: AuthenticatedHttpRequest) -> dict[str, int]:
    return {"marked": notifications_mark_all_read(actor=request.user)}
