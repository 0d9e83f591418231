"""Certificates without the database: building, PKCS#12, and the checks that refuse a certificate."""

from __future__ import annotations

import unicodedata
from datetime import UTC, datetime, timedelta

import pytest
from cryptography import x509
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from tinhso.core.errors import ValidationFailed
from tinhso.signing import pki
from tinhso.signing.testing import pooled_key
from tinhso.signing.tests.conftest import CRL_URL


def test_leaf_carries_vietnamese_subject_and_signing_usages(lib_pki):
    cert = lib_pki.leader.certificate
    info = pki.certificate_describe(cert)
    assert info.common_name == "Nguyễn Văn Hùng"
    assert info.organization == "Ủy ban nhân dân tỉnh Phú Thọ"
    assert cert.subject.get_attributes_for_oid(NameOID.COUNTRY_NAME)[0].value == "VN"
    assert set(info.key_usage) == {"digital_signature", "content_commitment"}
    assert info.issuer.startswith("CN=Tỉnh Số CA thử nghiệm")
    assert len(info.fingerprint_sha256) == 64 and not info.is_ca


def test_name_is_stored_nfc_whatever_the_input():
    nfd = unicodedata.normalize("NFD", "Trần Thị Ngọc Ánh")
    name = pki.name_build(common_name=nfd)
    value = name.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    assert value == unicodedata.normalize("NFC", "Trần Thị Ngọc Ánh") and value != nfd


def test_tsa_certificate_has_critical_time_stamping_eku(lib_pki):
    ext = lib_pki.tsa.certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage)
    assert ext.critical
    assert list(ext.value) == [ExtendedKeyUsageOID.TIME_STAMPING]


def test_pkcs12_round_trip_keeps_key_and_chain(lib_pki):
    data = pki.pkcs12_write(material=lib_pki.leader, password="mật-khẩu", friendly_name="Nguyễn Văn Hùng")
    material = pki.pkcs12_read(data=data, password="mật-khẩu")
    assert material.certificate == lib_pki.leader.certificate
    assert material.chain == (lib_pki.root.certificate,)
    assert material.private_key.private_numbers() == lib_pki.leader.private_key.private_numbers()


def test_pkcs12_wrong_password_is_a_clear_error(lib_pki):
    data = pki.pkcs12_write(material=lib_pki.leader, password="dung")
    with pytest.raises(ValidationFailed) as exc:
        pki.pkcs12_read(data=data, password="sai")
    assert exc.value.code == "pkcs12_wrong_password"
    assert "Mật khẩu" in exc.value.detail


def test_not_a_pkcs12_file_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        pki.pkcs12_read(data=b"%PDF-1.7 not a key store", password="x")
    assert exc.value.code in {"pkcs12_invalid", "pkcs12_wrong_password"}


def test_usable_certificate_passes_every_check(lib_pki):
    pki.certificate_check_usable(lib_pki.leader, trust=lib_pki.trust)


def test_expired_certificate_is_refused(lib_pki):
    old = pki.certificate_issue(
        issuer=lib_pki.root, subject=pki.name_build(common_name="Lê Văn Cũ"), key=pooled_key(),
        valid_from=datetime.now(UTC) - timedelta(days=400), days=365,
    )
    with pytest.raises(ValidationFailed) as exc:
        pki.certificate_check_usable(old, trust=lib_pki.trust)
    assert exc.value.code == "certificate_expired"
    assert "+07:00" in exc.value.detail


def test_certificate_without_signing_usage_is_refused(lib_pki):
    encipher_only = pki.certificate_issue(
        issuer=lib_pki.root, subject=pki.name_build(common_name="Phạm Thị Mã Hóa"), key=pooled_key(),
        key_usage=["key_encipherment"],
    )
    with pytest.raises(ValidationFailed) as exc:
        pki.certificate_check_usable(encipher_only, trust=lib_pki.trust)
    assert exc.value.code == "certificate_no_signing_usage"


def test_ca_certificate_may_not_sign_documents(lib_pki):
    with pytest.raises(ValidationFailed) as exc:
        pki.certificate_check_usable(lib_pki.root, trust=lib_pki.trust)
    assert exc.value.code == "certificate_no_signing_usage"


def test_certificate_from_an_unknown_ca_is_untrusted(lib_pki):
    stranger = pki.ca_create(subject=pki.name_build(common_name="CA lạ"), key=pooled_key())
    leaf = pki.certificate_issue(issuer=stranger, subject=pki.name_build(common_name="Người lạ"), key=pooled_key())
    with pytest.raises(ValidationFailed) as exc:
        pki.certificate_check_usable(leaf, trust=lib_pki.trust)
    assert exc.value.code == "certificate_untrusted"


def test_certificate_on_the_crl_is_refused_as_revoked(lib_pki):
    leaf = pki.certificate_issue(issuer=lib_pki.root, subject=pki.name_build(common_name="Vũ Văn Thu Hồi"),
                                 key=pooled_key(), crl_url=CRL_URL)
    crl = pki.crl_issue(
        issuer=lib_pki.root, number=2,
        revoked=[pki.RevokedEntry(leaf.certificate.serial_number, datetime.now(UTC) - timedelta(minutes=1),
                                  x509.ReasonFlags.key_compromise)],
    )
    with pytest.raises(ValidationFailed) as exc:
        pki.certificate_check_usable(leaf, trust=pki.TrustStore(roots=(lib_pki.root.certificate,), crls=(crl,)))
    assert exc.value.code == "certificate_revoked"


def test_crl_lists_revoked_serials_with_number(lib_pki):
    crl = pki.crl_issue(issuer=lib_pki.root, number=7, revoked=[pki.RevokedEntry(12345, datetime.now(UTC))])
    assert crl.extensions.get_extension_for_class(x509.CRLNumber).value.crl_number == 7
    assert crl.get_revoked_certificate_by_serial_number(12345) is not None
    assert crl.is_signature_valid(lib_pki.root.certificate.public_key())
