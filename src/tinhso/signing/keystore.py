"""Private keys at rest: encrypted with Fernet (AES-128-CBC + HMAC-SHA256) under one platform key.

The key is ``TINHSO_KEY_ENCRYPTION_KEY`` (``Fernet.generate_key()``); without it, a development key is
derived from ``SECRET_KEY`` (domain-separated, so it differs from the one ``accounts`` derives).
A database dump alone therefore never yields a usable signing key.
"""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings

from tinhso.signing.errors import SigningUnavailable
from tinhso.signing.pki import PrivateKey, private_key_from_der, private_key_to_der


def _fernet() -> Fernet:
    configured = getattr(settings, "TINHSO_KEY_ENCRYPTION_KEY", "")
    if configured:
        try:
            return Fernet(configured.encode())
        except ValueError as exc:
            raise SigningUnavailable(
                "Khóa mã hóa TINHSO_KEY_ENCRYPTION_KEY không đúng định dạng (cần 32 byte mã hóa base64 url-safe).",
                code="key_encryption_key_invalid",
            ) from exc
    digest = hashlib.sha256(b"tinhso.signing.private-key:" + settings.SECRET_KEY.encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def private_key_encrypt(key: PrivateKey) -> str:
    return _fernet().encrypt(private_key_to_der(key)).decode("ascii")


def private_key_decrypt(token: str) -> PrivateKey:
    try:
        return private_key_from_der(_fernet().decrypt(token.encode("ascii")), trusted=True)
    except (InvalidToken, ValueError) as exc:
        raise SigningUnavailable(
            "Không giải mã được khóa bí mật của chứng thư số: khóa mã hóa của hệ thống đã thay đổi. "
            "Vui lòng liên hệ quản trị hệ thống.",
            code="private_key_unavailable",
        ) from exc


def secret_encrypt(text: str) -> str:
    """Another secret kept at rest with the same key (an exchange credential, docs/exchange.md)."""
    return _fernet().encrypt(text.encode("utf-8")).decode("ascii")


def secret_decrypt(token: str) -> str:
    return _fernet().decrypt(token.encode("ascii")).decode("utf-8") if token else ""
