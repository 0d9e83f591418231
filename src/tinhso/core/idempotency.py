"""``Idempotency-Key`` for POSTs that create or change something (DESIGN §5.12; docs/dossiers.md).

A client that did not hear the answer to a POST (a timeout, a dropped connection) sends it again
with the same ``Idempotency-Key``. The first request runs and its answer is stored in the same
transaction as the change; a repeat with the same key and the same body gets that answer again
(same status, same body — the same dossier code), nothing runs twice. The same key with a different
body is a client bug: 422 ``idempotency_key_reused``.

Keys are scoped per user (two integrators may pick the same key) and per method and path. Records
expire after ``TINHSO_IDEMPOTENCY_TTL_HOURS`` (24 h): after that the key is free again.
``idempotency_purge`` deletes expired records (``tinhso idempotency purge`` from cron).

Failed requests (a domain error) store nothing, so the client may fix the body and retry with the
same key. Anonymous requests are not recorded: there is nobody to scope the key to.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from tinhso.core.errors import ValidationFailed
from tinhso.core.models_idempotency import IdempotencyRecord
from tinhso.core.serialization import canonical_json, json_ready

__all__ = ["IdempotentAnswer", "idempotency_purge", "idempotency_run", "request_fingerprint"]

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


@dataclass(frozen=True)
class IdempotentAnswer:
    status: int
    body: dict
    replayed: bool


class _LostRace(Exception):
    """Another request with the same key committed first; ours is rolled back and replays theirs."""


def _ttl() -> timedelta:
    return timedelta(hours=int(getattr(settings, "TINHSO_IDEMPOTENCY_TTL_HOURS", 24)))


def _key_clean(key: str) -> str:
    key = (key or "").strip()
    if len(key) > MAX_KEY_LENGTH or not key.isprintable():
        raise ValidationFailed(
            f"Idempotency-Key phải là chuỗi in được, dài tối đa {MAX_KEY_LENGTH} ký tự.",
            code="invalid_idempotency_key",
        )
    return key


def request_fingerprint(request) -> str:
    """SHA-256 of what the request asks for: the parsed JSON body (key order and spacing ignored),
    or the form fields plus each uploaded file's name and SHA-256 for multipart."""
    content_type = (request.META.get("CONTENT_TYPE") or "").split(";")[0].strip().lower()
    if content_type == "multipart/form-data":
        files = []
        for field, uploads in sorted(request.FILES.lists()):
            for upload in uploads:
                digest = hashlib.sha256()
                for chunk in upload.chunks():
                    digest.update(chunk)
                upload.seek(0)
                files.append([field, upload.name, digest.hexdigest()])
        material = canonical_json({"fields": sorted(request.POST.lists()), "files": files})
    else:
        raw = request.body or b""
        try:
            material = canonical_json(json.loads(raw)) if raw.strip() else ""
        except (ValueError, UnicodeDecodeError):
            material = raw.decode("latin-1")
    return hashlib.sha256(f"{request.method}\n{material}".encode()).hexdigest()


def _answer(record: IdempotencyRecord, fingerprint: str) -> IdempotentAnswer:
    if record.request_hash != fingerprint:
        raise ValidationFailed(
            "Idempotency-Key này đã được dùng cho một yêu cầu có nội dung khác. "
            "Hãy dùng khóa mới cho mỗi yêu cầu mới.",
            code="idempotency_key_reused",
        )
    return IdempotentAnswer(status=record.status, body=record.body, replayed=True)


def idempotency_run(
    *, user, key: str | None, method: str, path: str, fingerprint: str,
    run: Callable[[], tuple[int, dict]], now: datetime | None = None,
) -> IdempotentAnswer:
    """Run ``run()`` once per (user, key, method, path); replay its stored answer to repeats.

    ``run`` returns ``(status, body)`` with a JSON-ready body; it runs inside this function's
    transaction, so the change and the stored answer commit together. Without a key, or for an
    anonymous user, ``run`` simply runs.
    """
    if not key or not getattr(user, "is_authenticated", False):
        status, body = run()
        return IdempotentAnswer(status=status, body=body, replayed=False)
    key = _key_clean(key)
    now = now or timezone.now()
    scope = {"user": user, "key": key, "method": method.upper(), "path": path[:500]}
    try:
        with transaction.atomic():
            record = IdempotencyRecord.objects.filter(**scope).first()
            if record is not None and record.created_at >= now - _ttl():
                return _answer(record, fingerprint)
            if record is not None:  # expired: the key is free again
                record.delete()
            status, body = run()
            body = json_ready(body)
            try:
                with transaction.atomic():
                    IdempotencyRecord.objects.create(
                        **scope, request_hash=fingerprint, status=status, body=body, created_at=now
                    )
            except IntegrityError:
                # PostgreSQL: a concurrent request with this key inserted first and has now committed.
                raise _LostRace from None
            return IdempotentAnswer(status=status, body=body, replayed=False)
    except _LostRace:
        return _answer(IdempotencyRecord.objects.get(**scope), fingerprint)


def idempotency_purge(*, now: datetime | None = None) -> int:
    """Delete records older than the time-to-live; returns how many."""
    cutoff = (now or timezone.now()) - _ttl()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=cutoff).delete()
    return deleted
