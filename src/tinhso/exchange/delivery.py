"""Sending queued deliveries to their peers, with the network call **outside** any database
transaction.

The outbox (docs/events.md) runs its handlers inside a transaction. A delivery that waited there for a
peer — or, on the hub, for the next hop — would hold the database meanwhile: on SQLite (transactions
``IMMEDIATE``) every other writer of the instance, the receiving view included, would wait behind it,
and a chain of relays could time out on itself. So a delivery is claimed in one short transaction
(a lease: ``next_attempt_at`` moves past the call's timeout, so a second worker leaves it), sent with
no transaction open, and its answer recorded in another short transaction. Back-off after a failure:
``TINHSO_OUTBOX_RETRY_BASE_SECONDS`` × 2^(attempts − 1), capped at 6 h; after
``TINHSO_EXCHANGE_MAX_ATTEMPTS`` failures the delivery is ``failed`` and waits for a clerk's resend.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tinhso.core.errors import DomainError
from tinhso.exchange.log import log_append
from tinhso.exchange.models import Delivery, Message
from tinhso.exchange.peers import route_for
from tinhso.exchange.transport import PeerAnswer, TransportError, post_message

logger = logging.getLogger(__name__)


def retry_delay(attempts: int) -> timedelta:
    base = int(getattr(settings, "TINHSO_OUTBOX_RETRY_BASE_SECONDS", 30))
    return timedelta(seconds=min(6 * 3600, base * 2 ** max(attempts - 1, 0)))


def _claim(now: datetime) -> int | None:
    with transaction.atomic():
        delivery = (Delivery.objects.filter(state=Delivery.State.QUEUED, next_attempt_at__lte=now)
                    .select_for_update(skip_locked=True).order_by("next_attempt_at", "id").first())
        if delivery is None:
            return None
        lease = timedelta(seconds=settings.TINHSO_EXCHANGE_TIMEOUT_SECONDS * 2 + 30)
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=now + lease)
        return delivery.pk


def _record(pk: int, *, answer: PeerAnswer | None, error: str, route) -> Delivery:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update(of=("self",)).select_related("message").get(pk=pk)
        message = delivery.message
        delivery.attempts += 1
        if answer is not None:
            delivery.peer = route.peer if route else None
            delivery.answer, delivery.delivered_at = answer.body, timezone.now()
            delivery.state = Delivery.State.REFUSED if answer.refused else Delivery.State.DELIVERED
            delivery.last_error = answer.body.get("reason", "") if answer.refused else ""
            log_append(event="refused_by_peer" if answer.refused else "delivered", message=message,
                       detail={"to": delivery.recipient_code, "via": route.url, "hub": route.via_hub,
                               "answer": answer.body, "attempt": delivery.attempts})
        else:
            delivery.last_error = error[-2000:]
            if delivery.attempts >= int(getattr(settings, "TINHSO_EXCHANGE_MAX_ATTEMPTS", 8)):
                delivery.state = Delivery.State.FAILED
                log_append(event="gave_up", message=message, detail={"to": delivery.recipient_code,
                                                                       "attempts": delivery.attempts, "error": error})
            else:
                delivery.next_attempt_at = timezone.now() + retry_delay(delivery.attempts)
        delivery.save()
        if message.state == Message.State.QUEUED and not message.deliveries.filter(
                state=Delivery.State.QUEUED).exists():
            message.state = Message.State.SENT
            message.save(update_fields=["state"])
        return delivery


def delivery_send(pk: int) -> Delivery:
    """One try of one claimed delivery: no transaction is open while the peer answers."""
    delivery = Delivery.objects.select_related("message").get(pk=pk)
    route = None
    try:
        route = route_for(delivery.recipient_code)
        answer = post_message(url=route.url, credential=route.credential, data=bytes(delivery.message.raw),
                              trace=list(delivery.message.trace or []))
    except (TransportError, DomainError) as exc:
        logger.warning("exchange: delivery %s to %s failed: %s", pk, delivery.recipient_code, exc)
        return _record(pk, answer=None, error=str(exc), route=route)
    return _record(pk, answer=answer, error="", route=route)


def deliveries_run(*, now: datetime | None = None, limit: int = 200) -> int:
    """Send every due delivery (at most ``limit``); return how many were tried."""
    tried = 0
    while tried < limit:
        pk = _claim(now or timezone.now())
        if pk is None:
            break
        delivery_send(pk)
        tried += 1
    return tried


def deliveries_fetched(*, message: Message, peer) -> int:
    """A peer that polls took ``message`` (``GET /exchange/v1/messages/{id}``): its deliveries for the
    codes that peer serves are delivered."""
    from fnmatch import fnmatchcase

    done = 0
    with transaction.atomic():
        for delivery in message.deliveries.select_for_update().exclude(state=Delivery.State.DELIVERED):
            if fnmatchcase(delivery.recipient_code.upper(), peer.code_pattern.upper()):
                delivery.state, delivery.peer, delivery.delivered_at = Delivery.State.DELIVERED, peer, timezone.now()
                delivery.answer = {"status": "fetched"}
                delivery.save()
                log_append(event="fetched", message=message, detail={"to": delivery.recipient_code,
                                                                     "peer": peer.code_pattern})
                done += 1
    return done
