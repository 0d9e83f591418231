"""Signing PDFs: PAdES validity in pyHanko and, independently, in poppler's pdfsig; stamps; tampering."""

from __future__ import annotations

import io
import re
import unicodedata
import zlib

import pypdf
import pytest
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from tinhso.core.errors import ValidationFailed
from tinhso.signing import pki
from tinhso.signing.pades import Appearance, pdf_sign_bytes, signature_widgets
from tinhso.signing.stamps import FontProblem, font_check
from tinhso.signing.testing import pdfsig_check
from tinhso.signing.tests.conftest import AGENCY_NAME, LEADER_NAME, flip_byte


def _status(pdf: bytes, lib_pki, index: int = 0):
    context = ValidationContext(
        trust_roots=[pki.to_asn1_certificate(lib_pki.root.certificate)], crls=[pki.to_asn1_crl(lib_pki.crl)]
    )
    sig = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[index]
    return validate_pdf_signature(sig, signer_validation_context=context)


def _stamp_texts(pdf: bytes) -> dict[str, str]:
    """Text of each signature widget's appearance stream, extracted with pypdf."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    texts = {}
    for page in reader.pages:
        for annot in page.get("/Annots", []):
            annot = annot.get_object()
            if annot.get("/FT") == "/Sig" or annot.get("/Parent", {}).get("/FT") == "/Sig":
                texts[str(annot.get("/T"))] = page.extract_xform_text(annot["/AP"]["/N"].get_object())
    return texts


def test_personal_signature_is_valid_timestamped_and_long_term(lib_pki, leader_signed):
    status = _status(leader_signed, lib_pki)
    assert status.bottom_line and status.intact and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.timestamp_validity is not None and status.timestamp_validity.trusted
    reader = PdfFileReader(io.BytesIO(leader_signed))
    assert "/DSS" in reader.root  # B-LT: certificates and the CRL embedded for later validation
    assert reader.embedded_signatures[0].sig_object["/SubFilter"] == "/ETSI.CAdES.detached"


def test_pdfsig_independently_trusts_the_signature(lib_pki, leader_signed):
    result = pdfsig_check(leader_signed, trusted_roots_pem=[lib_pki.root_pem])
    assert result.all_valid_and_trusted, result.output
    assert "Signer Certificate Common Name: Nguyễn Văn Hùng" in result.output
    assert "ETSI.CAdES.detached" in result.output


def test_one_byte_changed_is_reported_by_pyhanko_and_pdfsig(lib_pki, leader_signed):
    tampered = flip_byte(leader_signed)
    status = _status(tampered, lib_pki)
    assert not status.intact and not status.bottom_line
    result = pdfsig_check(tampered, trusted_roots_pem=[lib_pki.root_pem])
    assert "Digest Mismatch" in result.output
    assert "Signature is Valid" not in result.output


def test_second_signature_keeps_the_first_valid(lib_pki, both_signed):
    first, second = _status(both_signed, lib_pki, 0), _status(both_signed, lib_pki, 1)
    assert first.bottom_line and second.bottom_line
    assert first.coverage == SignatureCoverageLevel.ENTIRE_REVISION and first.docmdp_ok
    assert second.coverage == SignatureCoverageLevel.ENTIRE_FILE
    result = pdfsig_check(both_signed, trusted_roots_pem=[lib_pki.root_pem])
    assert result.output.count("Signature #") == 2
    assert result.all_valid_and_trusted, result.output


def test_pdfsig_without_the_demo_root_does_not_trust(leader_signed):
    result = pdfsig_check(leader_signed, trusted_roots_pem=[])
    assert "Signature is Valid" in result.output
    assert "Certificate is Trusted" not in result.output


def test_stamps_show_the_vietnamese_names_exactly(both_signed):
    texts = list(_stamp_texts(both_signed).values())
    assert len(texts) == 2
    personal, agency = texts
    assert personal.strip() == LEADER_NAME
    assert unicodedata.is_normalized("NFC", personal)
    assert AGENCY_NAME in agency
    # NĐ 30/2020 (vn-standards §7.5): signing time as dd/mm/yyyy hh:mm:ss in Vietnam time
    assert re.search(r"Thời gian ký: \d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \+07:00", agency)


def test_nfd_names_are_stamped_as_nfc(lib_pki, result_pdf):
    nfd = unicodedata.normalize("NFD", "Trần Thị Ngọc Ánh")
    signed = pdf_sign_bytes(
        pdf=result_pdf, material=lib_pki.leader, appearance=Appearance(kind="personal", signer_name=nfd),
        timestamper=lib_pki.timestamper(),
    ).pdf
    (text,) = _stamp_texts(signed).values()
    assert text.strip() == unicodedata.normalize("NFC", nfd)


def test_agency_seal_overlaps_left_third_of_the_personal_signature(both_signed):
    widgets = signature_widgets(PdfFileReader(io.BytesIO(both_signed)))
    (_, page_a, personal), (_, page_b, agency) = widgets
    assert page_a == page_b == 1  # the last page of the two-page result
    px1, _, px2, _ = personal
    ax1, _, _, _ = agency
    width = px2 - px1
    # the seal's left edge lies left of the signature, its centre on the signature's left third
    assert ax1 < px1 < ax1 + 120
    assert ax1 + 51 <= px1 + width / 3


def test_stamp_font_widths_use_a_1000_unit_em(both_signed):
    """The unitsPerEm pitfall (stack-notes §5): glyph widths in /W must be per 1000 em units."""
    reader = pypdf.PdfReader(io.BytesIO(both_signed))
    widths: list[float] = []
    for num in range(1, reader.trailer["/Size"]):
        try:
            obj = reader.get_object(num)
        except Exception:  # noqa: BLE001, S112 - free or compressed-away object numbers
            continue
        if isinstance(obj, dict) and obj.get("/Subtype") == "/CIDFontType2" and "/W" in obj:
            # /W is [first [w1 w2 …] first [w …] …]: collect the width arrays
            widths.extend(float(w) for entry in obj["/W"] if isinstance(entry, list) for w in entry)
    assert widths, "no embedded CID font found in the stamps"
    assert max(widths) <= 1100  # DejaVu (2048 upem) gives raw widths such as 1343 for "K"


def test_fonts_with_a_2048_unit_em_are_refused():
    with pytest.raises(FontProblem):
        font_check("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_page_out_of_range_is_refused(lib_pki, result_pdf):
    with pytest.raises(ValidationFailed) as exc:
        pdf_sign_bytes(pdf=result_pdf, material=lib_pki.leader, appearance=Appearance(kind="personal"),
                       timestamper=None, page=5)
    assert exc.value.code == "invalid_signature_page"


def test_garbage_is_not_a_pdf(lib_pki):
    with pytest.raises(ValidationFailed) as exc:
        pdf_sign_bytes(pdf=b"%PDF-1.7\n" + zlib.compress(b"x" * 100), material=lib_pki.leader,
                       appearance=Appearance(kind="personal"), timestamper=None)
    assert exc.value.code == "invalid_pdf"
