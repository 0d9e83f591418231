"""Background tasks of the shared kernel (django-tasks; run by ``tinhso db_worker``)."""

from __future__ import annotations

from django_tasks import task


@task()
def deliver_event(event_id: str) -> int:
    """First delivery of an event, enqueued when the publishing transaction commits."""
    from tinhso.core.events import outbox_deliver

    return outbox_deliver(event_id=event_id)
