"""Reads of notifications, scoped to the reader."""

from __future__ import annotations

from django.db.models import QuerySet

from tinhso.notifications.models import Channel, Notification

__all__ = ["notifications_for", "notifications_unread_count"]


def notifications_for(*, user, unread_only: bool = False, limit: int = 50) -> QuerySet[Notification]:
    """The user's in-app notifications, newest first (the portal's "Thông báo" list)."""
    if not getattr(user, "is_authenticated", False):
        return Notification.objects.none()
    rows = Notification.objects.filter(user=user, channel=Channel.IN_APP)
    if unread_only:
        rows = rows.filter(read_at__isnull=True)
    return rows.order_by("-created_at", "-id")[:limit]


def notifications_unread_count(*, user) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(user=user, channel=Channel.IN_APP, read_at__isnull=True).count()
