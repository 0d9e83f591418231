"""An applicant's phone or e-mail, once proved with a one-time code, is stamped as verified and audited."""

import datetime as dt

import pytest

from tinhso.accounts.services import citizen_register, user_contact_verify
from tinhso.core.errors import ValidationFailed
from tinhso.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    return citizen_register(id_number="025085001234", full_name="Nguyễn Văn An", birth_date=dt.date(1985, 3, 12),
                            gender="male", password="Mat-khau-manh-2026", phone="0912000101")


def test_verifying_the_phone_stamps_it_and_writes_the_audit_entry(citizen):
    user = user_contact_verify(user=citizen, channel="sms")
    assert user.phone_verified_at is not None and user.email_verified_at is None
    citizen.refresh_from_db()
    assert citizen.phone_verified_at == user.phone_verified_at
    entry = AuditEntry.objects.get(action="accounts.contact_verified")
    assert entry.actor == citizen and entry.target_id == str(citizen.pk)
    assert entry.data == {"channel": "sms", "field": "phone"}


def test_no_address_or_an_unknown_channel_is_refused(citizen):
    with pytest.raises(ValidationFailed) as info:
        user_contact_verify(user=citizen, channel="email")
    assert info.value.code == "contact_missing"
    with pytest.raises(ValidationFailed) as info:
        user_contact_verify(user=citizen, channel="zalo")
    assert info.value.code == "invalid_channel"
    assert not AuditEntry.objects.filter(action="accounts.contact_verified").exists()
