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
from tinhso.dossiers.forms import render_form
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.models import FormIssue
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
