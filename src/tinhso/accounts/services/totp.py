"""Two-factor authentication for staff: TOTP (RFC 6238, 6 digits, 30 s) plus one-time recovery codes.

Enrolment is two steps: ``totp_enrol_begin`` stores a new secret (encrypted) as *pending* and returns
it for the QR code; ``totp_enrol_confirm`` switches 2FA on only once the person proves their app
produces valid codes, and returns the recovery codes (shown once, stored hashed).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.crypto import secret_decrypt, secret_encrypt
from tinhso.accounts.models import User
from tinhso.core.audit import audit_record
from tinhso.core.errors import Conflict, ValidationFailed

STEP_SECONDS = 30
DIGITS = 6
# One step either side absorbs clock drift between the phone and the server (±30 s).
DRIFT_STEPS = 1
RECOVERY_CODES = 10
_RECOVERY_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: they are read off paper


@dataclass(frozen=True)
class TotpEnrolment:
    secret: str
    uri: str


def _normalise_recovery(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def _recovery_hash(code: str) -> str:
    return hashlib.sha256(_normalise_recovery(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    chars = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def _now() -> float:
    return time.time()


def _matching_step(secret: str, code: str, *, after: int | None) -> int | None:
    """The time step whose code equals ``code`` (within the drift window and later than ``after``)."""
    code = "".join(code.split())
    if len(code) != DIGITS or not code.isdigit():
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)
    now_step = int(_now()) // STEP_SECONDS
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if hmac.compare_digest(totp.generate_otp(step), code) and (after is None or step > after):
            return step
    return None


def _locked(user: User) -> User:
    return User.objects.select_for_update().get(pk=user.pk)


@transaction.atomic
def totp_enrol_begin(*, user: User) -> TotpEnrolment:
    """Start (or resume) enrolment: the pending secret and its ``otpauth://`` URI for the QR code."""
    user = _locked(user)
    if user.totp_enabled:
        raise Conflict("Xác thực hai bước đã được bật cho tài khoản này.", code="totp_already_enabled")
    secret = secret_decrypt(user.totp_secret) if user.totp_secret else None
    if not secret:
        secret = pyotp.random_base32()
        user.totp_secret = secret_encrypt(secret)
        user.save(update_fields=["totp_secret"])
    uri = pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS).provisioning_uri(
        name=user.username, issuer_name=settings.TINHSO_SITE_NAME
    )
    return TotpEnrolment(secret=secret, uri=uri)


@transaction.atomic
def totp_enrol_confirm(*, user: User, code: str) -> list[str]:
    """Switch 2FA on when ``code`` is valid for the pending secret; return the recovery codes."""
    user = _locked(user)
    if user.totp_enabled:
        raise Conflict("Xác thực hai bước đã được bật cho tài khoản này.", code="totp_already_enabled")
    secret = secret_decrypt(user.totp_secret) if user.totp_secret else None
    if not secret:
        raise ValidationFailed("Chưa bắt đầu đăng ký xác thực hai bước.", code="totp_not_started")
    step = _matching_step(secret, code, after=None)
    if step is None:
        raise ValidationFailed(
            "Mã xác thực không đúng. Hãy nhập mã 6 chữ số đang hiển thị trên ứng dụng.", code="invalid_totp_code"
        )
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    user.totp_enabled_at = timezone.now()
    user.totp_last_step = step
    user.totp_recovery_hashes = [_recovery_hash(c) for c in codes]
    user.save(update_fields=["totp_enabled_at", "totp_last_step", "totp_recovery_hashes"])
    audit_record(actor=user, action="accounts.totp_enable", target=user)
    return codes


@transaction.atomic
def totp_verify(*, user: User, code: str) -> bool:
    """True if ``code`` is a fresh TOTP code or an unused recovery code (which is then used up).

    A TOTP code is accepted only for a step later than the last accepted one, so a code seen over
    someone's shoulder cannot be replayed within its validity window.
    """
    user = _locked(user)
    if not user.totp_enabled:
        return False
    secret = secret_decrypt(user.totp_secret)
    if secret is None:
        return False
    step = _matching_step(secret, code, after=user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        user.save(update_fields=["totp_last_step"])
        return True
    digest = _recovery_hash(code)
    if _normalise_recovery(code) and digest in user.totp_recovery_hashes:
        user.totp_recovery_hashes = [h for h in user.totp_recovery_hashes if h != digest]
        user.save(update_fields=["totp_recovery_hashes"])
        audit_record(
            actor=user,
            action="accounts.totp_recovery_use",
            target=user,
            data={"remaining": len(user.totp_recovery_hashes)},
        )
        return True
    return False


@transaction.atomic
def totp_disable(*, actor, user: User) -> User:
    """Switch 2FA off and forget the secret (the caller has checked a fresh code or is an admin)."""
    user = _locked(user)
    if user.totp_enabled or user.totp_secret:
        user.totp_secret = ""
        user.totp_enabled_at = None
        user.totp_last_step = None
        user.totp_recovery_hashes = []
        user.save(update_fields=["totp_secret", "totp_enabled_at", "totp_last_step", "totp_recovery_hashes"])
        audit_record(actor=actor, action="accounts.totp_disable", target=user)
    return user
