"""The printed forms: what the applicant reads on them, paper size, the 2018/2025 form sets, reprints.

PDF rendering costs ~0.4 s; each test renders few PDFs and asserts everything about them at once,
and content checks that need no PDF use the HTML of the same template.
"""

from __future__ import annotations

import io
from datetime import datetime, timedelta
from decimal import Decimal

import pypdf
import pytest
from django.utils import timezone

from tinhso.core.errors import NotFound
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.models import Dossier, FormIssue
from tinhso.dossiers.printing import render_form, render_form_html
from tinhso.dossiers.printing.context import duration_words, time_words
from tinhso.dossiers.services import (
    dossier_assign,
    dossier_issue_apology,
    dossier_refuse,
    dossier_request_supplement,
    dossier_stop,
)
from tinhso.dossiers.tests import factories as f
from tinhso.dossiers.tracking import tracking_url
from tinhso.org.models import AdministrativeUnit

from .conftest import APPLICANT, pdf_page_size, pdf_text

pytestmark = pytest.mark.django_db

A5 = (419.53, 595.28)  # 148 × 210 mm in points


def is_a5(pdf: bytes) -> bool:
    width, height = pdf_page_size(pdf)
    return abs(width - A5[0]) < 1 and abs(height - A5[1]) < 1


@pytest.fixture
def tuyet(applicant):
    return ApplicantInput.from_mapping(applicant)


@pytest.fixture
def located(world):
    """The centre sits in Phường Việt Trì: forms print it as the place name (địa danh)."""
    unit = AdministrativeUnit.objects.create(code="07900", name="Phường Việt Trì", short_name="Việt Trì", kind="ward")
    world.centre.administrative_unit = unit
    world.centre.short_name = "TTPVHCC"
    world.centre.save()
    return world


def test_receipt_prints_the_applicant_the_appointment_and_the_fee(located, received, clock, tuyet):
    world = located
    fees = f.procedure(code="1.000002", receiving=[world.centre], name="Chứng thực bản sao từ bản chính",
                       fees=[{"name": "Lệ phí chứng thực", "amount": "1250000"}])
    clock.set(2026, 1, 5, 8, 30)  # Monday
    dossier = received(applicant=tuyet, procedure_code=fees.code)

    pdf = render_form(dossier=dossier, kind="receipt")

    text = pdf_text(pdf)
    for expected in [
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        f"Mã hồ sơ: {dossier.code}",
        "Việt Trì, ngày 05 tháng 01 năm 2026",
        "Số: 01/TTPVHCC",
        f"tiếp nhận hồ sơ của: {APPLICANT}",
        "Nội dung yêu cầu giải quyết: Chứng thực bản sao từ bản chính",
        "Tờ khai cấp bản sao trích lục Bản chính 1",
        "2. Số lượng hồ sơ: 01 (bộ)",
        "3. Thời gian giải quyết hồ sơ theo quy định là: 05 ngày làm việc",
        "4. Thời gian nhận hồ sơ: 08 giờ 30 phút, ngày 05 tháng 01 năm 2026",
        "5. Thời gian trả kết quả giải quyết hồ sơ: 08 giờ 30 phút, ngày 12 tháng 01 năm 2026",
        "Phí, lệ phí (nếu có): Lệ phí chứng thực: 1.250.000 đ",
        "Vào Sổ theo dõi hồ sơ, Quyển số: 2026, Số thứ tự: 1",
        "NGƯỜI NỘP HỒ SƠ", "NGƯỜI TIẾP NHẬN HỒ SƠ", "Trần Thị Tiếp Nhận",
        "Tra cứu hồ sơ",
    ]:
        assert expected in text, expected
    assert is_a5(pdf)
    assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1


def test_a_reprint_is_the_stored_issued_copy(world, received, clock, tuyet, monkeypatch):
    clock.set(2026, 1, 5, 8, 30)
    dossier = received(applicant=tuyet)
    first = render_form(dossier=dossier, kind="receipt")
    form = FormIssue.objects.get(dossier=dossier, kind=FormIssue.Kind.RECEIPT)
    assert form.pdf is not None and form.pdf.content_type == "application/pdf"

    # The dossier changes afterwards; the reprint neither re-renders nor shows the change.
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name="Tên Đã Sửa")
    monkeypatch.setattr("tinhso.core.pdf.render_pdf", lambda **kwargs: pytest.fail("re-rendered"))
    assert render_form(dossier=dossier, kind="receipt") == first


def test_html_of_a_form_is_the_snapshot_with_its_qr_link(world, received, clock, tuyet):
    clock.set(2026, 1, 5, 8, 30)
    dossier = received(applicant=tuyet)
    Dossier.objects.filter(pk=dossier.pk).update(applicant_name="Tên Đã Sửa")

    html = render_form_html(dossier=Dossier.objects.get(pk=dossier.pk), kind="receipt")

    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in html
    assert APPLICANT in html and "Tên Đã Sửa" not in html  # printed from the issue's snapshot
    assert 'src="data:image/svg+xml' in html and 'alt="Mã QR tra cứu"' in html


def test_supplement_request_lists_what_is_missing_and_why(world, submit, clock, tuyet):
    clock.set(2026, 1, 5, 9, 0)
    dossier = submit(applicant=tuyet)
    dossier_request_supplement(
        actor=world.reception, dossier=dossier, reason="Hồ sơ chưa đầy đủ, hợp lệ.",
        items=[{"required_document": "cccd", "reason": "Ảnh chụp mờ, không đọc được số định danh"},
               {"name": "Giấy khai sinh bản sao"}],
    )

    pdf = render_form(dossier=dossier, kind="supplement-request")

    text = pdf_text(pdf)
    for expected in [
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", f"Mã hồ sơ: {dossier.code}", APPLICANT,
        "1. Căn cước công dân: Ảnh chụp mờ, không đọc được số định danh", "2. Giấy khai sinh bản sao",
        "Lý do: Hồ sơ chưa đầy đủ, hợp lệ.", "số điện thoại 02103846000", "NGƯỜI HƯỚNG DẪN",
        "Trần Thị Tiếp Nhận", "Ngày 05 tháng 01 năm 2026",
    ]:
        assert expected in text, expected
    assert is_a5(pdf)


def test_refusal_prints_the_written_reason(world, submit, clock, tuyet):
    clock.set(2026, 1, 5, 9, 0)
    dossier = submit(applicant=tuyet)
    dossier_refuse(actor=world.reception, dossier=dossier,
                   reason="Thủ tục không thuộc thẩm quyền giải quyết của phường; đề nghị nộp tại Sở Tư pháp.")

    pdf = render_form(dossier=dossier, kind="refusal")

    text = pdf_text(pdf)
    for expected in [
        "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", dossier.code, APPLICANT,
        "thông báo không tiếp nhận, giải quyết hồ sơ này với lý do cụ thể như sau:",
        "Thủ tục không thuộc thẩm quyền giải quyết của phường; đề nghị nộp tại Sở Tư pháp.",
        "NGƯỜI TIẾP NHẬN HỒ SƠ", "Ngày 05 tháng 01 năm 2026",  # no place recorded for the agency
    ]:
        assert expected in text, expected
    assert is_a5(pdf)


def test_apology_title_follows_the_regulation_the_dossier_was_received_under(world, received, clock, tuyet):
    clock.set(2025, 3, 14, 9, 0)  # NĐ 61/2018 + TT 01/2018
    old = received(applicant=tuyet)
    clock.advance(hours=1)
    dossier_issue_apology(actor=world.leader, dossier=old, reason="Chờ kết quả xác minh của xã khác.",
                          new_due_at=old.due_at + timedelta(days=7))
    clock.set(2026, 1, 5, 8, 30)  # NĐ 118/2025 + TT 03/2025
    new = received(applicant=tuyet)
    clock.advance(hours=1)
    new_due = timezone.make_aware(datetime(2026, 1, 16, 16, 0))
    dossier_issue_apology(actor=world.leader, dossier=new, reason="Hệ thống cơ sở dữ liệu hộ tịch gián đoạn.",
                          new_due_at=new_due)

    old_text = pdf_text(render_form(dossier=old, kind="apology"))
    new_pdf = render_form(dossier=new, kind="apology")
    new_text = pdf_text(new_pdf)

    assert old.regulation.form_set == "tt01_2018" and new.regulation.form_set == "tt03_2025"
    assert "PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ" in old_text
    assert "VĂN BẢN XIN LỖI" not in old_text
    assert "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT" in new_text
    assert "PHIẾU XIN LỖI" not in new_text
    for expected in [new.code, APPLICANT, "Lý do: Hệ thống cơ sở dữ liệu hộ tịch gián đoạn.",
                     "08 giờ 30 phút, ngày 12 tháng 01 năm 2026",  # the appointment that is missed
                     "16 giờ 00 phút, ngày 16 tháng 01 năm 2026",  # the new one
                     "THỦ TRƯỞNG CƠ QUAN, ĐƠN VỊ", "Hoàng Văn Lãnh"]:
        assert expected in new_text, expected
    assert is_a5(new_pdf)


def test_stop_notice_is_mau_05_in_2025_and_a_plain_notice_before(world, received, clock, tuyet):
    clock.set(2025, 3, 14, 9, 0)
    old = received(applicant=tuyet)
    clock.set(2026, 1, 5, 8, 30)
    new = received(applicant=tuyet)
    clock.advance(hours=2)
    for dossier in (old, new):
        dossier_stop(actor=world.leader, dossier=dossier, reason="Người nộp đề nghị dừng giải quyết hồ sơ.")

    old_html = render_form_html(dossier=old, kind="stop")
    new_pdf = render_form(dossier=new, kind="stop")
    new_text = pdf_text(new_pdf)

    assert "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ" not in old_html
    assert "Về việc dừng giải quyết hồ sơ" in old_html
    for expected in ["THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", new.code, APPLICANT,
                     "Lý do: Người nộp đề nghị dừng giải quyết hồ sơ.",
                     "kể từ 10 giờ 30 phút, ngày 05 tháng 01 năm 2026"]:
        assert expected in new_text, expected
    assert is_a5(new_pdf)


def test_handover_log_has_one_row_per_handover_with_times_and_verdicts(world, received, clock, tuyet):
    clock.set(2026, 1, 5, 8, 30)
    dossier = received(applicant=tuyet)
    clock.advance(hours=1)
    dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.specialist)

    pdf = render_form(dossier=dossier, kind="handover-log")

    text = pdf_text(pdf)
    for expected in [
        "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", f"Mã hồ sơ: {dossier.code}",
        f"(Kèm theo hồ sơ của: {APPLICANT})",
        "Cơ quan (bộ phận) giải quyết hồ sơ: Trung tâm Phục vụ hành chính công phường Việt Trì",
        "TÊN CƠ QUAN", "THỜI GIAN GIAO, NHẬN HỒ SƠ", "KẾT QUẢ GIẢI QUYẾT HỒ SƠ", "GHI CHÚ",
        "1. Giao: Người nộp hồ sơ", "2. Giao: Trung tâm Phục vụ hành chính công phường Việt Trì",
        "Nhận: Trung tâm Phục vụ hành chính công phường Việt Trì",
        "08 giờ 30 phút, ngày 05 tháng 01 năm 2026", "09 giờ 30 phút, ngày 05 tháng 01 năm 2026",
        "Đúng hạn",  # assigned on the day its deadline falls
        "Người nhận: Phạm Thị Chuyên",
        "Thời gian hẹn trả kết quả: 08 giờ 30 phút, ngày 12 tháng 01 năm 2026",
    ]:
        assert expected in text, expected
    # Rows are numbered 1, 2, 3 — one number per handover, not one per giver and taker.
    assert "1. Nhận" not in text and "2. Nhận" not in text
    assert is_a5(pdf)


@pytest.mark.usefixtures("signing_not_required")
def test_handover_log_keeps_the_first_appointment_beside_the_new_one(world, received, clock, tuyet):
    from datetime import datetime

    from tinhso.dossiers.services import dossier_issue_apology

    clock.set(2026, 1, 5, 8, 30)
    dossier = received(applicant=tuyet)
    clock.set(2026, 1, 7, 9, 0)
    dossier_issue_apology(actor=world.leader, dossier=dossier, reason="Chờ xác minh",
                          new_due_at=datetime(2026, 1, 15, 8, 30).astimezone())
    dossier.refresh_from_db()
    text = pdf_text(render_form(dossier=dossier, kind="handover-log"))
    assert ("Thời gian hẹn trả kết quả: 08 giờ 30 phút, ngày 12 tháng 01 năm 2026; hẹn lại (văn bản xin lỗi): "
            "08 giờ 30 phút, ngày 15 tháng 01 năm 2026") in text


def test_forms_that_were_not_issued_are_not_found(world, submit, clock, tuyet):
    clock.set(2026, 1, 5, 8, 30)
    dossier = submit(applicant=tuyet)
    with pytest.raises(NotFound) as missing:
        render_form(dossier=dossier, kind="receipt")
    assert missing.value.code == "form_not_issued"
    with pytest.raises(NotFound) as not_received:
        render_form_html(dossier=dossier, kind="handover_log")
    assert not_received.value.code == "form_not_issued"
    with pytest.raises(NotFound) as unknown:
        render_form(dossier=dossier, kind="mau-99")
    assert unknown.value.code == "form_not_found"


@pytest.mark.parametrize(("value", "unit", "words"), [
    (Decimal("5.00"), "ngày làm việc", "05 ngày làm việc"),
    (Decimal("0.5"), "ngày làm việc", "0,5 ngày làm việc"),
    ("30", "ngày", "30 ngày"),
    (Decimal("4"), "giờ làm việc", "04 giờ làm việc"),
])
def test_processing_time_in_words(value, unit, words):
    assert duration_words(value, unit) == words


def test_times_in_words_are_vietnam_time():
    assert time_words("2026-01-05T01:30:00+00:00") == "08 giờ 30 phút, ngày 05 tháng 01 năm 2026"
    assert time_words("2026-03-09T16:05:00+07:00") == "16 giờ 05 phút, ngày 09 tháng 3 năm 2026"
    assert time_words(None) == ""


def test_tracking_link_of_the_qr_code(settings):
    settings.PUBLIC_URL = "https://dichvucong.phutho.gov.vn"
    assert tracking_url("H44.12-260105-0001") == "https://dichvucong.phutho.gov.vn/tra-cuu/?ma=H44.12-260105-0001"


@pytest.mark.parametrize(("short_name", "notation"), [
    ("TTPVHCC", "TTPVHCC"),
    ("TTPVHCC phường Việt Trì", "TTPVHCC"),
    ("Sở Tài chính", "STC"),
    ("Sở Nông nghiệp và Môi trường", "SNNMT"),
    ("UBND phường Việt Trì", "UBND"),
])
def test_form_number_notation_is_an_abbreviation_without_spaces(short_name, notation):
    """ "Số: 01/Sở Tài chính" is no document number: the notation after the slash is an abbreviation."""
    from tinhso.dossiers.printing.context import notation_of

    assert notation_of(short_name) == notation
