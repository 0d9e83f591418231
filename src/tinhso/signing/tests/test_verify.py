"""Verification reports: verdicts and Vietnamese explanations for each situation a reader meets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tinhso.signing import pki
from tinhso.signing.pades import Appearance, pdf_sign_bytes
from tinhso.signing.tests.conftest import AGENCY_NAME, LEADER_NAME, flip_byte
from tinhso.signing.verify import INVALID, MODIFIED, UNSIGNED, VALID, VALID_UNTRUSTED, pdf_verify_bytes


def test_two_valid_signatures(lib_pki, both_signed):
    report = pdf_verify_bytes(pdf=both_signed, trust=lib_pki.trust)
    assert report.verdict == VALID and report.verdict_label == "Chữ ký hợp lệ"
    first, second = report.signatures
    assert (first.signer_common_name, second.signer_common_name) == (LEADER_NAME, AGENCY_NAME)
    assert first.issuer.startswith("CN=Tỉnh Số CA thử nghiệm")
    assert all(s.trusted and s.intact and s.timestamp_trusted and s.long_term for s in report.signatures)
    assert not first.covers_whole_document and second.covers_whole_document
    assert not first.modified_after_signing
    assert first.reason == "Phê duyệt kết quả" and first.location == "Phú Thọ"
    assert first.timestamp_time <= second.timestamp_time
    assert "+07:00" in first.signed_at_text


def test_changed_byte_is_reported_modified_in_vietnamese(lib_pki, both_signed):
    report = pdf_verify_bytes(pdf=flip_byte(both_signed), trust=lib_pki.trust)
    assert report.verdict == MODIFIED
    assert report.verdict_label == "Tài liệu đã bị thay đổi sau khi ký"
    assert all(not s.intact and s.modified_after_signing for s in report.signatures)
    assert "bị thay đổi sau khi ký" in report.signatures[0].explanation


def test_signature_from_a_ca_outside_the_trust_store(lib_pki, both_signed):
    report = pdf_verify_bytes(pdf=both_signed, trust=pki.TrustStore())
    assert report.verdict == VALID_UNTRUSTED
    assert report.verdict_label == "Chữ ký hợp lệ nhưng chứng thư số không thuộc nguồn tin cậy"
    assert all(s.intact and not s.trusted for s in report.signatures)


def test_unsigned_document(result_pdf):
    report = pdf_verify_bytes(pdf=result_pdf, trust=pki.TrustStore())
    assert report.verdict == UNSIGNED and report.signatures == []
    assert report.summary == "Không tìm thấy chữ ký số nào trong tài liệu."


def _revoked_trust(lib_pki, material, when):
    crl = pki.crl_issue(issuer=lib_pki.root, number=9, revoked=[pki.RevokedEntry(material.certificate.serial_number,
                                                                                  when)])
    return pki.TrustStore(roots=(lib_pki.root.certificate,), crls=(crl,))


def test_revocation_after_a_trusted_timestamp_keeps_the_signature_valid(lib_pki, leader_signed):
    # A CRL states whole seconds: revoking "now" within the second of the signature would date the
    # revocation before the timestamp (a flaky test when this test runs alone).
    later = datetime.now(UTC) + timedelta(seconds=2)
    report = pdf_verify_bytes(pdf=leader_signed, trust=_revoked_trust(lib_pki, lib_pki.leader, later),
                              now=later + timedelta(seconds=1))
    (sig,) = report.signatures
    assert sig.verdict == VALID
    assert "bị thu hồi" in sig.explanation and "sau thời điểm ký" in sig.explanation


def test_revoked_without_timestamp_is_invalid(lib_pki, result_pdf):
    signed = pdf_sign_bytes(pdf=result_pdf, material=lib_pki.leader,
                            appearance=Appearance(kind="personal", signer_name=LEADER_NAME), timestamper=None).pdf
    report = pdf_verify_bytes(pdf=signed, trust=_revoked_trust(lib_pki, lib_pki.leader, datetime.now(UTC)))
    (sig,) = report.signatures
    assert sig.verdict == INVALID and sig.revoked
    assert sig.explanation.startswith("Chứng thư số của người ký đã bị thu hồi")


@pytest.mark.parametrize("timestamped", [True, False])
def test_certificate_expired_since_signing(lib_pki, result_pdf, timestamped):
    signed = pdf_sign_bytes(
        pdf=result_pdf, material=lib_pki.leader, appearance=Appearance(kind="personal", signer_name=LEADER_NAME),
        timestamper=lib_pki.timestamper() if timestamped else None,
    ).pdf
    three_years_on = datetime.now(UTC) + timedelta(days=3 * 365)
    (sig,) = pdf_verify_bytes(pdf=signed, trust=lib_pki.trust, now=three_years_on).signatures
    assert sig.expired
    if timestamped:
        assert sig.verdict == VALID and "đã hết hạn sau thời điểm ký" in sig.explanation
    else:
        assert sig.verdict == INVALID and "hết hạn" in sig.explanation


def test_signature_without_timestamp_says_time_is_self_declared(lib_pki, result_pdf):
    signed = pdf_sign_bytes(pdf=result_pdf, material=lib_pki.leader,
                            appearance=Appearance(kind="personal", signer_name=LEADER_NAME), timestamper=None).pdf
    (sig,) = pdf_verify_bytes(pdf=signed, trust=lib_pki.trust).signatures
    assert sig.verdict == VALID and sig.timestamp_time is None
    assert "tự khai" in sig.explanation


def test_altered_certificate_inside_the_signature_is_invalid_not_an_error(lib_pki, leader_signed):
    """A forger who swaps bytes of the signer's certificate inside the signature (to show another
    name) breaks the "signing certificate" attribute: the report says invalid, it does not crash."""
    from tinhso.signing.pades import pdf_open

    cert_hex = pdf_open(leader_signed).embedded_regular_signatures[0].signer_cert.dump().hex().encode()
    start = leader_signed.lower().find(cert_hex)
    assert start > 0
    at = start + len(cert_hex) // 2
    forged = leader_signed[:at] + (b"0" if leader_signed[at:at + 1] != b"0" else b"1") + leader_signed[at + 1:]

    report = pdf_verify_bytes(pdf=forged, trust=lib_pki.trust)

    assert report.verdict == INVALID and len(report.signatures) == 1
    assert "không hợp lệ" in report.verdict_label and not report.signatures[0].trusted
