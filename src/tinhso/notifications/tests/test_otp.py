"""One-time codes: sent, hashed, 10 minutes, 5 tries, throttled re-sending."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tinhso.core.errors import RateLimited, ValidationFailed
from tinhso.notifications.models import Notification, OneTimeCode
from tinhso.notifications.otp import otp_issue, otp_verify

pytestmark = pytest.mark.django_db

PHONE = "0912345678"


@pytest.fixture
def clock(monkeypatch):
    state = {"now": timezone.now()}
    monkeypatch.setattr(timezone, "now", lambda: state["now"])

    def advance(**delta):
        state["now"] += timedelta(**delta)

    return advance


@pytest.fixture
def issue(commit, sms_outbox):
    """Issue a code by SMS and return the code the phone received."""
    def run(destination=PHONE, purpose="register"):
        with commit():
            otp_issue(purpose=purpose, destination=destination, channel="sms")
        return re.search(r"\b(\d{6})\b", sms_outbox[-1].text).group(1)

    return run


def test_code_is_sent_by_sms_and_accepted_once(issue, sms_outbox):
    code = issue()

    assert sms_outbox[-1].phone == PHONE
    assert "ma xac thuc" in sms_outbox[-1].text and "10 phut" in sms_outbox[-1].text  # sent unaccented
    stored = OneTimeCode.objects.get()
    assert code not in stored.code_hash and len(stored.code_hash) == 64
    logged = Notification.objects.get(kind="otp:register")
    assert logged.status == "sent" and code not in logged.body and "••••••" in logged.body
    assert otp_verify(purpose="register", destination="+84912345678", code=f" {code} ") is True
    with pytest.raises(ValidationFailed) as reused:
        otp_verify(purpose="register", destination=PHONE, code=code)
    assert reused.value.code == "otp_expired"


def test_code_by_email(commit):
    with commit():
        otp_issue(purpose="register", destination="Tuyet@Example.vn", channel="email")
    [message] = mail.outbox
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    assert message.to == ["tuyet@example.vn"]
    assert otp_verify(purpose="register", destination="tuyet@example.vn", code=code)


def test_a_code_expires_after_ten_minutes(issue, clock):
    code = issue()
    clock(minutes=10, seconds=1)
    with pytest.raises(ValidationFailed) as expired:
        otp_verify(purpose="register", destination=PHONE, code=code)
    assert expired.value.code == "otp_expired"


def test_five_wrong_tries_burn_the_code(issue):
    code = issue()
    wrong = "000000" if code != "000000" else "111111"
    codes = []
    for _ in range(5):
        with pytest.raises(ValidationFailed) as error:
            otp_verify(purpose="register", destination=PHONE, code=wrong)
        codes.append(error.value.code)
    assert codes == ["otp_invalid"] * 4 + ["otp_too_many_attempts"]
    with pytest.raises(ValidationFailed) as error:
        otp_verify(purpose="register", destination=PHONE, code=code)  # even the right code, now
    assert error.value.code == "otp_too_many_attempts"


def test_a_code_is_bound_to_its_purpose_and_destination(issue):
    code = issue()
    for purpose, destination in [("reset_password", PHONE), ("register", "0987654321")]:
        with pytest.raises(ValidationFailed) as error:
            otp_verify(purpose=purpose, destination=destination, code=code)
        assert error.value.code == "otp_invalid"


def test_resending_is_throttled_and_replaces_the_code(issue, clock):
    first = issue()
    with pytest.raises(RateLimited) as soon:
        issue()
    assert soon.value.code == "otp_resend_too_soon" and soon.value.status == 429
    clock(seconds=61)
    second = issue()
    if first != second:
        with pytest.raises(ValidationFailed):
            otp_verify(purpose="register", destination=PHONE, code=first)
    assert otp_verify(purpose="register", destination=PHONE, code=second)


def test_at_most_five_codes_an_hour(issue, clock):
    for _ in range(5):
        issue()
        clock(seconds=61)
    with pytest.raises(RateLimited) as error:
        issue()
    assert error.value.code == "otp_too_many_requests"
    clock(hours=1)
    issue()
