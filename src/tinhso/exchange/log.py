"""The exchange log: append-only, hash-chained like the audit log (docs/audit.md), one entry per thing
that happened to a message (built, sent, delivered, received, refused, registered, status sent …).

Each entry names the SHA-256 of the message's stored bytes, so ``log_verify`` finds both a changed log
row and a changed archived message, with no network.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import transaction
from django.utils import timezone

from tinhso.core.sequences import sequence_next
from tinhso.core.serialization import canonical_json, json_ready
from tinhso.exchange.models import LogEntry, Message

SCOPE = "exchange:log"
GENESIS = "0" * 64


def _hash(*, prev: str, seq: int, at: datetime, event: str, message_id: str, message_sha256: str, detail) -> str:
    body = canonical_json({"seq": seq, "at": at.astimezone(UTC).isoformat(timespec="microseconds"), "event": event,
                           "message_id": message_id, "message_sha256": message_sha256, "detail": detail})
    return hashlib.sha256((prev + body).encode("utf-8")).hexdigest()


def log_append(*, event: str, message: Message, detail: dict | None = None) -> LogEntry:
    """Append one entry; runs in the caller's transaction (the counter's row lock orders appenders)."""
    assert transaction.get_connection().in_atomic_block, "log_append runs inside the caller's transaction"
    seq = sequence_next(scope=SCOPE)
    prev = LogEntry.objects.filter(seq=seq - 1).values_list("hash", flat=True).first() or GENESIS
    at = timezone.now()
    data = json_ready(detail or {})
    digest = _hash(prev=prev, seq=seq, at=at, event=event, message_id=message.message_id,
                   message_sha256=message.sha256, detail=data)
    return LogEntry.objects.create(seq=seq, at=at, event=event, message_id=message.message_id,
                                   message_sha256=message.sha256, detail=data, prev_hash=prev, hash=digest)


@dataclass
class LogCheck:
    entries: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def log_verify(*, message_id: str | None = None) -> LogCheck:
    """Walk the chain (all of it: a chain is only as good as its weakest link) and, for the messages
    named, compare the archive's bytes with the digests the log recorded."""
    check = LogCheck()
    prev = GENESIS
    expected_seq = None
    recorded: dict[str, set[str]] = {}
    for entry in LogEntry.objects.order_by("seq").iterator():
        check.entries += 1
        if expected_seq is not None and entry.seq != expected_seq:
            check.problems.append(f"Nhật ký thiếu mục {expected_seq} (mục kế tiếp là {entry.seq}).")
        expected_seq = entry.seq + 1
        if entry.prev_hash != prev:
            check.problems.append(f"Mục {entry.seq}: không nối với mục trước (nhật ký đã bị sửa).")
        again = _hash(prev=entry.prev_hash, seq=entry.seq, at=entry.at, event=entry.event,
                      message_id=entry.message_id, message_sha256=entry.message_sha256, detail=entry.detail)
        if again != entry.hash:
            check.problems.append(f"Mục {entry.seq} ({entry.event} {entry.message_id}): nội dung đã bị sửa.")
        prev = entry.hash
        recorded.setdefault(entry.message_id, set()).add(entry.message_sha256)
    messages = Message.objects.all() if message_id is None else Message.objects.filter(message_id=message_id)
    for message in messages.iterator():
        actual = hashlib.sha256(bytes(message.raw)).hexdigest()
        if actual != message.sha256 or actual not in recorded.get(message.message_id, {actual}):
            check.problems.append(f"Gói tin {message.message_id} ({message.get_direction_display()}): nội dung lưu "
                                  "trữ không khớp mã băm đã ghi khi gửi, nhận.")
    return check
