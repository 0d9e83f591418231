"""Reads of the exchange: what waits for a peer, what waits for a clerk, each recipient's status of a sent
document, and the operations overview. Selectors for people take the actor and show only the agencies
the actor belongs to (a province administrator sees all)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from fnmatch import fnmatchcase

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils import timezone

from tinhso.documents.access import actor_load
from tinhso.documents.models import OutgoingDocument
from tinhso.exchange import edxml
from tinhso.exchange.models import Delivery, Message, Peer


def _serves(peer: Peer, code: str) -> bool:
    return fnmatchcase(code.upper(), peer.code_pattern.upper())


def messages_waiting_for(*, peer: Peer, since: datetime | None = None, limit: int = 200) -> list[dict]:
    """Packages addressed to agencies the caller serves (for systems that poll instead of being called)."""
    deliveries = (Delivery.objects.select_related("message")
                  .filter(message__direction__in=[Message.Direction.OUT, Message.Direction.RELAY]))
    if since is not None:
        deliveries = deliveries.filter(message__created_at__gt=since)
    items = []
    for d in deliveries.order_by("message__created_at", "id")[: limit * 5]:
        if not _serves(peer, d.recipient_code):
            continue
        m = d.message
        items.append({"id": m.message_id, "kind": m.kind, "from": m.from_code, "to": d.recipient_code,
                      "document_id": m.document_id, "status_code": m.status_code,
                      "created_at": m.created_at.isoformat(), "delivery": d.state})
        if len(items) >= limit:
            break
    return items


def message_for_peer(*, peer: Peer, message_id: str) -> Message | None:
    """A package the caller is a party to: one addressed to it, or one it sent us."""
    for m in Message.objects.filter(message_id=message_id).prefetch_related("deliveries"):
        if m.direction == Message.Direction.IN and m.via_peer_id == peer.pk:
            return m
        if any(_serves(peer, d.recipient_code) for d in m.deliveries.all()):
            return m
    return None


def _agency_scope(actor) -> set[int] | None:
    if getattr(actor, "is_superuser", False):
        return None
    who = actor_load(actor)
    return {a for a in who.agency_ids if who.has(a, "clerk", "leader", "admin", "monitor")}


def inbound_waiting(*, actor, agency_id: int | None = None) -> QuerySet[Message]:
    """Packages that arrived and wait for the clerk (status 01 already sent), oldest first."""
    scope = _agency_scope(actor)
    qs = Message.objects.filter(direction=Message.Direction.IN, kind=Message.Kind.DOCUMENT,
                                state=Message.State.ARRIVED).select_related("agency")
    if scope is not None:
        qs = qs.filter(agency_id__in=scope)
    if agency_id is not None:
        qs = qs.filter(agency_id=agency_id)
    return qs.order_by("created_at")


def inbound_get(*, actor, pk) -> Message | None:
    scope = _agency_scope(actor)
    qs = Message.objects.filter(direction=Message.Direction.IN, kind=Message.Kind.DOCUMENT).select_related("agency")
    if scope is not None:
        qs = qs.filter(agency_id__in=scope)
    return qs.filter(pk=pk).first()


@dataclass
class StatusLine:
    code: str
    label: str
    description: str
    at: datetime


@dataclass
class RecipientProgress:
    code: str
    name: str
    delivery: str  # Delivery.State value, or "failed" once the outbox gave up
    delivery_label: str
    attempts: int
    last_error: str
    statuses: list[StatusLine] = field(default_factory=list)
    replies: list[Message] = field(default_factory=list)
    delivery_id: int | None = None

    @property
    def latest(self) -> StatusLine | None:
        return self.statuses[-1] if self.statuses else None


def _delivery_view(d: Delivery) -> tuple[str, str, int, str]:
    if d.state == Delivery.State.QUEUED and d.attempts:
        return "queued", f"Đang thử lại (đã thử {d.attempts} lần)", d.attempts, d.last_error[-400:]
    if d.state == Delivery.State.FAILED:
        return "failed", f"Gửi không được sau {d.attempts} lần", d.attempts, d.last_error[-400:]
    return d.state, d.get_state_display(), d.attempts, d.last_error


def recipient_progress(*, document: OutgoingDocument) -> list[RecipientProgress]:
    """Each external recipient of a sent document: delivery, every status it sent back, its replies."""
    sent = list(Message.objects.filter(direction=Message.Direction.OUT, kind=Message.Kind.DOCUMENT, outgoing=document)
                .prefetch_related("deliveries"))
    if not sent:
        return []
    deliveries = [d for m in sent for d in m.deliveries.all()]
    names = {r.code: r.name for r in document.recipients.all()}
    statuses = (Message.objects.filter(direction=Message.Direction.IN, kind=Message.Kind.STATUS,
                                       document_id__in=[m.document_id for m in sent]).order_by("created_at"))
    replies = Message.objects.filter(direction=Message.Direction.IN, kind=Message.Kind.DOCUMENT, outgoing=document)
    rows: dict[str, RecipientProgress] = {}
    for d in deliveries:
        if d.recipient_code in rows:
            continue
        state, label, attempts, error = _delivery_view(d)
        rows[d.recipient_code] = RecipientProgress(code=d.recipient_code, name=names.get(d.recipient_code, ""),
                                                   delivery=state, delivery_label=label, attempts=attempts,
                                                   last_error=error, delivery_id=d.pk)
    for s in statuses:
        row = rows.get(s.from_code)
        if row is not None:
            row.statuses.append(StatusLine(code=s.status_code, label=edxml.STATUS_LABELS.get(s.status_code, s.status_code),
                                           description=s.description, at=s.created_at))
    for r in replies:
        if r.from_code in rows:
            rows[r.from_code].replies.append(r)
    return list(rows.values())


@dataclass
class Overview:
    by_state: list[dict]
    by_peer: list[dict]
    per_day: list[dict]
    failed: list[RecipientProgress]
    waiting: int


def exchange_overview(*, actor, days: int = 14, today: date | None = None) -> Overview:
    """The operations page: messages by state and by peer, failed deliveries first, counts per day."""
    scope = _agency_scope(actor)
    messages = Message.objects.all()
    if scope is not None:
        messages = messages.filter(Q(agency_id__in=scope))
    today = today or timezone.localdate()
    start = timezone.make_aware(datetime.combine(today - timedelta(days=days - 1), datetime.min.time()))
    by_state = list(messages.values("direction", "kind", "state").annotate(n=Count("pk")).order_by("direction", "kind",
                                                                                                    "state"))
    deliveries = Delivery.objects.filter(message__in=messages)
    by_peer = list(deliveries.values("recipient_code", "state").annotate(n=Count("pk")).order_by("recipient_code",
                                                                                                  "state"))
    per_day = list(messages.filter(created_at__gte=start).annotate(day=TruncDate("created_at"))
                   .values("day", "direction").annotate(n=Count("pk")).order_by("-day", "direction"))
    failed = []
    for d in deliveries.exclude(state=Delivery.State.DELIVERED).select_related("message"):
        state, label, attempts, error = _delivery_view(d)
        if state in ("failed", Delivery.State.REFUSED) or attempts:
            failed.append(RecipientProgress(code=d.recipient_code, name=d.message.subject[:80], delivery=state,
                                            delivery_label=label, attempts=attempts, last_error=error,
                                            delivery_id=d.pk))
    failed.sort(key=lambda r: (r.delivery != "failed", r.code))
    waiting = inbound_waiting(actor=actor).count()
    return Overview(by_state=by_state, by_peer=by_peer, per_day=per_day, failed=failed, waiting=waiting)
