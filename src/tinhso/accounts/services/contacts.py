"""An applicant proved that a phone number or e-mail address is theirs (a one-time code they received
there, checked by ``notifications.otp``): the account records when."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.core.audit import audit_record
from tinhso.core.errors import ValidationFailed

# channel → (contact field, timestamp field)
CONTACT_CHANNELS = {"sms": ("phone", "phone_verified_at"), "email": ("email", "email_verified_at")}


def _channel_fields(channel: str) -> tuple[str, str]:
    if channel not in CONTACT_CHANNELS:
        raise ValidationFailed("Kênh xác minh phải là “sms” (số điện thoại) hoặc “email” (thư điện tử).",
                               code="invalid_channel")
    return CONTACT_CHANNELS[channel]


@transaction.atomic
def user_contact_verify(*, user: User, channel: str) -> User:
    """Stamp ``phone_verified_at`` (``sms``) or ``email_verified_at`` (``email``) now, with an audit
    entry ``accounts.contact_verified``. The caller has checked the code sent to that contact."""
    field, stamp = _channel_fields(channel)
    user = User.objects.select_for_update().get(pk=user.pk)
    contact = getattr(user, field) or ""
    if not contact:
        raise ValidationFailed(
            "Tài khoản chưa có số điện thoại để xác minh." if channel == "sms"
            else "Tài khoản chưa có địa chỉ thư điện tử để xác minh.",
            code="contact_missing",
        )
    setattr(user, stamp, timezone.now())
    user.save(update_fields=[stamp])
    audit_record(actor=user, action="accounts.contact_verified", target=user,
                 data={"channel": channel, "field": field})
    return user
