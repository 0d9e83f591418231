"""API keys for integrators: ``ts_<prefix>_<secret>``, scoped to one agency through a service user.

Creating a key creates a service user (kind ``service``) with memberships for the chosen roles in
the chosen agency; every permission check then works for the key exactly as for a person.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Iterable
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tinhso.accounts.models import ApiKey, User
from tinhso.core.audit import audit_record
from tinhso.core.errors import NotFound
from tinhso.org.models import Agency
from tinhso.org.roles import roles_clean
from tinhso.org.services import membership_grant

KEY_SCHEME = "ts"
_PREFIX = re.compile(r"[0-9a-f]{8}")
# Writing last_used_at on every request would turn each API read into a write; once a minute is
# enough to tell an administrator whether a key is still in use.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def _digest(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode()).hexdigest()


def _actor_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def apikey_create(*, actor, agency: Agency, roles: Iterable[str] | str, name: str) -> tuple[ApiKey, str]:
    """A new key for ``agency`` acting with ``roles``. Returns the row and the raw key, shown ONCE."""
    wanted = roles_clean(roles)
    name = " ".join(name.split())
    for _attempt in range(5):
        prefix = secrets.token_hex(4)
        if not ApiKey.objects.filter(prefix=prefix).exists():
            break
    else:  # pragma: no cover - 2^32 prefixes; five collisions in a row means something else is wrong
        raise RuntimeError("could not pick a free API key prefix")
    raw_key = f"{KEY_SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"

    user = User(username=f"api-{prefix}", kind=User.Kind.SERVICE, full_name=name or f"Khóa API {prefix}")
    user.set_unusable_password()
    user.save()
    for role in sorted(wanted):
        membership_grant(actor=actor, user=user, agency=agency, role=role)
    try:
        with transaction.atomic():
            key = ApiKey.objects.create(
                name=name or user.full_name,
                prefix=prefix,
                key_hash=_digest(raw_key),
                user=user,
                agency=agency,
                created_by=_actor_or_none(actor),
            )
    except IntegrityError as exc:  # pragma: no cover - a concurrent create took the same prefix
        raise RuntimeError("API key prefix collision") from exc
    audit_record(
        actor=actor,
        action="accounts.apikey_create",
        target=key,
        data={"prefix": prefix, "agency": agency.code, "roles": sorted(wanted), "name": key.name},
    )
    return key, raw_key


@transaction.atomic
def apikey_revoke(*, actor, prefix: str) -> ApiKey:
    """Revoke the key (and disable its service user). Revoking twice is harmless."""
    key = ApiKey.objects.select_for_update().select_related("user").filter(prefix=prefix.strip().lower()).first()
    if key is None:
        raise NotFound(f"Không tìm thấy khóa API có tiền tố “{prefix}”.", code="apikey_not_found")
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at"])
        key.user.is_active = False
        key.user.save(update_fields=["is_active"])
        audit_record(actor=actor, action="accounts.apikey_revoke", target=key, data={"prefix": key.prefix})
    return key


def apikey_authenticate(*, raw_key: str) -> User | None:
    """The service user behind ``raw_key``, or None for a malformed, unknown or revoked key.

    The prefix finds the row (it is not secret); the full key is then compared by SHA-256 digest in
    constant time. The key row is attached to the user as ``user.api_key`` for the caller.
    """
    raw_key = (raw_key or "").strip()
    parts = raw_key.split("_", 2)
    if len(parts) != 3 or parts[0] != KEY_SCHEME or not _PREFIX.fullmatch(parts[1]) or not parts[2]:
        return None
    key = ApiKey.objects.select_related("user", "agency").filter(prefix=parts[1]).first()
    if key is None or not hmac.compare_digest(key.key_hash, _digest(raw_key)):
        return None
    if key.revoked_at is not None or not key.user.is_active:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at >= LAST_USED_RESOLUTION:
        # Conditional, so concurrent requests write at most once per minute between them.
        ApiKey.objects.filter(pk=key.pk).filter(
            Q(last_used_at__isnull=True) | Q(last_used_at__lte=now - LAST_USED_RESOLUTION)
        ).update(last_used_at=now)
        key.last_used_at = now
    user = key.user
    user.api_key = key
    return user
