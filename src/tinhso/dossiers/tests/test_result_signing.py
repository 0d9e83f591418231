"""The e-result of the one-stop shop (issue #6 item 4): generated from a template, signed by the leader,
sealed by the agency at issue, downloaded signed by the applicant; both signatures validate in pyHanko
and in poppler's pdfsig."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from tinhso.catalog.choices import StepAction
from tinhso.core.errors import ValidationFailed
from tinhso.core.files import file_read
from tinhso.core.models import AuditEntry
from tinhso.dossiers.models import Dossier, DossierDocument
from tinhso.dossiers.selectors import dossier_result_for
from tinhso.dossiers.services import (
    dossier_action_perform,
    dossier_approve,
    dossier_assign,
    dossier_available_actions,
    dossier_forward,
    dossier_issue_result,
    dossier_result_attach,
    dossier_sign,
)
from tinhso.dossiers.tests import factories as f
from tinhso.signing.models import SignatureRecord, TrustAnchor
from tinhso.signing.services import pdf_verify
from tinhso.signing.testing import pdfsig_check

pytestmark = pytest.mark.django_db


def at_leader(world, received) -> Dossier:
    dossier = dossier_assign(actor=world.unit_head, dossier=received(), assignee=world.specialist)
    return dossier_forward(actor=world.specialist, dossier=dossier)


def result_pdf(dossier: Dossier) -> bytes:
    document = dossier.documents.get(role=DossierDocument.Role.RESULT)
    return file_read(stored_file=document.file)


def flip_byte(pdf: bytes, offset: int = 12) -> bytes:
    data = bytearray(pdf)
    data[offset] ^= 0x01
    return bytes(data)


def roots() -> list[str]:
    return list(TrustAnchor.objects.values_list("certificate_pem", flat=True))


def test_leader_signs_clerk_seals_and_the_applicant_downloads_the_signed_result(world, received, pki):
    dossier = at_leader(world, received)
    assert "generate_result" in [a.name for a in dossier_available_actions(actor=world.leader, dossier=dossier)]

    dossier = dossier_approve(actor=world.leader, dossier=dossier)
    signed = result_pdf(dossier)
    text = PdfReader(io.BytesIO(signed)).pages[0].extract_text()
    assert "GIẤY XÁC NHẬN" in text and dossier.code in text and "Nguyễn Văn An" in text
    report = pdf_verify(pdf=signed)
    assert report.verdict == "valid"
    assert [s.signer_common_name for s in report.signatures] == ["Hoàng Văn Lãnh"]

    dossier = dossier_issue_result(actor=world.clerk, dossier=dossier)
    sealed = result_pdf(dossier)
    report = pdf_verify(pdf=sealed)
    assert report.verdict == "valid" and len(report.signatures) == 2
    assert [s.verdict for s in report.signatures] == ["valid", "valid"]
    assert [s.signer_common_name for s in report.signatures] == ["Hoàng Văn Lãnh", world.centre.name]
    assert report.signatures[1].covers_whole_document
    poppler = pdfsig_check(sealed, trusted_roots_pem=roots())
    assert poppler.all_valid_and_trusted and poppler.output.count("Signature #") == 2, poppler.output

    # One changed byte: both tools see it.
    tampered = flip_byte(sealed)
    assert pdf_verify(pdf=tampered).verdict == "modified"
    assert "Digest Mismatch" in pdfsig_check(tampered, trusted_roots_pem=roots()).output

    # Records, audit and timeline.
    records = list(SignatureRecord.objects.order_by("signed_at", "id"))
    assert [(r.kind, r.signed_by) for r in records] == [("personal", world.leader), ("agency", world.clerk)]
    assert all(r.reference == dossier.code for r in records)
    assert records[1].document_sha256_before == records[0].document_sha256_after
    assert AuditEntry.objects.filter(action="signing.pdf_signed").count() == 2
    issued = dossier.events.get(action="issue_result")
    assert [s["kind"] for s in issued.data["signatures"]] == ["agency"]

    # The applicant downloads exactly the sealed file.
    document = dossier_result_for(actor=world.citizen, code=dossier.code)
    assert file_read(stored_file=document.file) == sealed
    assert document.file.original_name.endswith("-da-dong-dau.pdf")
    # The seal is an incremental update: the leader's signed revision stays byte for byte inside it.
    assert sealed.startswith(signed) and len(sealed) > len(signed)


def test_the_leaders_signature_sits_in_the_templates_signature_area(world, received, pki):
    dossier = dossier_approve(actor=world.leader, dossier=at_leader(world, received))
    record = SignatureRecord.objects.get()
    assert record.page == 1
    reader = PdfReader(io.BytesIO(result_pdf(dossier)))
    area = reader.named_destinations["chu-ky"]
    widgets = [a.get_object() for a in reader.pages[0].get("/Annots", []) if a.get_object().get("/FT") == "/Sig"]
    x1, _y1, _x2, y2 = (float(v) for v in widgets[0]["/Rect"])
    assert abs(x1 - float(area.left)) < 1 and abs(y2 - float(area.top)) < 1


def test_leader_without_certificate_cannot_sign_and_nothing_changes(world, received, pki):
    from tinhso.signing.services import certificate_revoke

    dossier = at_leader(world, received)
    certificate_revoke(actor=None, certificate=pki.personal, reason="Mất thiết bị")
    with pytest.raises(ValidationFailed) as caught:
        dossier_approve(actor=world.leader, dossier=dossier)
    assert caught.value.code == "certificate_required" and "chứng thư số" in caught.value.detail
    fresh = Dossier.objects.get(pk=dossier.pk)
    assert (fresh.version, fresh.current_step.code, fresh.outcome) == (dossier.version, "phe-duyet", "")
    assert not fresh.documents.filter(role=DossierDocument.Role.RESULT).exists()
    assert SignatureRecord.objects.count() == 0


def test_without_required_signing_a_result_passes_unsigned(world, received, settings):
    settings.TINHSO_RESULT_SIGNING_REQUIRED = False
    dossier = dossier_approve(actor=world.leader, dossier=at_leader(world, received))
    dossier = dossier_issue_result(actor=world.clerk, dossier=dossier)
    assert dossier.status == "resolved"
    assert pdf_verify(pdf=result_pdf(dossier)).verdict == "unsigned"


def test_clerk_may_not_seal_a_result_nobody_signed(world, received, pki):
    dossier = dossier_approve(actor=world.leader, dossier=at_leader(world, received))
    upload = f.upload(world.clerk, "ket-qua-khac.pdf", f.pdf_bytes())
    dossier = dossier_result_attach(actor=world.clerk, dossier=dossier, file_ids=[str(upload.pk)])
    with pytest.raises(ValidationFailed) as caught:
        dossier_issue_result(actor=world.clerk, dossier=dossier)
    assert caught.value.code == "result_not_signed"
    assert Dossier.objects.get(pk=dossier.pk).status == "processing"


def test_a_leader_issuing_at_their_own_step_signs_and_seals(world, submit, pki):
    from tinhso.dossiers.services import dossier_receive

    steps = [{"code": "tham-dinh", "name": "Thẩm định", "role": "specialist", "days": "1"},
             {"code": "phe-duyet", "name": "Phê duyệt, cập nhật", "role": "leader", "days": "1"}]
    transitions = [("tham-dinh", StepAction.FORWARD, "phe-duyet"), ("phe-duyet", StepAction.ISSUE_RESULT, None)]
    f.procedure(code="1.000040", receiving=[world.centre], steps=steps, transitions=transitions)
    dossier = dossier_receive(actor=world.reception, dossier=submit(procedure_code="1.000040"))
    dossier = dossier_forward(actor=world.specialist, dossier=dossier)
    dossier = dossier_action_perform(actor=world.leader, dossier=dossier, action="generate_result")
    dossier = Dossier.objects.get(pk=dossier.dossier_id)
    dossier = dossier_issue_result(actor=world.leader, dossier=dossier)
    report = pdf_verify(pdf=result_pdf(dossier))
    assert report.verdict == "valid" and len(report.signatures) == 2
    assert [r.kind for r in SignatureRecord.objects.order_by("signed_at", "id")] == ["personal", "agency"]


def test_sign_step_signs_an_uploaded_result(world, submit, pki):
    from tinhso.dossiers.services import dossier_receive

    steps = [{"code": "ky", "name": "Lãnh đạo ký", "role": "leader", "days": "1"},
             {"code": "ban-hanh", "name": "Văn thư ban hành", "role": "clerk", "days": "1"}]
    transitions = [("ky", StepAction.SIGN, "ban-hanh"), ("ban-hanh", StepAction.ISSUE_RESULT, None)]
    f.procedure(code="1.000041", receiving=[world.centre], steps=steps, transitions=transitions)
    dossier = dossier_receive(actor=world.reception, dossier=submit(procedure_code="1.000041"))
    upload = f.upload(world.leader, "quyet-dinh.pdf", f.pdf_bytes(2))
    dossier = dossier_result_attach(actor=world.leader, dossier=dossier, file_ids=[str(upload.pk)])
    dossier = dossier_sign(actor=world.leader, dossier=dossier)
    assert SignatureRecord.objects.get().page == 2  # no signature area: the last page, NĐ 30 default place
    dossier = dossier_issue_result(actor=world.clerk, dossier=dossier)
    assert pdf_verify(pdf=result_pdf(dossier)).verdict == "valid"
    assert dossier.documents.filter(role=DossierDocument.Role.RESULT).count() == 1
