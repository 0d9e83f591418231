"""Domain events through a transactional outbox (DESIGN §5.4; docs/events.md).

A service calls ``event_publish`` inside its transaction: the event and one delivery row per
registered handler are written with the change itself, so either all of it happens or none. After
commit a django-tasks job delivers them; ``tinhso outbox deliver`` sweeps retries. Each handler
runs in its own transaction together with marking its delivery done, so a handler's database
work happens exactly once; side effects outside the database (SMS, HTTP) must be idempotent,
keyed by ``event.id``.
"""

from __future__ import annotations

import json
import logging
import traceback
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from tinhso.core.models import EventDelivery, OutboxEvent
from tinhso.core.serialization import json_ready

__all__ = [
    "event_handler",
    "event_payload",
    "event_publish",
    "handlers_for",
    "outbox_deliver",
    "outbox_retry",
    "retry_delay",
]

logger = logging.getLogger(__name__)

Handler = Callable[[OutboxEvent], None]

_handlers_by_name: dict[str, Handler] = {}
_handler_events: dict[str, tuple[str, ...]] = {}
# Called with each event right after it is written; tinhso.core.testing hooks in here.
_publish_listeners: list[Callable[[OutboxEvent], None]] = []

event_payload = json_ready  # ``event_publish(payload=event_payload({...}))`` turns dates etc. into JSON


# --- Registration -------------------------------------------------------------------------------


def event_handler(*event_names: str, name: str) -> Callable[[Handler], Handler]:
    """Register ``fn(event) -> None`` for one or more event names.

    ``name`` identifies the handler in delivery rows ("notifications.dossier_received"): keep it
    stable, renaming it makes pending deliveries point at nothing. Put handlers in the app's
    ``handlers.py``; ``CoreConfig.ready()`` imports every app's ``handlers`` module.
    """
    if not event_names or not all(event_names):
        raise ValueError("event_handler needs at least one event name")
    if not name:
        raise ValueError("event_handler needs a stable handler name")

    def register(fn: Handler) -> Handler:
        existing = _handlers_by_name.get(name)
        if existing is not None and _qualname(existing) != _qualname(fn):
            raise ImproperlyConfigured(
                f"Event handler name {name!r} is used by both {_qualname(existing)} and {_qualname(fn)}"
            )
        _handlers_by_name[name] = fn
        _handler_events[name] = tuple(dict.fromkeys(event_names))
        return fn

    return register


def _qualname(fn: Callable) -> str:
    return f"{fn.__module__}.{fn.__qualname__}"


def _unregister(name: str) -> None:
    _handlers_by_name.pop(name, None)
    _handler_events.pop(name, None)


def handlers_for(event_name: str) -> list[str]:
    """Names of the handlers registered for ``event_name``, sorted."""
    return sorted(handler for handler, names in _handler_events.items() if event_name in names)


# --- Publishing ---------------------------------------------------------------------------------


def event_publish(*, name: str, payload: dict, aggregate_type: str = "", aggregate_id: str = "") -> OutboxEvent:
    """Write an event and its pending deliveries in the caller's transaction.

    ``payload`` must already be plain JSON (use ``event_payload`` for dates, Decimals, UUIDs):
    handlers then read exactly what was published, also after a retry days later.
    """
    if not name:
        raise ValueError("event_publish needs an event name")
    if not isinstance(payload, dict):
        raise TypeError("event payload must be a dict")
    try:
        json.dumps(payload, allow_nan=False)
    except (TypeError, ValueError) as exc:
        raise TypeError(f"event payload of {name!r} is not plain JSON ({exc}); wrap it in event_payload()") from exc

    with transaction.atomic():
        event = OutboxEvent.objects.create(
            name=name, payload=payload, aggregate_type=aggregate_type, aggregate_id=str(aggregate_id)
        )
        handlers = handlers_for(name)
        EventDelivery.objects.bulk_create(
            EventDelivery(event=event, handler=handler, next_attempt_at=event.created_at) for handler in handlers
        )
        if handlers:
            # robust: a queue that is down must not undo the committed change; the sweeper catches up.
            transaction.on_commit(partial(_enqueue_delivery, str(event.id)), robust=True)
    for listener in list(_publish_listeners):
        listener(event)
    return event


def _enqueue_delivery(event_id: str) -> None:
    from tinhso.core.tasks import deliver_event

    deliver_event.enqueue(event_id)


# --- Delivery -----------------------------------------------------------------------------------


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def retry_delay(attempts: int) -> timedelta:
    """Back-off after the ``attempts``-th failure: 30 s, 1 min, 2 min, … capped at 6 h."""
    base = _setting("TINHSO_OUTBOX_RETRY_BASE_SECONDS", 30)
    cap = _setting("TINHSO_OUTBOX_RETRY_MAX_SECONDS", 6 * 3600)
    return timedelta(seconds=min(cap, base * 2 ** max(attempts - 1, 0)))


def outbox_deliver(*, event_id: str | None = None, now: datetime | None = None) -> int:
    """Run every due delivery (of one event, or all); return how many were attempted.

    Each delivery is locked (``SKIP LOCKED`` on PostgreSQL, so parallel workers share the work),
    its handler runs inside the same transaction that marks it done, and a failure schedules the
    next attempt with back-off; after ``TINHSO_OUTBOX_MAX_ATTEMPTS`` (8) failures it is ``dead``
    and waits for a person (admin action "Thử lại ngay").
    """
    now = now or timezone.now()
    attempted = 0
    skipped: list[int] = []
    while True:
        with transaction.atomic():
            due = EventDelivery.objects.filter(
                status__in=[EventDelivery.Status.PENDING, EventDelivery.Status.FAILED],
                next_attempt_at__lte=now,
            ).exclude(pk__in=skipped)
            if event_id is not None:
                due = due.filter(event__pk=event_id)
            delivery = (
                due.select_related("event")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("next_attempt_at", "pk")
                .first()
            )
            if delivery is None:
                return attempted
            attempted += 1
            if not _run(delivery, now=now):
                skipped.append(delivery.pk)


def _run(delivery: EventDelivery, *, now: datetime) -> bool:
    handler = _handlers_by_name.get(delivery.handler)
    try:
        if handler is None:
            raise LookupError(f"Bộ xử lý '{delivery.handler}' chưa được đăng ký (chưa triển khai?)")
        with transaction.atomic():
            handler(delivery.event)
    except Exception as exc:  # any failure of a handler is recorded and retried, never lost
        delivery.attempts += 1
        delivery.last_error = "".join(traceback.format_exception(exc))[-4000:]
        if delivery.attempts >= _setting("TINHSO_OUTBOX_MAX_ATTEMPTS", 8):
            delivery.status = EventDelivery.Status.DEAD
            logger.error("Handler %s gave up on event %s after %s attempts: %s",
                         delivery.handler, delivery.event_id, delivery.attempts, exc)
        else:
            delivery.status = EventDelivery.Status.FAILED
            # A long sweep started at ``now``; back-off counts from the failure, not from the start.
            delivery.next_attempt_at = max(now, timezone.now()) + retry_delay(delivery.attempts)
            logger.warning("Handler %s failed on event %s (attempt %s): %s",
                           delivery.handler, delivery.event_id, delivery.attempts, exc)
        delivery.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return False
    delivery.attempts += 1
    delivery.status = EventDelivery.Status.DONE
    delivery.done_at = timezone.now()
    delivery.last_error = ""
    delivery.save(update_fields=["attempts", "status", "done_at", "last_error"])
    return True


def outbox_retry(*, actor, delivery_ids: list[int]) -> int:
    """Make failed or dead deliveries due now and queue them (admin action "Thử lại ngay")."""
    from tinhso.core.audit import audit_record

    with transaction.atomic():
        retry = EventDelivery.objects.filter(pk__in=delivery_ids).exclude(status=EventDelivery.Status.DONE)
        event_ids = sorted({str(pk) for pk in retry.values_list("event_id", flat=True)})
        count = retry.update(status=EventDelivery.Status.PENDING, next_attempt_at=timezone.now())
        if count:
            audit_record(actor=actor, action="outbox.retry", data={"deliveries": sorted(delivery_ids)})
        for event_id in event_ids:
            transaction.on_commit(partial(_enqueue_delivery, event_id), robust=True)
    return count
