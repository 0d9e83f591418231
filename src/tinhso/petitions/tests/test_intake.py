"""Intake from the portal (signed in, or anonymous with an OTP) and by staff; routing; bad input is
coded and stores nothing."""

from __future__ import annotations

import pytest

from tinhso.core.errors import PermissionDenied, RateLimited, ValidationFailed
from tinhso.core.files import bytes_upload
from tinhso.core.models_files import StoredFile
from tinhso.core.testing import captured_events
from tinhso.notifications.models import Notification
from tinhso.petitions.errors import PetitionError
from tinhso.petitions.models import Petition, RoutingRule
from tinhso.petitions.services import petition_intake, petition_otp_request, petition_submit
from tinhso.petitions.status import Channel
from tinhso.petitions.tests.conftest import draft, photo

PHONE = "0903123456"


def anonymous_send(code, **overrides):
    from django.contrib.auth.models import AnonymousUser

    return petition_submit(actor=AnonymousUser(), draft=draft(sender_name="Lê Thị Cúc", sender_phone=PHONE,
                                                              **overrides),
                           otp_code=code, client_ip="10.0.0.2", uploads=[photo()])


def _issued_code(monkeypatch):
    """Capture the code ``otp_issue`` generates (the stored SMS is masked after sending)."""
    import tinhso.notifications.otp as otp_module

    codes = []
    real = otp_module.secrets.randbelow

    def spy(n):
        value = real(n)
        codes.append(f"{value:06d}")
        return value

    monkeypatch.setattr(otp_module.secrets, "randbelow", spy)
    return codes


def test_signed_in_citizen_sends_with_a_photo(world, send):
    with captured_events():
        p = send(uploads=[photo()])
    assert p.channel == Channel.PORTAL and p.sender_user == world.citizen and p.sender_name == "Nguyễn Văn An"
    assert p.attachments.count() == 1 and p.attachments.get().file.content_type == "image/png"
    assert Notification.objects.filter(kind="petition.received", channel="in_app", user=world.citizen).exists()


def test_anonymous_sender_with_otp_and_replay(world, monkeypatch, settings):
    settings.TINHSO_OTP_RESEND_SECONDS = 0
    codes = _issued_code(monkeypatch)
    petition_otp_request(phone=PHONE, client_ip="10.0.0.2")
    p = anonymous_send(codes[-1])
    assert p.sender_user is None and p.phone_verified and p.sender_phone == PHONE
    before = (Petition.objects.count(), StoredFile.objects.count())
    with pytest.raises(ValidationFailed) as replay:
        anonymous_send(codes[-1])
    assert replay.value.code == "otp_expired"
    assert (Petition.objects.count(), StoredFile.objects.count()) == before


def test_wrong_or_missing_otp_stores_nothing(world, monkeypatch, settings):
    settings.TINHSO_OTP_RESEND_SECONDS = 0
    codes = _issued_code(monkeypatch)
    petition_otp_request(phone=PHONE, client_ip="10.0.0.2")
    wrong = "000000" if codes[-1] != "000000" else "111111"
    with pytest.raises(ValidationFailed) as error:
        anonymous_send(wrong)
    assert error.value.code == "otp_invalid"
    with pytest.raises(ValidationFailed) as missing:
        anonymous_send("")
    assert missing.value.code == PetitionError.OTP_REQUIRED
    assert not Petition.objects.exists() and not StoredFile.objects.exists()


def test_file_that_is_not_what_it_claims(world, send):
    fake = bytes_upload(b"%PDF-1.4 but not really a pdf", "giay-to.pdf")
    with pytest.raises(ValidationFailed) as error:
        send(uploads=[photo(), fake])
    assert error.value.code.startswith("file_")
    assert not Petition.objects.exists() and not StoredFile.objects.exists()


@pytest.mark.parametrize("field", ["subject", "content"])
def test_markup_is_refused(world, send, field):
    with pytest.raises(ValidationFailed) as error:
        send(**{field: 'Xem <a href="http://x">đây</a>'})
    assert error.value.code == PetitionError.MARKUP and error.value.errors[0]["field"] == field
    assert not Petition.objects.exists()


def test_plain_comparisons_are_not_markup(world, send):
    assert send(content="Phí 50.000 đ < 100.000 đ theo quy định <3").content.startswith("Phí")


def test_anonymous_sending_is_rate_limited(world, send, settings):
    settings.TINHSO_PETITION_SUBMIT_PER_HOUR = 2
    send()
    send()
    with pytest.raises(RateLimited) as error:
        send()
    assert error.value.code == PetitionError.RATE_LIMITED
    assert Petition.objects.count() == 2


def test_staff_intake_by_hotline(world):
    p = petition_intake(actor=world.dept_reception, channel="hotline",
                        draft=draft(sender_name="Ông Hùng", sender_phone="0912000111", commune_code=""))
    assert p.channel == "hotline" and p.intake_by == world.dept_reception and p.agency == world.province
    with pytest.raises(PermissionDenied):
        petition_intake(actor=world.citizen, channel="hotline", draft=draft(sender_name="X"))
    with pytest.raises(ValidationFailed) as bad:
        petition_intake(actor=world.reception, channel="portal", draft=draft(sender_name="X"))
    assert bad.value.code == PetitionError.INVALID_CHANNEL


def test_routing_rules_are_ordered_data(world, send):
    RoutingRule.objects.create(position=1, kind="conduct", agency=world.department)
    assert send(kind="conduct").agency == world.department  # the earlier rule wins
    assert send(kind="regulation").agency == world.commune_agency
    RoutingRule.objects.filter(position=1).update(is_active=False)
    assert send(kind="conduct").agency == world.commune_agency


def test_unknown_references_are_coded(world, send):
    for overrides, code in [({"commune_code": "99999"}, PetitionError.UNKNOWN_COMMUNE),
                            ({"procedure_code": "9.999999"}, PetitionError.UNKNOWN_PROCEDURE),
                            ({"dossier_code": "NOPE"}, PetitionError.UNKNOWN_DOSSIER),
                            ({"kind": "gossip"}, PetitionError.INVALID_KIND),
                            ({"subject": ""}, PetitionError.EMPTY)]:
        with pytest.raises(ValidationFailed) as error:
            send(**overrides)
        assert error.value.code == code
    assert not Petition.objects.exists()
