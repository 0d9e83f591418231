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
        dossier = dossier_receive(actor=world.reception, dossier=dossier)  # its code comes now
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
    # Unaccented by default (TINHSO_SMS_ASCII), one segment, the tracking link for details.
    assert sms.text == (f"Ho so {dossier.code} da duoc tiep nhan, hen tra ket qua 12/01/2026 08:30. "
                        f"Tra cuu: https://dichvucong.phutho.gov.vn/tra-cuu/?ma={dossier.code}")
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
    assert sms_outbox[-1].text.startswith(f"Ho so {dossier.code} can bo sung 1 noi dung theo Phieu yeu cau bo sung. "
                                          "Chi tiet: https://")
    assert "Can cuoc" not in sms_outbox[-1].text  # the papers are listed in the e-mail and the form


def test_refusal_gives_the_reason(world, submit, clock, sms_outbox):
    clock.set(2026, 1, 5, 9, 0)
    dossier = submit(applicant=tuyet())
    with captured_events(deliver=False):
        dossier_refuse(actor=world.reception, dossier=dossier, reason="Không thuộc thẩm quyền của phường.")
    deliver()

    assert "Không thuộc thẩm quyền của phường." in mail.outbox[0].body
    assert mail.outbox[0].attachments[0][0] == f"{dossier.code}-phieu-tu-choi.pdf"
    assert sms_outbox[-1].text.startswith(f"Ho so {dossier.code} khong duoc tiep nhan. "
                                          "Ly do: Khong thuoc tham quyen cua phuong. Tra cuu: ")


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
    assert resolved_sms.text == (f"Ho so {dossier.code} da co ket qua. Moi Ong/Ba den Trung tam Phuc vu hanh chinh cong "
                                 "phuong Viet Tri nhan ket qua.")
    assert returned_sms.text.startswith(f"Ho so {dossier.code} da tra ket qua (Tai Bo phan Mot cua).")


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
    assert sms_outbox[-1].text.startswith(f"Ho so {dossier.code} can nop phi, le phi 1.250.000 d")
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
    assert sms_outbox[-1].text.startswith(f"Ho so {dossier.code} da duoc rut theo yeu cau cua Ong/Ba")


LONG_PROCEDURE = ("Đăng ký biến động quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất trong "
                  "các trường hợp chuyển đổi, chuyển nhượng, thừa kế, tặng cho, góp vốn")
LONG_AGENCY = "Bộ phận Tiếp nhận và Trả kết quả Ủy ban nhân dân phường Nông Trang, tỉnh Phú Thọ"
LONG_CODE = "000.31.25.H44-261231-12345"  # a QCVN 102 agency code, a five-digit sequence
LONG_REASON = ("Thành phần hồ sơ chưa đầy đủ theo quy định tại Nghị định số 101/2024/NĐ-CP; bản sao giấy chứng "
               "nhận không có chứng thực; chữ ký của người đại diện theo pháp luật không khớp với mẫu đã đăng ký.")


# A real portal address long enough that no text with the link fits one segment (apology, payment).
LONG_URL = "https://dichvucongtructuyen.tinh-phu-tho.gov.vn/cong-dich-vu-cong"


@pytest.mark.parametrize("ascii_only", [True, False], ids=["unaccented", "unicode"])
@pytest.mark.parametrize("public_url", ["https://dichvucong.phutho.gov.vn",
                                        "https://dichvucong.thanhphohochiminh.gov.vn/cong-dvc", LONG_URL])
def test_every_sms_fits_one_unaccented_segment_with_long_names_and_codes(world, submit, received, clock,
                                                                          sms_outbox, settings, public_url,
                                                                          ascii_only):
    """Brandname gateways bill per 160 unaccented characters: each message to the applicant is one SMS,
    however long the procedure, agency, code, reason, list of missing papers or portal address; the
    e-mail has it all. With a Unicode gateway each fits the default budget of three segments."""
    import uuid
    from types import SimpleNamespace

    from tinhso.dossiers.models import Dossier, DossierPayment
    from tinhso.dossiers.notify import EVENTS
    from tinhso.notifications.sms import ascii_fold, sms_segments
    from tinhso.org.models import Agency

    settings.PUBLIC_URL = public_url
    settings.TINHSO_SMS_ASCII = ascii_only
    clock.set(2026, 12, 31, 16, 45)
    dossier = received(applicant=tuyet())
    Agency.objects.filter(pk=world.centre.pk).update(name=LONG_AGENCY)
    dossier.procedure_version.__class__.objects.filter(pk=dossier.procedure_version_id).update(name=LONG_PROCEDURE)
    Dossier.objects.filter(pk=dossier.pk).update(code=LONG_CODE.replace("12345", "12344"))
    payment = DossierPayment.objects.create(dossier=dossier, amount=125_750_000, requested_at=timezone.now(),
                                            items=[{"name": "Lệ phí cấp giấy chứng nhận", "amount": 125_750_000}])
    items = [{"name": f"Bản sao có chứng thực giấy chứng nhận quyền sử dụng đất số {i}", "reason": "bản mờ"}
             for i in range(1, 16)]
    moment = "2026-12-31T16:45:00+07:00"
    payload = {"dossier_id": dossier.pk, "reason": LONG_REASON, "items": items, "due_at": moment,
               "received_at": moment, "old_due_at": moment, "new_due_at": "2027-01-15T16:30:00+07:00",
               "payment_id": payment.pk, "method": "counter", "returned_at": moment, "closed_at": moment}
    # The supplement request for real: its 15 items are on the issued form (Mẫu 02), not in the event.
    pending = submit(applicant=tuyet())
    Dossier.objects.filter(pk=pending.pk).update(code=LONG_CODE)
    with captured_events(deliver=False) as events:
        dossier_request_supplement(actor=world.reception, dossier=pending, reason=LONG_REASON, items=items)
    mail.outbox.clear()
    sms_outbox.clear()
    for name in EVENTS:
        with captured_events(deliver=False):
            if name == "dossier.supplement_requested":
                applicant_notify(event=events.one(name))
            else:
                applicant_notify(event=SimpleNamespace(id=uuid.uuid4(), name=name, payload=payload))
    texts = {row.kind: row.body for row in Notification.objects.filter(channel="sms", kind__in=list(EVENTS))
             .order_by("id") if "000.31.25.H44-261231-1234" in row.body}
    assert set(texts) == set(EVENTS)
    for kind, text in texts.items():
        if ascii_only:
            sent = ascii_fold(text)
            assert len(sent) <= 160 and sms_segments(sent) == 1, (kind, len(sent), sent)
            assert sent.isascii(), (kind, sent)
        else:
            assert sms_segments(text) <= 3, (kind, sms_segments(text), text)
        assert "000.31.25.H44-261231-1234" in text
    # Details stay where they fit; the list of missing papers never goes into an SMS.
    assert "can bo sung 15 noi dung" in ascii_fold(texts["dossier.supplement_requested"])
    assert "Ban sao" not in ascii_fold(texts["dossier.supplement_requested"])
    assert "31/12/2026 16:45" in texts["dossier.received"] and "15/01/2027 16:30" in texts["dossier.apology_issued"]
    assert "125.750.000" in texts["dossier.payment_requested"]
    for kind in ("dossier.received", "dossier.supplement_requested", "dossier.refused", "dossier.stopped",
                 "dossier.apology_issued", "dossier.payment_requested"):
        # The link where it fits, else where to look it up.
        if public_url != LONG_URL or not ascii_only:
            assert "/tra-cuu" in texts[kind], kind
        else:
            assert "/tra-cuu" in texts[kind] or "Cổng DVC" in texts[kind], kind
    # The result: where to collect it, by name or, when that is too long, by link or phone.
    assert LONG_AGENCY in texts["dossier.resolved"] or "/tra-cuu" in texts["dossier.resolved"]
    # The e-mails keep every detail.
    supplement_mail = Notification.objects.get(channel="email", kind="dossier.supplement_requested",
                                               subject__contains="000.31.25.H44")
    assert "15. Bản sao có chứng thực giấy chứng nhận quyền sử dụng đất số 15: bản mờ" in supplement_mail.body
    assert LONG_REASON in supplement_mail.body


def test_sms_keeps_its_marks_when_the_gateway_takes_unicode(world, received, clock, sms_outbox, settings):
    settings.TINHSO_SMS_ASCII = False
    clock.set(2026, 1, 5, 8, 30)
    dossier = received(applicant=tuyet())
    deliver()
    assert sms_outbox[-1].text.startswith(f"Hồ sơ {dossier.code} đã được tiếp nhận, hẹn trả kết quả ")


def test_typographic_punctuation_in_a_reason_keeps_it_in_the_sms(world, submit, clock, sms_outbox):
    """Curly quotes, a dash and an ellipsis typed by a word processor must not turn the SMS into UCS-2
    (70 characters), which would leave only the brief text without the reason."""
    clock.set(2026, 1, 5, 9, 0)
    dossier = submit(applicant=tuyet())
    with captured_events(deliver=False):
        dossier_refuse(actor=world.reception, dossier=dossier,
                       reason="Giấy tờ “không hợp lệ” – thiếu chữ ký…\u00a0người đại diện")
    deliver()

    assert sms_outbox[-1].text.startswith(f"Ho so {dossier.code} khong duoc tiep nhan. Ly do: Giay to "
                                          '"khong hop le" - thieu chu ky... nguoi dai dien. Tra cuu: ')
    assert sms_outbox[-1].text.isascii()


LONGEST_AGENCY = ("Bộ phận Tiếp nhận và Trả kết quả giải quyết thủ tục hành chính Ủy ban nhân dân xã Hương Cần, "
                  "tỉnh Phú Thọ")


@pytest.mark.parametrize("phone", ["02103846000", ""])
@pytest.mark.parametrize("public_url", ["http://127.0.0.1:8000", LONG_URL])
def test_result_sms_says_where_to_collect_even_with_a_long_agency_name(world, received, clock, sms_outbox,
                                                                        settings, phone, public_url):
    """The agency's name does not fit next to the code: the SMS keeps the code and a way to find the
    desk (its phone, the tracking link or the portal), never just "the one-stop desk"."""
    import uuid
    from types import SimpleNamespace

    from tinhso.notifications.sms import ascii_fold, sms_segments
    from tinhso.org.models import Agency

    settings.PUBLIC_URL = public_url
    clock.set(2026, 1, 5, 8, 30)
    dossier = received(applicant=tuyet())
    Agency.objects.filter(pk=world.centre.pk).update(name=LONGEST_AGENCY, phone=phone)
    assert len(LONGEST_AGENCY) >= 100
    sms_outbox.clear()
    with captured_events(deliver=False):
        applicant_notify(event=SimpleNamespace(id=uuid.uuid4(), name="dossier.resolved",
                                               payload={"dossier_id": dossier.pk}))

    text = ascii_fold(Notification.objects.get(channel="sms", kind="dossier.resolved").body)
    assert sms_segments(text) == 1, text
    assert text.startswith(f"Ho so {dossier.code} da co ket qua. Moi Ong/Ba den Bo phan Mot cua")
    if phone:
        assert "(DT 02103846000)" in text
    assert "nhan ket qua. Tra cuu: " in text and "/tra-cuu" in text or (
        public_url == LONG_URL and text.endswith("nhan ket qua. Tra cuu tai Cong DVC.")), text


def test_unicode_gateway_keeps_the_reason_within_the_segment_budget(world, submit, clock, sms_outbox, settings):
    """Nothing fits one 70-character UCS-2 segment: with diacritics the most detailed text within
    ``TINHSO_SMS_MAX_SEGMENTS`` (default 3) goes out, not always the briefest."""
    from tinhso.notifications.sms import sms_segments

    settings.TINHSO_SMS_ASCII = False
    clock.set(2026, 1, 5, 9, 0)
    first, second = submit(applicant=tuyet()), submit(applicant=tuyet())
    with captured_events(deliver=False):
        dossier_refuse(actor=world.reception, dossier=first, reason="Không thuộc thẩm quyền của phường.")
    deliver()
    assert sms_outbox[-1].text.startswith(f"Hồ sơ {first.code} không được tiếp nhận. "
                                          "Lý do: Không thuộc thẩm quyền của phường. Tra cứu: ")
    assert sms_segments(sms_outbox[-1].text) <= 3

    settings.TINHSO_SMS_MAX_SEGMENTS = 1  # a province that pays per segment: the fewest segments
    with captured_events(deliver=False):
        dossier_refuse(actor=world.reception, dossier=second, reason="Không thuộc thẩm quyền của phường.")
    deliver()
    assert sms_outbox[-1].text.startswith(f"Hồ sơ {second.code} không được tiếp nhận. Lý do ghi trong Phiếu từ chối")
