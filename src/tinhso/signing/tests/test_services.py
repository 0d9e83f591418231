"""Services: the registry, who may sign with what, refusals with stable codes, the signing audit."""

from __future__ import annotations

import pytest
from cryptography import x509
from cryptography.fernet import Fernet

from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.core.models import AuditEntry
from tinhso.signing import pki
from tinhso.signing.errors import SigningUnavailable
from tinhso.signing.models import Authority, Certificate, SignatureRecord, TrustAnchor
from tinhso.signing.selectors import authority_material, certificate_list_for, certificate_material
from tinhso.signing.services import (
    certificate_generate_demo,
    certificate_import_pkcs12,
    certificate_revoke,
    pdf_sign,
    pdf_verify,
    pki_demo_init,
)
from tinhso.signing.testing import pdfsig_check, signing_setup
from tinhso.signing.tests.conftest import days_ago
from tinhso.signing.tests.factories import agency_with_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return agency_with_staff()


@pytest.fixture
def ready(org, fast_keys):
    agency, leader, clerk, _ = org
    return signing_setup(agency=agency, leader=leader, clerk=clerk)


def _sign(actor, pdf, certificate, kind, **kwargs):
    return pdf_sign(actor=actor, pdf=pdf, certificate=certificate, kind=kind, reason="Phê duyệt kết quả",
                    location="Phú Thọ", **kwargs)


def test_demo_init_issues_for_agencies_and_leaders_once(org, fast_keys):
    agency, leader, _clerk, _ = org
    summary = pki_demo_init(actor=None)
    assert summary.ca_created and summary.tsa_created
    assert (summary.agency_certificates, summary.personal_certificates) == (1, 1)
    agency_cert = Certificate.objects.get(owner_agency=agency)
    personal = Certificate.objects.get(owner_user=leader)
    assert agency_cert.common_name == "Ủy ban nhân dân tỉnh Phú Thọ" and agency_cert.image_png
    assert personal.common_name == "Đặng Minh Khoa" and personal.organization == "Ủy ban nhân dân tỉnh Phú Thọ"
    assert TrustAnchor.objects.filter(is_active=True).count() == 1
    assert Authority.objects.get(purpose="root_ca").crl_der
    again = pki_demo_init(actor=None)
    assert again == type(again)(ca_created=False, tsa_created=False, agency_certificates=0, personal_certificates=0)
    assert Certificate.objects.count() == 2


def test_leader_then_clerk_sign_and_both_signatures_validate(org, ready, result_pdf):
    _agency, leader, clerk, _ = org
    signed = _sign(leader, result_pdf, ready.personal, "personal", reference="H44-260105-0001")
    sealed = _sign(clerk, signed, ready.agency, "agency", reference="H44-260105-0001")

    report = pdf_verify(pdf=sealed)
    assert report.verdict == "valid"
    assert [s.signer_common_name for s in report.signatures] == ["Đặng Minh Khoa", "Ủy ban nhân dân tỉnh Phú Thọ"]
    roots = list(TrustAnchor.objects.values_list("certificate_pem", flat=True))
    assert pdfsig_check(sealed, trusted_roots_pem=roots).all_valid_and_trusted

    records = list(SignatureRecord.objects.order_by("signed_at"))
    assert [(r.kind, r.signed_by) for r in records] == [("personal", leader), ("agency", clerk)]
    assert records[1].document_sha256_before == records[0].document_sha256_after
    assert records[0].long_term and records[0].page == 2 and records[0].reference == "H44-260105-0001"
    assert AuditEntry.objects.filter(action="signing.pdf_signed").count() == 2


def test_leader_may_also_apply_the_agency_signature(org, ready, result_pdf):
    _agency, leader, _clerk, _ = org
    assert pdf_verify(pdf=_sign(leader, result_pdf, ready.agency, "agency")).verdict == "valid"


def test_nobody_signs_with_another_persons_certificate(org, ready, result_pdf):
    _agency, _leader, clerk, _ = org
    with pytest.raises(PermissionDenied) as exc:
        _sign(clerk, result_pdf, ready.personal, "personal")
    assert exc.value.code == "certificate_not_yours"
    assert SignatureRecord.objects.count() == 0


def test_agency_certificate_is_not_for_a_specialist(org, ready, result_pdf):
    *_, specialist = org
    with pytest.raises(PermissionDenied) as exc:
        _sign(specialist, result_pdf, ready.agency, "agency")
    assert exc.value.code == "certificate_not_yours"


def test_agency_certificate_is_not_for_the_clerk_of_another_agency(ready, result_pdf, fast_keys):
    _other, _l, other_clerk, _s = agency_with_staff(code="H44.02", name="Sở Tư pháp tỉnh Phú Thọ")
    with pytest.raises(PermissionDenied) as exc:
        _sign(other_clerk, result_pdf, ready.agency, "agency")
    assert exc.value.code == "certificate_not_yours"


def test_kind_must_match_the_certificate(org, ready, result_pdf):
    _agency, leader, _clerk, _ = org
    with pytest.raises(ValidationFailed) as exc:
        _sign(leader, result_pdf, ready.personal, "agency")
    assert exc.value.code == "certificate_kind_mismatch"


def test_revoked_certificate_is_refused_and_published_on_the_crl(org, ready, result_pdf):
    _agency, leader, _clerk, _ = org
    before = Authority.objects.get(purpose="root_ca").crl_number
    certificate_revoke(actor=leader, certificate=ready.personal, reason="Mất thiết bị lưu khóa")
    with pytest.raises(ValidationFailed) as exc:
        _sign(leader, result_pdf, ready.personal, "personal")
    assert exc.value.code == "certificate_revoked"
    assert "Mất thiết bị lưu khóa" in exc.value.detail
    ca = Authority.objects.get(purpose="root_ca")
    crl = x509.load_der_x509_crl(bytes(ca.crl_der))
    assert ca.crl_number == before + 1
    assert crl.get_revoked_certificate_by_serial_number(int(ready.personal.serial_number, 16)) is not None
    with pytest.raises(Conflict):
        certificate_revoke(actor=leader, certificate=ready.personal, reason="lần nữa")


def test_expired_certificate_is_refused(org, ready, result_pdf):
    _agency, leader, _clerk, _ = org
    old = certificate_generate_demo(actor=None, owner_user=leader, valid_from=days_ago(800), days=365)
    with pytest.raises(ValidationFailed) as exc:
        _sign(leader, result_pdf, old, "personal")
    assert exc.value.code == "certificate_expired"


def test_certificate_without_signing_usage_is_refused(org, ready, result_pdf):
    _agency, leader, _clerk, _ = org
    no_usage = certificate_generate_demo(actor=None, owner_user=leader, key_usage=["key_encipherment"])
    with pytest.raises(ValidationFailed) as exc:
        _sign(leader, result_pdf, no_usage, "personal")
    assert exc.value.code == "certificate_no_signing_usage"


def test_not_a_pdf_and_too_large_are_refused(org, ready, settings):
    _agency, leader, _clerk, _ = org
    with pytest.raises(ValidationFailed) as exc:
        _sign(leader, b"%PDF-1.7\nnot really", ready.personal, "personal")
    assert exc.value.code == "invalid_pdf"
    settings.TINHSO_MAX_UPLOAD_BYTES = 100
    with pytest.raises(ValidationFailed) as exc:
        _sign(leader, b"%PDF-1.7\n" + b"0" * 200, ready.personal, "personal")
    assert exc.value.code == "file_too_large"


def test_unreachable_timestamp_authority_fails_cleanly(org, ready, result_pdf, settings):
    _agency, leader, _clerk, _ = org
    settings.TINHSO_TSA_URL = "http://127.0.0.1:9/tsa"  # discard port: connection refused at once
    with pytest.raises(SigningUnavailable) as exc:
        _sign(leader, result_pdf, ready.personal, "personal")
    assert exc.value.code == "timestamp_unavailable" and exc.value.status == 503
    assert SignatureRecord.objects.count() == 0


def test_without_any_timestamp_authority_signing_is_refused(org, ready, result_pdf):
    _agency, leader, _clerk, _ = org
    Authority.objects.filter(purpose="tsa").delete()
    with pytest.raises(SigningUnavailable) as exc:
        _sign(leader, result_pdf, ready.personal, "personal")
    assert exc.value.code == "tsa_not_configured"


def test_private_keys_are_encrypted_with_the_platform_key(ready, settings):
    stored = ready.personal.private_key_encrypted
    assert "PRIVATE KEY" not in stored and len(stored) > 100
    assert certificate_material(ready.personal).private_key is not None
    settings.TINHSO_KEY_ENCRYPTION_KEY = Fernet.generate_key().decode()
    with pytest.raises(SigningUnavailable) as exc:
        certificate_material(ready.personal)
    assert exc.value.code == "private_key_unavailable"


def _demo_issued_pkcs12(common_name: str, password: str) -> bytes:
    ca = authority_material(Authority.objects.get(purpose="root_ca"))
    material = pki.certificate_issue(issuer=ca, subject=pki.name_build(common_name=common_name))
    return pki.pkcs12_write(material=material, password=password)


def test_import_pkcs12_for_oneself(org, ready, result_pdf):
    *_, specialist = org
    data = _demo_issued_pkcs12("Trần Văn Minh", "bí-mật")
    certificate = certificate_import_pkcs12(actor=specialist, data=data, password="bí-mật", owner_user=specialist)
    assert certificate.source == "imported" and certificate.common_name == "Trần Văn Minh"
    assert certificate.chain_pem.count("BEGIN CERTIFICATE") == 1
    assert pdf_verify(pdf=_sign(specialist, result_pdf, certificate, "personal")).verdict == "valid"
    with pytest.raises(Conflict) as exc:
        certificate_import_pkcs12(actor=specialist, data=data, password="bí-mật", owner_user=specialist)
    assert exc.value.code == "certificate_exists"


def test_import_with_wrong_password_is_a_clear_error(org, ready):
    *_, specialist = org
    with pytest.raises(ValidationFailed) as exc:
        certificate_import_pkcs12(actor=specialist, data=_demo_issued_pkcs12("Trần Văn Minh", "dung"),
                                  password="sai", owner_user=specialist)
    assert exc.value.code == "pkcs12_wrong_password"
    assert exc.value.detail == "Mật khẩu của tệp chứng thư số (PKCS#12) không đúng."


def test_import_from_an_untrusted_ca_is_refused(org, ready):
    *_, specialist = org
    stranger = pki.ca_create(subject=pki.name_build(common_name="CA không tin cậy"))
    leaf = pki.certificate_issue(issuer=stranger, subject=pki.name_build(common_name="Trần Văn Minh"))
    with pytest.raises(ValidationFailed) as exc:
        certificate_import_pkcs12(actor=specialist, data=pki.pkcs12_write(material=leaf, password="x"),
                                  password="x", owner_user=specialist)
    assert exc.value.code == "certificate_untrusted"


def test_import_for_someone_else_is_forbidden(org, ready):
    agency, leader, _clerk, specialist = org
    data = _demo_issued_pkcs12("Đặng Minh Khoa", "x")
    with pytest.raises(PermissionDenied) as exc:
        certificate_import_pkcs12(actor=specialist, data=data, password="x", owner_user=leader)
    assert exc.value.code == "certificate_manage_forbidden"
    with pytest.raises(PermissionDenied):
        certificate_import_pkcs12(actor=specialist, data=data, password="x", owner_agency=agency)


def test_certificates_a_user_may_use(org, ready):
    _agency, leader, clerk, specialist = org
    assert set(certificate_list_for(actor=leader)) == {ready.personal, ready.agency}
    assert list(certificate_list_for(actor=clerk)) == [ready.agency]
    assert list(certificate_list_for(actor=specialist)) == []


# --- the system's automatic seal (ký số tự động) -----------------------------------------------------------


def test_system_seals_only_registered_purposes_with_agency_certificates(org, ready, result_pdf):
    from tinhso.signing.policy import automatic_seal_register
    from tinhso.signing.services import pdf_sign_system

    with pytest.raises(PermissionDenied) as exc:
        pdf_sign_system(pdf=result_pdf, certificate=ready.agency, reason="Ban hành", purpose="documents.outgoing")
    assert exc.value.code == "automatic_seal_not_allowed"

    automatic_seal_register(purpose="test.slip", label="Phiếu thử nghiệm")
    with pytest.raises(ValidationFailed) as exc:
        pdf_sign_system(pdf=result_pdf, certificate=ready.personal, reason="Ban hành", purpose="test.slip")
    assert exc.value.code == "certificate_kind_mismatch"
    assert SignatureRecord.objects.count() == 0

    sealed = pdf_sign_system(pdf=result_pdf, certificate=ready.agency, reason="Ký số tự động", purpose="test.slip",
                             reference="H44-260105-0001")
    assert pdf_verify(pdf=sealed).verdict == "valid"
    record = SignatureRecord.objects.get()
    assert (record.signed_by, record.purpose, record.kind) == (None, "test.slip", "agency")
    entry = AuditEntry.objects.get(action="signing.pdf_signed")
    assert entry.actor is None and entry.data["system"] is True and "Hệ thống" in entry.actor_label


def test_system_seal_hangs_from_the_top_left_of_a_given_signature_block(org, ready, result_pdf):
    """A form's officer cell (``over``): the seal stays inside it, from its top-left corner, so it
    covers neither the cell on its left nor the text above (docs/signing.md, "Stamps")."""
    from tinhso.signing.pades import pdf_open, signature_widgets
    from tinhso.signing.policy import automatic_seal_register
    from tinhso.signing.services import pdf_sign_system

    automatic_seal_register(purpose="test.slip", label="Phiếu thử nghiệm")
    block = (300.0, 200.0, 480.0, 260.0)
    sealed = pdf_sign_system(pdf=result_pdf, certificate=ready.agency, reason="Ký số tự động", purpose="test.slip",
                             page=1, over=block)
    [(_name, page, (x1, y1, x2, y2))] = signature_widgets(pdf_open(sealed))
    seal = float(ready.agency.seal_diameter_mm) * 72 / 25.4
    assert page == 0 and abs(x1 - 300) < 1 and abs(y2 - 260) < 1 and x2 <= 595
    assert y1 <= 260 - seal + 1  # the seal's full height, its text under the block


def test_signature_kinds_follow_the_chain_of_records(org, ready, result_pdf):
    import hashlib

    from tinhso.signing.selectors import pdf_signature_count, signature_kinds_on

    _agency, leader, clerk, _ = org
    signed = _sign(leader, result_pdf, ready.personal, "personal")
    sealed = _sign(clerk, signed, ready.agency, "agency")
    assert signature_kinds_on(sha256=hashlib.sha256(sealed).hexdigest()) == ["personal", "agency"]
    assert signature_kinds_on(sha256=hashlib.sha256(result_pdf).hexdigest()) == []
    assert [pdf_signature_count(pdf=p) for p in (result_pdf, signed, sealed)] == [0, 1, 2]
