"""Append-only audit log, each entry chained to the previous by SHA-256 (DESIGN §5.11; docs/audit.md).

Entries are numbered by the gapless counter ``audit``, whose row lock also serialises appenders, so
the chain never forks. Changing or deleting a row afterwards (even with SQL, bypassing the ORM)
breaks the chain, and ``audit_verify`` / ``tinhso audit verify`` name the first broken entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from tinhso.core.models import AuditEntry
from tinhso.core.sequences import sequence_current, sequence_next
from tinhso.core.serialization import canonical_json, json_ready
from tinhso.core.text import nfc

AUDIT_SCOPE = "audit"
GENESIS_HASH = "0" * 64
PERSONAL_DATA_READ = "personal_data.read"
SYSTEM_ACTOR_LABEL = "Hệ thống"
ANONYMOUS_ACTOR_LABEL = "Khách (chưa đăng nhập)"


def entry_hash(
    *, prev_hash: str, seq: int, at: datetime, actor_id: Any, actor_label: str, action: str,
    target_type: str, target_id: str, data: Any,
) -> str:
    """``sha256(prev_hash + canonical JSON of the entry's fields)`` as 64 hex digits."""
    body = canonical_json({
        "seq": seq,
        "at": at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_id": actor_id,
        "actor_label": actor_label,
        "action": action,
        "target_type": target_type,
        "target_id": target_id,
        "data": data,
    })
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def _stored_hash(entry: AuditEntry) -> str:
    return entry_hash(
        prev_hash=entry.prev_hash, seq=entry.seq, at=entry.at, actor_id=entry.actor_id,
        actor_label=entry.actor_label, action=entry.action, target_type=entry.target_type,
        target_id=entry.target_id, data=entry.data,
    )


def _stable(value: Any) -> Any:
    # Floats do not survive every JSON column unchanged (PostgreSQL jsonb prints 1e300 in full and
    # it comes back an int), which would break the hash: they are kept as their decimal text.
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        return {key: _stable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_stable(item) for item in value]
    return value


def _actor(actor) -> tuple[Any, str]:
    if actor is None:
        return None, SYSTEM_ACTOR_LABEL
    if not getattr(actor, "is_authenticated", False):
        return None, ANONYMOUS_ACTOR_LABEL
    username = actor.get_username()
    name = getattr(actor, "display_name", "") or username
    return actor, name if name == username else f"{name} ({username})"


def audit_record(
    *, actor, action: str, target: models.Model | None = None, data: dict | None = None,
    actor_label: str | None = None,
) -> AuditEntry:
    """Append one entry: who (``actor``: a user, ``None`` for the system) did what to which object.

    ``target`` is any saved model instance (stored as ``"app_label.model"`` and its pk as text);
    ``data`` any JSON-able details (dates, Decimals are converted). ``actor_label`` overrides the
    label, e.g. the name of a background job. Runs in the caller's transaction if there is one;
    appending holds the audit counter's lock until that transaction ends, so record late.
    """
    if not action:
        raise ValueError("audit_record needs an action")
    user, label = _actor(actor)
    # NFC before hashing: the field would normalise on save, after the hash was taken.
    label = nfc(actor_label or label)
    target_type = target_id = ""
    if target is not None:
        if target.pk is None:
            raise ValueError("audit_record target must be saved first")
        target_type, target_id = target._meta.label_lower, str(target.pk)
    details = _stable(json_ready(data or {}))

    with transaction.atomic():
        seq = sequence_next(scope=AUDIT_SCOPE)
        prev_hash = (
            AuditEntry.objects.filter(seq__lt=seq).order_by("-seq").values_list("hash", flat=True).first()
            or GENESIS_HASH
        )
        entry = AuditEntry(
            seq=seq, at=timezone.now(), actor=user, actor_label=label, action=action,
            target_type=target_type, target_id=target_id, data=details, prev_hash=prev_hash,
        )
        entry.hash = _stored_hash(entry)
        entry.save()
    return entry


def audit_personal_data_read(*, actor, target: models.Model, fields: Iterable[str]) -> AuditEntry:
    """Log that staff read a full personal record (DESIGN §5.10, personal data protection law 2025)."""
    return audit_record(actor=actor, action=PERSONAL_DATA_READ, target=target,
                        data={"fields": sorted(set(fields))})


@dataclass(frozen=True)
class AuditVerification:
    ok: bool
    checked: int
    first_bad_seq: int | None
    reason: str


def audit_verify() -> AuditVerification:
    """Walk the whole chain; stop at the first entry that was changed, removed or re-linked."""
    expected, prev_hash = 1, GENESIS_HASH
    for entry in AuditEntry.objects.order_by("seq").iterator(chunk_size=2000):
        checked = expected - 1
        if entry.seq != expected:
            return AuditVerification(
                False, checked, expected,
                f"Thiếu bản ghi số {expected} (bản ghi tiếp theo là số {entry.seq}): bản ghi đã bị xóa.",
            )
        if entry.prev_hash != prev_hash:
            return AuditVerification(
                False, checked, entry.seq,
                f"Bản ghi số {entry.seq} không nối với bản ghi trước: bản ghi số {entry.seq - 1} "
                f"hoặc số {entry.seq} đã bị sửa.",
            )
        if _stored_hash(entry) != entry.hash:
            return AuditVerification(
                False, checked, entry.seq,
                f"Nội dung bản ghi số {entry.seq} đã bị sửa (hash không khớp với nội dung).",
            )
        prev_hash = entry.hash
        expected += 1
    checked = expected - 1
    issued = sequence_current(scope=AUDIT_SCOPE)
    if issued > checked:
        return AuditVerification(
            False, checked, checked + 1,
            f"Các bản ghi từ số {checked + 1} đến số {issued} đã bị xóa (bộ đếm đã cấp đến số {issued}).",
        )
    return AuditVerification(True, checked, None, f"Đã kiểm tra {checked} bản ghi: chuỗi toàn vẹn.")
