"""Sending notifications (docs/notifications.md).

``notification_send`` only writes a ``queued`` row in the caller's transaction and, after commit,
enqueues the task that sends it; the action that caused it and the message therefore stand or fall
together. Sending claims the row with a conditional UPDATE (no transaction is held open while the
mail server or SMS gateway answers), so two workers never send the same row; a worker that dies
after claiming leaves a lease that expires, and the sweep (``tinhso notifications deliver``) retries.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from email.utils import make_msgid, parseaddr
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from tinhso.core.audit import audit_record
from tinhso.core.errors import NotFound, ValidationFailed
from tinhso.core.events import retry_delay
from tinhso.core.files import file_read
from tinhso.core.models_files import StoredFile
from tinhso.core.text import nfc
from tinhso.core.validators import normalize_phone
from tinhso.notifications.models import Channel, Notification
from tinhso.notifications.sms import sms_provider

__all__ = [
    "notification_deliver",
    "notification_mark_read",
    "notification_resend",
    "notification_send",
    "notifications_deliver_due",
    "recipient_clean",
]

logger = logging.getLogger(__name__)

# A claimed row is not picked up again before this, even if the worker died while sending.
CLAIM_LEASE = timedelta(minutes=5)


def _max_attempts() -> int:
    return int(getattr(settings, "TINHSO_NOTIFY_MAX_ATTEMPTS", 8))


def recipient_clean(*, channel: str, recipient: str, user=None) -> str:
    """The canonical recipient of a channel: lower-case e-mail, ``0xxxxxxxxx`` phone, ``user:<id>``.

    ``ValidationFailed``: ``invalid_email``, ``invalid_phone``, ``recipient_required``, ``invalid_channel``.
    """
    if channel == Channel.EMAIL:
        address = nfc(recipient).strip().lower()
        try:
            validate_email(address)
        except ValidationError:
            raise ValidationFailed(f"Địa chỉ thư điện tử “{recipient}” không hợp lệ.", code="invalid_email") from None
        return address
    if channel == Channel.SMS:
        return normalize_phone(recipient or "")
    if channel == Channel.IN_APP:
        if user is None or getattr(user, "pk", None) is None:
            raise ValidationFailed("Thông báo trên Cổng cần tài khoản người nhận.", code="recipient_required")
        return f"user:{user.pk}"
    raise ValidationFailed(f"Kênh thông báo “{channel}” không hợp lệ.", code="invalid_channel")


def _attachments_json(attachments: Iterable[tuple[str, StoredFile]]) -> list[dict]:
    return [{"file": str(stored.pk), "name": nfc(name)} for name, stored in attachments]


def notification_send(
    *, channel: str, recipient: str = "", subject: str = "", body: str, event_id=None, kind: str = "",
    user=None, attachments: Sequence[tuple[str, StoredFile]] = (), sensitive: bool = False,
) -> Notification:
    """Queue one message; it is sent after the caller's transaction commits.

    Idempotent on ``(event_id, kind, channel, recipient)``: with the same ``event_id`` a second call
    returns the first notification and sends nothing. ``in_app`` needs ``user`` (``recipient`` is
    ignored) and is "sent" at once: the portal lists it. ``attachments`` (e-mail only) are
    ``(file name, StoredFile)`` pairs. ``sensitive`` (one-time codes): once sent, or given up, every
    run of 4+ digits in the stored body is masked, so the log never keeps a usable code.
    """
    address = recipient_clean(channel=channel, recipient=recipient, user=user)
    if not (body or "").strip():
        raise ValidationFailed("Thông báo phải có nội dung.", code="notification_body_required")
    event_key = str(event_id) if event_id else ""
    if event_key:
        existing = _existing(event_key, kind, channel, address)
        if existing is not None:
            return existing
    now = timezone.now()
    in_app = channel == Channel.IN_APP
    row = Notification(
        channel=channel, recipient=address, subject=nfc(subject).strip()[:300], body=nfc(body).strip(),
        event_id=event_key, kind=kind, user=user if getattr(user, "pk", None) else None,
        attachments=_attachments_json(attachments) if channel == Channel.EMAIL else [],
        status=Notification.Status.SENT if in_app else Notification.Status.QUEUED,
        sent_at=now if in_app else None, next_attempt_at=None if in_app else now, sensitive=sensitive,
    )
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        # A concurrent delivery of the same event won the unique constraint.
        existing = _existing(event_key, kind, channel, address) if event_key else None
        if existing is None:
            raise
        return existing
    if not in_app:
        transaction.on_commit(partial(_enqueue, row.pk), robust=True)
    return row


def _existing(event_id: str, kind: str, channel: str, recipient: str) -> Notification | None:
    return Notification.objects.filter(event_id=event_id, kind=kind, channel=channel, recipient=recipient).first()


def _enqueue(notification_id: int) -> None:
    from tinhso.notifications.tasks import deliver_notification

    deliver_notification.enqueue(notification_id)


# --- sending ---------------------------------------------------------------------------------------


def _message_id(row: Notification) -> str:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "tinhso.local"
    return make_msgid(idstring=f"tb{row.pk}", domain=domain)


def _send_email(row: Notification) -> str:
    message_id = _message_id(row)
    message = EmailMessage(subject=row.subject, body=row.body, from_email=settings.DEFAULT_FROM_EMAIL,
                           to=[row.recipient], headers={"Message-ID": message_id, "X-Tinhso-Notification": str(row.pk)})
    if row.attachments:
        files = {str(pk): stored for pk, stored in
                 StoredFile.objects.in_bulk([a["file"] for a in row.attachments]).items()}
        for attachment in row.attachments:
            stored = files.get(attachment["file"])
            if stored is None:
                raise LookupError(f"attachment {attachment['file']} is missing")
            message.attach(attachment["name"], file_read(stored_file=stored), stored.content_type)
    message.send(fail_silently=False)
    return message_id


def _send_sms(row: Notification) -> str:
    return sms_provider().send(row.recipient, row.body) or ""


SENDERS = {Channel.EMAIL: _send_email, Channel.SMS: _send_sms}


def notification_deliver(*, notification_id: int, now: datetime | None = None) -> bool:
    """Send one queued (or failed and due) notification; True when it was sent now.

    Claims the row first: ``attempts + 1`` and a lease, only if it is still due. Failure →
    ``failed`` with the error and the next attempt after the outbox back-off (30 s, 1 min, …);
    after ``TINHSO_NOTIFY_MAX_ATTEMPTS`` (8) failures nothing retries it but a person (admin).
    """
    now = now or timezone.now()
    claimed = Notification.objects.filter(
        pk=notification_id, status__in=[Notification.Status.QUEUED, Notification.Status.FAILED],
        next_attempt_at__lte=now, attempts__lt=_max_attempts(),
    ).exclude(channel=Channel.IN_APP).update(attempts=F("attempts") + 1, next_attempt_at=now + CLAIM_LEASE)
    if not claimed:
        return False
    row = Notification.objects.get(pk=notification_id)
    try:
        provider_id = SENDERS[row.channel](row)
    except Exception as exc:  # any failure of a mail server or gateway is recorded and retried
        row.status = Notification.Status.FAILED
        row.error = f"{type(exc).__name__}: {exc}"[:2000]
        row.next_attempt_at = (timezone.now() + retry_delay(row.attempts)) if row.attempts < _max_attempts() else None
        if row.next_attempt_at is None:
            _redact(row)
        row.save(update_fields=["status", "error", "next_attempt_at", "body"])
        logger.warning("Notification %s (%s → %s) failed, attempt %s: %s", row.pk, row.channel, row.recipient,
                       row.attempts, exc)
        return False
    row.status = Notification.Status.SENT
    row.sent_at = timezone.now()
    row.error = ""
    row.next_attempt_at = None
    row.provider_message_id = str(provider_id or "")[:200]
    _redact(row)
    row.save(update_fields=["status", "sent_at", "error", "next_attempt_at", "provider_message_id", "body"])
    return True


_SECRET_DIGITS = re.compile(r"\d{4,}")


def _redact(row: Notification) -> None:
    if row.sensitive:
        row.body = _SECRET_DIGITS.sub(lambda match: "•" * len(match.group()), row.body)


def notifications_deliver_due(*, now: datetime | None = None, limit: int = 500) -> int:
    """Send every due notification (lost tasks, retries after failure); returns how many were sent."""
    now = now or timezone.now()
    due = (
        Notification.objects.filter(status__in=[Notification.Status.QUEUED, Notification.Status.FAILED],
                                    next_attempt_at__lte=now, attempts__lt=_max_attempts())
        .exclude(channel=Channel.IN_APP).order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in list(due) if notification_deliver(notification_id=pk, now=now))


def notification_resend(*, actor, notification_ids: Iterable[int]) -> int:
    """Admin action "Gửi lại": send these again now (also ones already sent), audited."""
    ids = sorted({int(i) for i in notification_ids})
    with transaction.atomic():
        # A sensitive message was masked after sending: resending would send the mask, not the code.
        rows = Notification.objects.filter(pk__in=ids).exclude(channel=Channel.IN_APP).exclude(sensitive=True)
        resend = list(rows.values_list("pk", flat=True))
        rows.update(status=Notification.Status.QUEUED, next_attempt_at=timezone.now(), attempts=0, error="")
        if resend:
            audit_record(actor=actor, action="notification.resend", data={"notifications": resend})
        for pk in resend:
            transaction.on_commit(partial(_enqueue, pk), robust=True)
    return len(resend)


def notification_mark_read(*, user, notification_id: int) -> Notification:
    """Mark one of the user's in-app notifications read (``NotFound`` ``notification_not_found``)."""
    row = Notification.objects.filter(Q(pk=notification_id), Q(user=user), channel=Channel.IN_APP).first()
    if row is None or not getattr(user, "is_authenticated", False):
        raise NotFound("Không tìm thấy thông báo.", code="notification_not_found")
    if row.read_at is None:
        row.read_at = timezone.now()
        row.save(update_fields=["read_at"])
    return row
