"""Encryption at rest of small account secrets (the TOTP seed), with Fernet (AES-128-CBC + HMAC).

The key is ``TINHSO_KEY_ENCRYPTION_KEY`` when set (the same key that protects signing keys), else one
derived from ``SECRET_KEY``. A stolen database dump alone then does not reveal any seed.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings


def _fernet() -> Fernet:
    configured = getattr(settings, "TINHSO_KEY_ENCRYPTION_KEY", "")
    if configured:
        return Fernet(configured.encode())
    # Domain-separated so this derived key is never the one another part derives from SECRET_KEY.
    digest = hashlib.sha256(b"tinhso.accounts.secret:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def secret_encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def secret_decrypt(token: str) -> str | None:
    """The plain secret, or None if it cannot be decrypted (key changed, value tampered)."""
    try:
        return _fernet().decrypt(token.encode()).decode()
    except (InvalidToken, ValueError):
        return None
