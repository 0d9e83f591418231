"""Writes on accounts: applicant and staff users, API keys, two-factor authentication.

``apikey_authenticate`` lives here because the API authentication calls it on every request.
"""

from tinhso.accounts.services.apikeys import apikey_authenticate, apikey_create, apikey_revoke
from tinhso.accounts.services.contacts import CONTACT_CHANNELS, user_contact_verify
from tinhso.accounts.services.totp import (
    totp_disable,
    totp_enrol_begin,
    totp_enrol_confirm,
    totp_verify,
)
from tinhso.accounts.services.users import business_register, citizen_register, user_ensure

__all__ = [
    "CONTACT_CHANNELS",
    "apikey_authenticate",
    "apikey_create",
    "apikey_revoke",
    "business_register",
    "citizen_register",
    "totp_disable",
    "totp_enrol_begin",
    "totp_enrol_confirm",
    "totp_verify",
    "user_contact_verify",
    "user_ensure",
]
