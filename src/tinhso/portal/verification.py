"""Recording that an applicant proved a phone number or e-mail address with a one-time code.

The code itself is issued and checked by ``notifications.otp``; what this module writes belongs in
``accounts.services`` (a ``user_contact_verified`` service) and lives here only until the accounts
part provides it — see docs/portal.md "Xác minh số điện thoại, thư điện tử".
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.core.audit import audit_record

PURPOSE = "account_verify"
CHANNEL_FIELDS = {"sms": ("phone", "phone_verified_at"), "email": ("email", "email_verified_at")}


def verification_destination(*, user: User, channel: str) -> str:
    field, _stamp = CHANNEL_FIELDS[channel]
    return getattr(user, field) or ""


@transaction.atomic
def account_contact_mark_verified(*, user: User, channel: str) -> User:
    """Stamp ``phone_verified_at`` or ``email_verified_at`` now (the caller has checked the code)."""
    field, stamp = CHANNEL_FIELDS[channel]
    user = User.objects.select_for_update().get(pk=user.pk)
    setattr(user, stamp, timezone.now())
    user.save(update_fields=[stamp])
    audit_record(actor=user, action="accounts.contact_verified", target=user, data={"channel": channel,
                                                                                     "field": field})
    return user
