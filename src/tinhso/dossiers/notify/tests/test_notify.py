"""The applicant hears about their dossier: e-mail (with the issued form as PDF for online dossiers),
SMS, in-app — once per event, however often the event is delivered."""

from __future__ import annotations

import io
from datetime import datetime

import pypdf
import pytest
from django.core import mail
from django.utils import timezone

from tinhso.core.events import outbox_deliver
from tinhso.core.models import EventDelivery
from tinhso.core.testing import captured_events
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.notify import applicant_notify
from tinhso.dossiers.services import (
    dossier_assign,
    dossier_deny,
    dossier_forward,
    dossier_refuse,
    dossier_request_supplement,
    dossier_return_result,
)
from tinhso.dossiers.tests import factories as f
from tinhso.notifications.models import Notification

pytestmark = pytest.mark.django_db

# The tests move ``timezone.now`` to January 2026 (``clock``) while outbox rows take their due time
# from the real clock; deliver as a sweep far in the future would.
FUTURE = timezone.make_aware(datetime(2100, 1, 1))


def deliver():
    """Run every due event delivery, then the notification tasks they queued (as commits would)."""
    with captured_events():
        outbox_deliver(now=FUTURE)

TUYET = "Nguyễn Thị Ánh Tuyết"


def tuyet(**overrides):
    return ApplicantInput.from_mapping(f.applicant(full_name=TUYET, email="tuyet@example.vn", **overrides))


def test_received_online_dossier_gets_email_with_receipt_sms_and_in_app(world, submit, clock, sms_outbox):
    from tinhso.dossiers.services import dossier_receive

    clock.set(2026, 1, 5, 8, 30)
    dossier = submit(applicant=tuyet())
    with captured_events(deliver=False) as events:
        dossier_receive(actor=world.reception, dossier=dossier)
    deliver()

    [email] = mail.outbox
    assert email.to == ["tuyet@example.vn"]
    assert email.subject == f"Hồ sơ {dossier.code} đã được tiếp nhận"
    for expected in [f"Kính gửi {TUYET}", "Thủ tục: Cấp bản sao trích lục hộ tịch",
                     "Thời gian hẹn trả kết quả: 12/01/2026 08:30", "được gửi kèm thư này (tệp PDF)",
                     f"https://dichvucong.phutho.gov.vn/tra-cuu/?ma={dossier.code}", "điện thoại 02103846000"]:
        assert expected in email.body, expected
    [(name, content, content_type)] = email.attachments
    assert name == f"{dossier.code}-giay-tiep-nhan.pdf" and content_type == "application/pdf"
    text = " ".join(pypdf.PdfReader(io.BytesIO(content)).pages[0].extract_text().split())
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and dossier.code in text
    [sms] = sms_outbox
    assert sms.phone == f.CITIZEN_PHONE
    assert sms.text.startswith(f"Hồ sơ {dossier.code} (Cấp bản sao trích lục hộ tịch) đã được tiếp nhận, hẹn trả "
                               "kết quả 12/01/2026 08:30.")
    in_app = Notification.objects.get(channel="in_app")
    assert in_app.user == world.citizen and in_app.subject == email.subject

    # The same event delivered again (a retry after a crash): nothing is sent twice.
    event = events.one("dossier.received")
    with captured_events():
        applicant_notify(event=event)
    EventDelivery.objects.filter(event=event).update(status=EventDelivery.Status.PENDING)
    deliver()
    assert len(mail.outbox) == 1 and len(sms_outbox) == 1
    assert Notification.objects.filter(event_id=str(event.id)).count() == 3


def test_supplement_request_tells_what_is_missing(world, submit, clock, sms_outbox):
    clock.set(2026, 1, 5, 9, 0)
    dossier = submit(applicant=tuyet())
    with captured_events(deliver=False):
        dossier_request_supplement(actor=world.reception, dossier=dossier, reason="Hồ sơ chưa đầy đủ, hợp lệ.",
                                   items=[{"required_document": "cccd", "reason": "Ảnh chụp mờ"}])
    deliver()

    [email] = mail.outbox
    assert email.subject == f"Hồ sơ {dossier.code} cần bổ sung, hoàn thiện"
    assert "1. Căn cước công dân: Ảnh chụp mờ" in email.body and "Lý do: Hồ sơ chưa đầy đủ, hợp lệ." in email.body
    assert email.attachments[0][0] == f"{dossier.code}-phieu-yeu-cau-bo-sung.pdf"
    assert sms_outbox[-1].text.startswith(f"Hồ sơ {dossier.code} cần bổ sung: Căn cước công dân.")


def test_refusal_gives_the_reason(world, submit, clock, sms_outbox):
    clock.set(2026, 1, 5, 9, 0)
    dossier = submit(applicant=tuyet())
    with captured_events(deliver=False):
        dossier_refuse(actor=world.reception, dossier=dossier, reason="Không thuộc thẩm quyền của phường.")
    deliver()

    assert "Không thuộc thẩm quyền của phường." in mail.outbox[0].body
    assert mail.outbox[0].attachments[0][0] == f"{dossier.code}-phieu-tu-choi.pdf"
    assert sms_outbox[-1].text == f"Hồ sơ {dossier.code} không được tiếp nhận. Lý do: Không thuộc thẩm quyền của phường."


def test_counter_dossier_gets_no_attachment_the_paper_was_handed_over(world, clock, sms_outbox):
    from tinhso.dossiers.services import dossier_create

    clock.set(2026, 1, 5, 9, 0)
    with captured_events(deliver=False):
        dossier = dossier_create(actor=world.reception, procedure_code=world.proc.code, channel="counter",
                                 applicant=tuyet(), documents=world.documents(world.reception))
    deliver()
    [email] = mail.outbox
    assert email.attachments == [] and "gửi kèm" not in email.body
    assert len(sms_outbox) == 1
    assert not Notification.objects.filter(channel="in_app").exists()  # no account behind a counter dossier
    assert dossier.owner is None


def test_result_and_return_are_announced(world, received, clock, sms_outbox):
    clock.set(2026, 1, 5, 8, 30)
    dossier = received(applicant=tuyet())
    dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.specialist)
    dossier_forward(actor=world.specialist, dossier=dossier)
    with captured_events(deliver=False):
        dossier_deny(actor=world.leader, dossier=dossier, reason="Không đủ điều kiện cấp bản sao.")
        dossier_return_result(actor=world.reception, dossier=dossier, method="counter")
    EventDelivery.objects.exclude(event__name__in=["dossier.resolved", "dossier.returned"]).delete()
    deliver()

    resolved, returned = mail.outbox
    assert resolved.subject == f"Hồ sơ {dossier.code} đã có kết quả"
    assert "cơ quan giải quyết đã có văn bản trả lời Ông/Bà" in resolved.body
    assert "Mời Ông/Bà đến Trung tâm Phục vụ hành chính công phường Việt Trì" in resolved.body
    assert resolved.attachments == []
    assert returned.subject == f"Hồ sơ {dossier.code} đã trả kết quả"
    assert "hình thức: Tại Bộ phận Một cửa" in returned.body
    resolved_sms, returned_sms = sms_outbox
    assert resolved_sms.text == (f"Hồ sơ {dossier.code} đã có kết quả. Mời Ông/Bà đến Trung tâm Phục vụ hành chính công "
                                 "phường Việt Trì nhận kết quả.")
    assert returned_sms.text.startswith(f"Hồ sơ {dossier.code} đã trả kết quả (Tại Bộ phận Một cửa).")


def test_payment_request_tells_the_amount_and_where_to_pay(world, clock, submit, sms_outbox):
    """Status 6 waits for the applicant: without a message the dossier would wait for nothing."""
    from tinhso.dossiers.services import dossier_receive, dossier_request_payment

    f.procedure(code="1.000010", receiving=[world.centre], fees=[{"name": "Lệ phí cấp giấy phép", "amount": "1250000"}])
    clock.set(2026, 3, 9, 9, 0)
    dossier = dossier_receive(actor=world.reception, dossier=submit(procedure_code="1.000010", applicant=tuyet()))
    dossier = dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.specialist)
    deliver()
    mail.outbox.clear()
    sms_outbox.clear()
    dossier_request_payment(actor=world.specialist, dossier=dossier)
    deliver()

    [email] = mail.outbox
    assert email.subject == f"Hồ sơ {dossier.code}: đề nghị nộp phí, lệ phí 1.250.000 đ"
    assert "- Lệ phí cấp giấy phép: 1.250.000 đ" in email.body
    assert "không tính vào thời hạn giải quyết" in email.body and world.centre.name in email.body
    assert sms_outbox[-1].text.startswith(f"Hồ sơ {dossier.code} cần nộp phí, lệ phí 1.250.000 đ tại ")
    assert Notification.objects.filter(kind="dossier.payment_requested", channel="in_app").count() == 1


def test_withdrawal_is_confirmed_to_the_applicant(world, received, clock, sms_outbox):
    from tinhso.dossiers.services import dossier_withdraw

    clock.set(2026, 1, 5, 8, 30)
    dossier = received(applicant=tuyet())
    deliver()
    mail.outbox.clear()
    clock.set(2026, 1, 6, 10, 15)
    dossier_withdraw(actor=world.citizen, dossier=dossier, reason="Không còn nhu cầu.")
    deliver()

    [email] = mail.outbox
    assert email.subject == f"Hồ sơ {dossier.code} đã được rút"
    assert "đã được rút lúc 06/01/2026 10:15" in email.body and "Lý do rút hồ sơ: Không còn nhu cầu." in email.body
    assert sms_outbox[-1].text.startswith(f"Hồ sơ {dossier.code} đã được rút theo yêu cầu của Ông/Bà")
