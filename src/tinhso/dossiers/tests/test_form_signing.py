"""Forms an online applicant receives electronically carry the issuing agency's signature, applied by
the system (ký số tự động); paper forms of counter dossiers do not; an agency without a certificate
still receives dossiers, and the unsealed form is marked."""

from __future__ import annotations

import io
import re
from datetime import datetime

import pypdf
import pytest
from django.core import mail
from django.utils import timezone

from tinhso.core.events import outbox_deliver
from tinhso.core.files import file_read
from tinhso.core.models import AuditEntry
from tinhso.core.testing import captured_events
from tinhso.dossiers.anchors import MM, anchor_find
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.models import FormIssue
from tinhso.dossiers.printing import render_form
from tinhso.dossiers.services import dossier_create, dossier_receive, dossier_refuse
from tinhso.dossiers.tests import factories as f
from tinhso.signing.models import SignatureRecord, TrustAnchor
from tinhso.signing.services import pdf_verify
from tinhso.signing.testing import pdfsig_check

pytestmark = pytest.mark.django_db

FUTURE = timezone.make_aware(datetime(2100, 1, 1))


def deliver():
    """Every due event delivery, then the notification tasks they queued (as commits would)."""
    with captured_events():
        outbox_deliver(now=FUTURE)


def test_online_receipt_carries_a_valid_agency_signature_made_by_the_system(world, received, pki):
    dossier = received()
    pdf = render_form(dossier=dossier, kind="receipt")
    report = pdf_verify(pdf=pdf)
    assert report.verdict == "valid" and [s.signer_common_name for s in report.signatures] == [world.centre.name]
    roots = list(TrustAnchor.objects.values_list("certificate_pem", flat=True))
    assert pdfsig_check(pdf, trusted_roots_pem=roots).all_valid_and_trusted

    form = FormIssue.objects.get(dossier=dossier, kind="receipt")
    assert form.seal == "sealed" and file_read(stored_file=form.pdf) == pdf
    assert render_form(dossier=dossier, kind="receipt") == pdf  # a reprint is the same sealed copy
    record = SignatureRecord.objects.get()
    assert (record.signed_by, record.purpose, record.kind) == (None, "dossier_form.receipt", "agency")
    entry = AuditEntry.objects.get(action="signing.pdf_signed")
    assert entry.actor is None and entry.data["system"] is True and entry.data["purpose"] == "dossier_form.receipt"


def test_counter_receipt_is_paper_and_not_sealed(world, pki):
    dossier = dossier_create(actor=world.reception, procedure_code=world.proc.code, channel="counter",
                             applicant=ApplicantInput.from_mapping(f.applicant()),
                             documents=world.documents(world.reception))
    pdf = render_form(dossier=dossier, kind="receipt")
    assert pdf_verify(pdf=pdf).verdict == "unsigned"
    assert FormIssue.objects.get(dossier=dossier, kind="receipt").seal == ""
    assert SignatureRecord.objects.count() == 0


def test_agency_without_certificate_still_receives_and_the_form_is_marked(world, received, caplog):
    dossier = received()
    pdf = render_form(dossier=dossier, kind="receipt")
    assert pdf_verify(pdf=pdf).verdict == "unsigned"
    form = FormIssue.objects.get(dossier=dossier, kind="receipt")
    assert form.seal == "no_certificate"
    assert AuditEntry.objects.filter(action="dossier.form_unsealed", target_id=str(form.pk)).exists()
    assert "without the agency signature" in caplog.text


def test_emailed_refusal_is_the_sealed_pdf(world, submit, pki):
    dossier = submit(applicant=ApplicantInput.from_mapping(f.applicant(email="an@example.vn")))
    with captured_events(deliver=False):
        dossier_refuse(actor=world.reception, dossier=dossier, reason="Không thuộc thẩm quyền giải quyết.")
    deliver()
    [email] = mail.outbox
    [(name, content, content_type)] = email.attachments
    assert name.endswith("-phieu-tu-choi.pdf") and content_type == "application/pdf"
    form = FormIssue.objects.get(dossier=dossier, kind="refusal")
    assert content == file_read(stored_file=form.pdf)
    report = pdf_verify(pdf=content)
    assert report.verdict == "valid" and report.signatures[0].signer_common_name == world.centre.name


def test_received_dossier_email_attachment_is_sealed(world, submit, pki):
    dossier = submit()
    with captured_events(deliver=False):
        dossier_receive(actor=world.reception, dossier=dossier)
    deliver()
    attachment = mail.outbox[0].attachments[0][1]
    assert pdf_verify(pdf=attachment).verdict == "valid"


def test_the_seal_stays_in_the_officers_cell_and_clear_of_the_note(world, received, pki):
    """A5 is narrow: the 36 mm seal must not cover the applicant's signature cell on its left nor the
    line above the signatures, and its text must not run over the receipt's "Ghi chú"."""
    long_address = "Số 12 đường Hùng Vương, phường Việt Trì, tỉnh Phú Thọ"
    pdf = render_form(dossier=received(applicant=ApplicantInput.from_mapping(f.applicant(address=long_address))),
                      kind="receipt")
    [(page, (_x1, y1, _x2, _y2), (seal_left, seal_top))] = seal_stamps(pdf)
    cell, note = anchor_find(pdf, "chu-ky-co-quan"), anchor_find(pdf, "ghi-chu")
    assert page == cell.page
    assert seal_left >= cell.left - 1  # in the officer's cell, not over the applicant's signature
    assert seal_top <= cell.top + 9 * MM  # over the officer's title, not over "Vào Sổ theo dõi hồ sơ…"
    assert note.page > page or note.top <= y1  # seal and text end above the note


def seal_stamps(pdf: bytes) -> list[tuple[int, tuple[float, ...], tuple[float, float]]]:
    """Each signature widget: page, rectangle, and the seal image's left and top edges on the page
    (read from the appearance stream: ``1 0 0 1 x y cm q w 0 0 h 0 0 cm /Img… Do``)."""
    found = []
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            widget = annot.get_object()
            if widget.get("/FT") != "/Sig":
                continue
            rect = tuple(float(v) for v in widget["/Rect"])
            stream = widget["/AP"]["/N"].get_object().get_data().decode("latin-1")
            x, y, size = re.search(r"1 0 0 1 ([\d.-]+) ([\d.-]+) cm q\s+([\d.]+) 0 0 [\d.]+ 0 0 cm /Img", stream).groups()
            found.append((number, rect, (rect[0] + float(x), rect[1] + float(y) + float(size))))
    return found


LONG_DOCUMENTS = [
    {"code": f"giay-{i:02d}", "name": f"Bản sao có chứng thực giấy tờ chứng minh quyền sử dụng đất, quyền sở hữu "
                                      f"nhà ở và tài sản khác gắn liền với đất số {i} (nếu có)", "required": False}
    for i in range(1, 17)
]


def test_a_long_receipt_keeps_its_signature_block_together_and_seals_it_on_the_last_page(world, pki):
    """15+ documents with long names push Mẫu 01 onto a second A5 page: the pages are numbered, the
    signing block does not stand alone, and the visible seal lands where the block is."""
    proc = f.procedure(code="1.009999", receiving=[world.centre], documents=LONG_DOCUMENTS,
                       name="Đăng ký biến động quyền sử dụng đất, quyền sở hữu nhà ở và tài sản khác gắn liền với đất")
    documents = [{"required_document": d["code"], "file_ids": world.files()} for d in LONG_DOCUMENTS]
    dossier = dossier_create(actor=world.citizen, procedure_code=proc.code, channel="online",
                             applicant=ApplicantInput.from_mapping(f.applicant()), documents=documents,
                             form_data={})
    dossier = dossier_receive(actor=world.reception, dossier=dossier)
    pdf = render_form(dossier=dossier, kind="receipt")

    assert pdf_verify(pdf=pdf).verdict == "valid"
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    assert pages >= 2
    texts = [page.extract_text() for page in reader.pages]
    for number, text in enumerate(texts, start=1):
        assert f"Trang {number}/{pages}" in text
    whole = " ".join(" ".join(texts).split())  # pypdf breaks lines where the PDF does
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in whole and "NGƯỜI TIẾP NHẬN HỒ SƠ" in whole
    assert "quyền sở hữu nhà ở và tài sản khác gắn liền với đất số 16 (nếu có)" in whole
    assert "Trần Thị Tiếp Nhận" in texts[-1]
    # The block is on the last page with the lines that lead to it, not alone on a page.
    cell = anchor_find(pdf, "chu-ky-co-quan")
    assert cell.page == pages
    assert "Thời gian trả kết quả giải quyết hồ sơ" in texts[-1]
    [(page, rect, (seal_left, seal_top))] = seal_stamps(pdf)
    assert page == pages
    assert cell.left - 1 <= seal_left and seal_top <= cell.top + 9 * MM
    assert rect[1] >= 12 * MM - 1  # seal and its text above the page's bottom margin and "Trang …"


@pytest.mark.parametrize("count", range(4, 14))
def test_a_long_supplement_request_never_leaves_its_signing_block_alone(world, submit, pki, count):
    """Whatever the number of missing items, Mẫu 02's signing block goes with the last item and the reason
    above it, and the seal follows the block onto whichever page it lands on."""
    from tinhso.dossiers.services import dossier_request_supplement

    dossier = submit()
    items = [{"name": f"Giấy xác nhận tình trạng hôn nhân do Ủy ban nhân dân cấp xã nơi cư trú cấp, số {i}",
              "reason": "bản chụp không đọc được"} for i in range(1, count + 1)]
    request = dossier_request_supplement(actor=world.reception, dossier=dossier, items=items,
                                         reason="Hồ sơ chưa đầy đủ thành phần theo quy định")
    pdf = render_form(dossier=request.dossier, kind="supplement_request")
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    pages = len(reader.pages)
    last = " ".join(reader.pages[-1].extract_text().split())
    cell = anchor_find(pdf, "chu-ky-co-quan")
    assert cell.page == pages
    assert f"{count}. Giấy xác nhận" in last  # the end of the list comes along
    assert "Lý do: Hồ sơ chưa đầy đủ thành phần theo quy định" in last and "NGƯỜI HƯỚNG DẪN" in last
    [(page, rect, (seal_left, _seal_top))] = seal_stamps(pdf)
    assert page == pages and seal_left >= cell.left - 1 and rect[1] >= 12 * MM - 1
    if pages > 1:
        assert f"Trang {pages}/{pages}" in last
    else:
        assert "Trang" not in last  # a one-page form is not numbered


def test_withdrawal_notice_is_issued_sealed_and_downloadable_by_applicant_and_staff(world, received, pki):
    """Status 7: the applicant withdraws; the receiving agency's notice is numbered, rendered and sealed
    by the event's delivery (not by a download), and both the applicant and the desk get that copy."""
    from django.test import Client

    from tinhso.dossiers.services import dossier_withdraw

    dossier = received()
    with captured_events(deliver=False):
        dossier_withdraw(actor=world.citizen, dossier=dossier, reason="Gia đình đã chuyển nơi cư trú.")
    form = FormIssue.objects.get(dossier=dossier, kind="withdrawal")
    assert form.agency == world.centre and form.number == 1 and form.pdf_id is None
    deliver()
    form.refresh_from_db()
    assert form.pdf_id is not None and form.seal == "sealed"
    stored = file_read(stored_file=form.pdf)
    report = pdf_verify(pdf=stored)
    assert report.verdict == "valid" and report.signatures[0].signer_common_name == world.centre.name
    text = "".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(stored)).pages)
    for expected in ["THÔNG BÁO", "Về việc rút hồ sơ thủ tục hành chính", dossier.code,
                     "Lý do rút hồ sơ: Gia đình đã chuyển nơi cư trú.", world.centre.name]:
        assert expected in " ".join(text.split()), expected
    assert "Mẫu số" not in text  # the TT 03/2025 number is not verified: none unless configured

    for user in (world.citizen, world.reception):
        client = Client()
        client.force_login(user)
        response = client.get(f"/api/v1/dossiers/{dossier.code}/forms/withdrawal.pdf")
        assert response.status_code == 200, response.content
        assert response.content == stored


def test_withdrawal_notice_prints_the_configured_form_number(world, received, settings):
    from tinhso.dossiers.printing import render_form_html
    from tinhso.dossiers.services import dossier_withdraw

    settings.TINHSO_WITHDRAWAL_FORM_NUMBER = "05"
    dossier = dossier_withdraw(actor=world.citizen, dossier=received(), reason="Không còn nhu cầu.")
    settings.TINHSO_WITHDRAWAL_FORM_NUMBER = ""
    html = render_form_html(dossier=dossier, kind="withdrawal")
    assert "Mẫu số 05" in html  # frozen when issued
    assert 'id="chu-ky-co-quan"></div><div class="name"></div>' in html  # the seal signs, not an officer
