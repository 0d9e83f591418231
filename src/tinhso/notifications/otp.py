"""One-time codes proving that a person controls an e-mail address or a phone (applicant
registration, issue #4 item 1; docs/notifications.md "Mã xác thực một lần").

Six random digits, valid 10 minutes, at most 5 wrong tries; only an HMAC of the code (keyed with
``SECRET_KEY`` and bound to purpose and destination) is stored, so a leaked table does not reveal
usable codes. A new code replaces the previous one; re-sending is throttled (60 s apart, at most 5
an hour per destination) because each SMS costs money and could be used to harass a number.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tinhso.core.errors import RateLimited, ValidationFailed
from tinhso.notifications.messages import message_render
from tinhso.notifications.models import Channel, OneTimeCode
from tinhso.notifications.services import notification_send, recipient_clean

__all__ = ["otp_issue", "otp_verify"]

CODE_DIGITS = 6


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _ttl() -> timedelta:
    return timedelta(seconds=_setting("TINHSO_OTP_TTL_SECONDS", 600))


def _max_attempts() -> int:
    return _setting("TINHSO_OTP_MAX_ATTEMPTS", 5)


def _code_hash(*, purpose: str, destination: str, code: str) -> str:
    message = f"{purpose}\x1f{destination}\x1f{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def _destination(channel: str, destination: str) -> str:
    if channel not in (Channel.EMAIL, Channel.SMS):
        raise ValidationFailed("Mã xác thực chỉ gửi qua thư điện tử hoặc tin nhắn SMS.", code="invalid_channel")
    return recipient_clean(channel=channel, recipient=destination)


def _purpose(purpose: str) -> str:
    value = (purpose or "").strip()
    if not value or len(value) > 40:
        raise ValueError("otp purpose must be 1–40 characters")
    return value


def _normalized(purpose: str, destination: str) -> tuple[str, str]:
    """Verification does not know the channel: an address with "@" is an e-mail, else a phone."""
    channel = Channel.EMAIL if "@" in (destination or "") else Channel.SMS
    return _purpose(purpose), _destination(channel, destination)


@transaction.atomic
def otp_issue(*, purpose: str, destination: str, channel: str) -> None:
    """Create a code for ``destination`` and send it (``channel`` ``email`` or ``sms``).

    ``RateLimited`` (429): ``otp_resend_too_soon`` within ``TINHSO_OTP_RESEND_SECONDS`` (60) of the
    previous code, ``otp_too_many_requests`` past ``TINHSO_OTP_MAX_PER_HOUR`` (5) codes an hour.
    ``ValidationFailed``: ``invalid_email``, ``invalid_phone``, ``invalid_channel``.
    """
    purpose = _purpose(purpose)
    address = _destination(channel, destination)
    now = timezone.now()
    recent = OneTimeCode.objects.filter(destination=address, created_at__gt=now - timedelta(hours=1))
    latest = recent.filter(purpose=purpose).order_by("-created_at", "-id").first()
    wait = _setting("TINHSO_OTP_RESEND_SECONDS", 60)
    if latest is not None and (now - latest.created_at).total_seconds() < wait:
        left = wait - int((now - latest.created_at).total_seconds())
        raise RateLimited(f"Vui lòng chờ {left} giây trước khi yêu cầu gửi lại mã xác thực.",
                          code="otp_resend_too_soon")
    if recent.count() >= _setting("TINHSO_OTP_MAX_PER_HOUR", 5):
        raise RateLimited("Đã gửi quá nhiều mã xác thực tới địa chỉ này trong một giờ. Vui lòng thử lại sau.",
                          code="otp_too_many_requests")
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    expires = now + _ttl()
    OneTimeCode.objects.create(purpose=purpose, destination=address, channel=channel,
                               code_hash=_code_hash(purpose=purpose, destination=address, code=code),
                               created_at=now, expires_at=expires)
    message = message_render(template="otp", context={
        "code": code, "minutes": int(_ttl().total_seconds() // 60), "purpose": purpose,
        "site_name": getattr(settings, "TINHSO_SITE_NAME", "Tỉnh Số"),
    })
    notification_send(channel=channel, recipient=address, subject=message.subject,
                      body=message.sms if channel == Channel.SMS else message.body, kind=f"otp:{purpose}",
                      sensitive=True)


def otp_verify(*, purpose: str, destination: str, code: str) -> bool:
    """True when ``code`` is the newest, unexpired, unused code of ``destination`` for ``purpose``;
    the code is then used up. Otherwise ``ValidationFailed``:

    * ``otp_invalid`` — wrong code, or no code was issued (a wrong try counts);
    * ``otp_expired`` — the newest code is older than 10 minutes or already used;
    * ``otp_too_many_attempts`` — 5 wrong tries: ask for a new code.

    A wrong try is committed before the error is raised; call this outside an enclosing transaction
    that the error would roll back (or catch the error inside it), or the count would be lost.
    """
    purpose, address = _normalized(purpose, destination)
    entered = "".join((code or "").split())
    now = timezone.now()
    with transaction.atomic():
        row = (OneTimeCode.objects.select_for_update().filter(purpose=purpose, destination=address)
               .order_by("-created_at", "-id").first())
        if row is None:
            outcome = "otp_invalid"
        elif row.used_at is not None or row.expires_at <= now:
            outcome = "otp_expired"
        elif row.attempts >= _max_attempts():
            outcome = "otp_too_many_attempts"
        elif hmac.compare_digest(row.code_hash, _code_hash(purpose=purpose, destination=address, code=entered)):
            row.used_at = now
            row.save(update_fields=["used_at"])
            return True
        else:
            row.attempts += 1
            row.save(update_fields=["attempts"])
            outcome = "otp_too_many_attempts" if row.attempts >= _max_attempts() else "otp_invalid"
    raise ValidationFailed(_DETAILS[outcome], code=outcome)


_DETAILS = {
    "otp_invalid": "Mã xác thực không đúng. Vui lòng kiểm tra lại.",
    "otp_expired": "Mã xác thực đã hết hạn. Vui lòng yêu cầu gửi mã mới.",
    "otp_too_many_attempts": "Bạn đã nhập sai mã xác thực quá nhiều lần. Vui lòng yêu cầu gửi mã mới.",
}
