"""Proving a phone number or e-mail address with a one-time code: the OTP purpose and where the code
goes. The code is issued and checked by ``notifications.otp``; recording the proof is
``accounts.services.user_contact_verify`` (docs/portal.md "Xác minh số điện thoại, thư điện tử")."""

from __future__ import annotations

from tinhso.accounts.models import User
from tinhso.accounts.services import CONTACT_CHANNELS

PURPOSE = "account_verify"


def verification_destination(*, user: User, channel: str) -> str:
    field, _stamp = CONTACT_CHANNELS[channel]
    return getattr(user, field) or ""
