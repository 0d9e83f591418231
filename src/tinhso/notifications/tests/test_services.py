"""Sending: after commit, once per event, through Django mail and the SMS provider; failures retried."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from tinhso.core.errors import NotFound, ValidationFailed
from tinhso.core.files import file_store_generated
from tinhso.notifications import sms
from tinhso.notifications.models import Notification
from tinhso.notifications.selectors import notifications_for, notifications_unread_count
from tinhso.notifications.services import (
    notification_mark_read,
    notification_resend,
    notification_send,
    notifications_deliver_due,
)
from tinhso.notifications.sms import LoggingSmsProvider, ascii_fold, sms_fit, sms_max_segments, sms_segments

pytestmark = pytest.mark.django_db

BODY = "Hồ sơ H44.12-260105-0001 đã được tiếp nhận, hẹn trả kết quả 12/01/2026 08:30."


class FlakyGateway(LoggingSmsProvider):
    down = True

    def deliver(self, phone, text):
        if FlakyGateway.down:
            raise ConnectionError("gateway timeout")
        return super().deliver(phone, text)


def test_email_is_sent_only_when_the_transaction_commits(commit):
    with commit():
        row = notification_send(channel="email", recipient=" Tuyet@Example.VN ", subject="Hồ sơ đã được tiếp nhận",
                                body=BODY)
        assert mail.outbox == []  # nothing leaves before the commit
    row.refresh_from_db()
    assert row.status == "sent" and row.sent_at is not None and row.attempts == 1
    assert row.recipient == "tuyet@example.vn"
    [message] = mail.outbox
    assert message.to == ["tuyet@example.vn"]
    assert message.subject == "Hồ sơ đã được tiếp nhận"
    assert message.body == BODY
    assert message.extra_headers["X-Tinhso-Notification"] == str(row.pk)
    assert row.provider_message_id == message.extra_headers["Message-ID"]


def test_the_same_event_twice_sends_one_email(commit):
    event_id = uuid.uuid4()
    with commit():
        first = notification_send(channel="email", recipient="tuyet@example.vn", subject="S", body=BODY,
                                  event_id=event_id, kind="dossier.received")
        again = notification_send(channel="email", recipient="TUYET@example.vn", subject="S", body=BODY,
                                  event_id=str(event_id), kind="dossier.received")
    assert again.pk == first.pk
    assert len(mail.outbox) == 1
    assert Notification.objects.count() == 1
    with commit():  # a later redelivery of the event, after the first was sent
        notification_send(channel="email", recipient="tuyet@example.vn", subject="S", body=BODY,
                          event_id=event_id, kind="dossier.received")
    assert len(mail.outbox) == 1


def test_email_carries_stored_attachments(commit):
    stored = file_store_generated(name="giay-tiep-nhan.pdf", content=b"%PDF-1.7\n% test\n")
    with commit():
        notification_send(channel="email", recipient="tuyet@example.vn", subject="S", body=BODY,
                          attachments=[("H44.12-260105-0001-giay-tiep-nhan.pdf", stored)])
    [(name, content, content_type)] = mail.outbox[0].attachments
    assert (name, content, content_type) == ("H44.12-260105-0001-giay-tiep-nhan.pdf", b"%PDF-1.7\n% test\n",
                                             "application/pdf")


def test_sms_goes_out_unaccented_unless_the_gateway_takes_unicode(commit, sms_outbox, settings):
    """Brandname gateways bill per 160 unaccented characters: folding is the default (TINHSO_SMS_ASCII);
    the provider's own ``ascii_only`` option wins over the setting."""
    with commit():
        notification_send(channel="sms", recipient="+84 912 345 678", body="Đã tiếp nhận hồ sơ của Nguyễn Thị Ánh Tuyết")
    assert [(s.phone, s.text) for s in sms_outbox] == [("0912345678", "Da tiep nhan ho so cua Nguyen Thi Anh Tuyet")]

    settings.TINHSO_SMS_ASCII = False
    with commit():
        notification_send(channel="sms", recipient="0912345678", body=BODY)
    assert sms_outbox[-1].text == BODY

    settings.TINHSO_SMS_OPTIONS = {"ascii_only": True}
    with commit():
        notification_send(channel="sms", recipient="0912345678", body=BODY)
    assert sms_outbox[-1].text == ascii_fold(BODY)


def test_sms_fit_takes_the_most_detailed_text_that_is_one_segment(settings, caplog):
    long = "Hồ sơ H44.12-260105-0001 không được tiếp nhận. Lý do: " + "giấy tờ chưa hợp lệ, " * 6
    short = "Hồ sơ H44.12-260105-0001 không được tiếp nhận. Lý do ghi trong Phiếu từ chối."
    assert sms_fit(["", long, short]) == short
    assert sms_fit([short, long]) == short
    assert sms_fit([long, long + "x"]) == long and "segments even in its shortest form" in caplog.text


def test_sms_fit_with_diacritics_keeps_the_detail_that_fits_the_segment_budget(settings, caplog):
    """A Unicode gateway: one 70-character segment holds no dossier text, so by default three (201
    characters) are allowed and the reason stays; ``TINHSO_SMS_MAX_SEGMENTS`` sets the budget."""
    reason = "Hồ sơ H44.12-260105-0001 không được tiếp nhận. Lý do: bản sao giấy khai sinh không có chứng thực."
    brief = "Hồ sơ H44.12-260105-0001 không được tiếp nhận. Lý do ghi trong Phiếu từ chối."
    too_long = reason + " Tra cứu: https://dichvucong.phutho.gov.vn/tra-cuu/?ma=H44.12-260105-0001" * 2
    settings.TINHSO_SMS_ASCII = False
    assert sms_max_segments() == 3 and sms_segments(reason) == 2
    assert sms_fit([too_long, reason, brief]) == reason and not caplog.text
    settings.TINHSO_SMS_MAX_SEGMENTS = 1  # the fewest segments, and a warning that nothing fits
    assert sms_fit([reason, brief]) == brief and "even in its shortest form" in caplog.text
    settings.TINHSO_SMS_ASCII = True
    settings.TINHSO_SMS_MAX_SEGMENTS = 0
    assert sms_max_segments() == 1
    settings.TINHSO_SMS_MAX_SEGMENTS = 2  # the setting applies unaccented too
    assert sms_fit([too_long + " x" * 80, reason + " x" * 60, brief]) == reason + " x" * 60


def test_failed_sending_is_retried_with_back_off(commit, sms_outbox, settings):
    settings.TINHSO_SMS_PROVIDER = f"{__name__}.FlakyGateway"
    FlakyGateway.down = True
    with commit():
        row = notification_send(channel="sms", recipient="0912345678", body=BODY)
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 1
    assert "gateway timeout" in row.error
    assert row.next_attempt_at > timezone.now() + timedelta(seconds=25)
    assert notifications_deliver_due() == 0  # not yet due

    FlakyGateway.down = False
    assert notifications_deliver_due(now=timezone.now() + timedelta(minutes=1)) == 1
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and row.error == ""
    assert [s.text for s in sms_outbox] == [ascii_fold(BODY)]
    assert notifications_deliver_due(now=timezone.now() + timedelta(hours=1)) == 0  # sent once


def test_a_failing_row_stops_after_the_maximum_attempts(commit, settings):
    settings.TINHSO_SMS_PROVIDER = f"{__name__}.FlakyGateway"
    settings.TINHSO_NOTIFY_MAX_ATTEMPTS = 2
    FlakyGateway.down = True
    with commit():
        row = notification_send(channel="sms", recipient="0912345678", body=BODY)
    notifications_deliver_due(now=timezone.now() + timedelta(hours=1))
    row.refresh_from_db()
    assert row.status == "failed" and row.attempts == 2 and row.next_attempt_at is None
    assert notifications_deliver_due(now=timezone.now() + timedelta(days=1)) == 0


def test_resend_sends_again_and_is_audited(commit, django_user_model):
    admin = django_user_model.objects.create(username="quantri", is_staff=True, is_superuser=True)
    with commit():
        row = notification_send(channel="email", recipient="tuyet@example.vn", subject="S", body=BODY)
    with commit():
        assert notification_resend(actor=admin, notification_ids=[row.pk]) == 1
    assert len(mail.outbox) == 2
    from tinhso.core.models import AuditEntry

    assert AuditEntry.objects.filter(action="notification.resend").exists()


def test_in_app_notifications_are_listed_for_their_user_only(citizen, django_user_model):
    other = django_user_model.objects.create(username="khac", kind="citizen")
    row = notification_send(channel="in_app", user=citizen, subject="Hồ sơ đã được tiếp nhận", body=BODY)
    assert row.status == "sent" and row.recipient == f"user:{citizen.pk}"

    assert list(notifications_for(user=citizen)) == [row]
    assert list(notifications_for(user=other)) == []
    assert notifications_unread_count(user=citizen) == 1
    with pytest.raises(NotFound):
        notification_mark_read(user=other, notification_id=row.pk)
    notification_mark_read(user=citizen, notification_id=row.pk)
    assert notifications_unread_count(user=citizen) == 0


@pytest.mark.parametrize(("channel", "recipient", "code"), [
    ("email", "khong-phai-email", "invalid_email"),
    ("sms", "12345", "invalid_phone"),
    ("in_app", "", "recipient_required"),
    ("fax", "0912345678", "invalid_channel"),
])
def test_bad_recipients_are_refused(channel, recipient, code):
    with pytest.raises(ValidationFailed) as error:
        notification_send(channel=channel, recipient=recipient, body=BODY)
    assert error.value.code == code


def test_sms_helpers():
    assert ascii_fold("Đăng ký khai sinh – Ủy ban") == "Dang ky khai sinh - Uy ban"
    # Typographic punctuation and odd spaces would make the whole text UCS-2 (70 characters).
    assert ascii_fold("Giấy tờ “không hợp lệ” – thiếu chữ ký…") == 'Giay to "khong hop le" - thieu chu ky...'
    assert ascii_fold("‘Mẫu 01’ — số\u00a0hồ\u202fsơ\u2009 «A»\tB\u200b") == "'Mau 01' - so ho so  \"A\" B"
    assert ascii_fold("ＡＢＣ ﬁ №5 ½ 😀 `x`\nØ") == "ABC fi No5 1/2 ? 'x'\n?"
    text = ascii_fold("".join(chr(code) for code in range(0x20, 0x3000)))
    assert text.isascii() and set(text) <= sms._GSM7 | sms._GSM7_EXTENDED  # always GSM-7
    assert sms_segments("a" * 160) == 1 and sms_segments("a" * 161) == 2
    assert sms_segments("ồ" * 70) == 1 and sms_segments("ồ" * 71) == 2  # UCS-2: 70 per SMS, 67 per part
    assert sms_segments("ồ" * 134) == 2 and sms_segments("ồ" * 135) == 3
