"""Background task of notifications (django-tasks; run by ``tinhso db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_notification(notification_id: int) -> bool:
    """Send one notification, enqueued when the transaction that queued it commits."""
    from tinhso.notifications.services import notification_deliver

    return notification_deliver(notification_id=notification_id)
