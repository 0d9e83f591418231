"""The public verify page (works without JavaScript) and the demo CA's published files."""

from __future__ import annotations

import re

import pytest
from cryptography import x509
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.signing import pki
from tinhso.signing.models import TrustAnchor
from tinhso.signing.services import pdf_sign
from tinhso.signing.testing import signing_setup
from tinhso.signing.tests.conftest import flip_byte
from tinhso.signing.tests.factories import agency_with_staff

pytestmark = pytest.mark.django_db
URL = "/xac-thuc-chu-ky/"


@pytest.fixture
def signed(db, fast_keys, result_pdf):
    agency, leader, clerk, _ = agency_with_staff()
    ready = signing_setup(agency=agency, leader=leader, clerk=clerk)
    personal = pdf_sign(actor=leader, pdf=result_pdf, certificate=ready.personal, kind="personal",
                        reason="Phê duyệt kết quả", location="Phú Thọ")
    return pdf_sign(actor=clerk, pdf=personal, certificate=ready.agency, kind="agency", reason="Phát hành")


def _upload(client, data: bytes):
    return client.post(URL, {"file": SimpleUploadedFile("ket-qua.pdf", data, content_type="application/pdf")})


def test_page_has_an_accessible_upload_form(client):
    html = client.get(URL).content.decode()
    assert "Kiểm tra chữ ký số trên tài liệu PDF" in html
    assert 'enctype="multipart/form-data"' in html and 'method="post"' in html
    assert re.search(r'<label for="id_file">Tệp PDF cần kiểm tra</label>', html)
    assert 'id="id_file" name="file"' in html


def test_valid_document_shows_each_signer_and_a_clear_verdict(client, signed):
    response = _upload(client, signed)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="verdict verdict-valid"' in html and "Chữ ký hợp lệ" in html
    assert "Đặng Minh Khoa" in html and "Ủy ban nhân dân tỉnh Phú Thọ" in html
    assert "Tỉnh Số CA thử nghiệm" in html  # the issuer
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2} \+07:00 \(theo dấu thời gian tin cậy\)", html)
    assert "Thuộc nguồn tin cậy" in html and "Phê duyệt kết quả" in html


def test_tampered_document_is_called_modified(client, signed):
    html = _upload(client, flip_byte(signed)).content.decode()
    assert "verdict-modified" in html and "Tài liệu đã bị thay đổi sau khi ký" in html


def test_document_from_an_untrusted_ca(client, signed):
    TrustAnchor.objects.update(is_active=False)
    html = _upload(client, signed).content.decode()
    assert "Chữ ký hợp lệ nhưng chứng thư số không thuộc nguồn tin cậy" in html


def test_not_a_pdf_shows_the_error_next_to_the_field(client):
    response = _upload(client, b"hello")
    html = response.content.decode()
    assert response.status_code == 422
    assert 'role="alert"' in html and "Tệp không phải là tài liệu PDF." in html
    assert 'aria-invalid="true"' in html


def test_demo_ca_root_and_crl_are_published(client, fast_keys):
    assert client.get("/pki/crl/demo-root.crl").status_code == 404  # before demo-init
    signing_setup()
    root = x509.load_der_x509_certificate(client.get("/pki/ca/demo-root.crt").content)
    crl = x509.load_der_x509_crl(client.get("/pki/crl/demo-root.crl").content)
    assert pki.is_ca(root) and crl.is_signature_valid(root.public_key())


def test_forged_certificate_inside_the_signature_is_a_verdict_not_a_server_error(client, signed):
    from tinhso.signing.pades import pdf_open

    cert_hex = pdf_open(signed).embedded_regular_signatures[0].signer_cert.dump().hex().encode()
    at = signed.lower().find(cert_hex) + len(cert_hex) // 2
    forged = signed[:at] + (b"0" if signed[at:at + 1] != b"0" else b"1") + signed[at + 1:]
    response = _upload(client, forged)
    html = response.content.decode()
    assert response.status_code == 200 and "verdict-invalid" in html
    assert "Không xác định được người ký" in html and "Không xác định" in html


def test_english_page_explains_the_verdict_in_english_and_the_api_stays_vietnamese(client, signed):
    client.post("/i18n/setlang/", {"language": "en", "next": URL})
    html = _upload(client, signed).content.decode()
    assert '<html lang="en"' in html
    assert "All 2 digital signatures in the document are valid" in html
    assert "The signature is valid: the document has not been changed since it was signed" in html
    assert "Chữ ký hợp lệ:" not in html and "Tất cả" not in html
    # the signer and the reason are Vietnamese data: read with a Vietnamese voice (WCAG 3.1.2)
    assert '<dd><span lang="vi">Đặng Minh Khoa' in html and '<dd lang="vi">Phê duyệt kết quả</dd>' in html

    api = client.post("/api/v1/signatures/verify",
                      {"file": SimpleUploadedFile("ket-qua.pdf", signed, content_type="application/pdf")}).json()
    assert api["summary"].startswith("Tất cả 2 chữ ký số trong tài liệu đều hợp lệ")
    assert api["signatures"][0]["explanation"].startswith("Chữ ký hợp lệ: tài liệu không bị thay đổi sau khi ký")


def test_a_modified_file_does_not_make_a_trusted_certificate_untrusted(client, signed):
    """Two separate verdicts (issue #18): what happened to the file, and who the signer is."""
    html = _upload(client, flip_byte(signed)).content.decode()
    assert "Đã bị thay đổi" in html
    assert "Không thuộc nguồn tin cậy" not in html and "Thuộc nguồn tin cậy" in html
    TrustAnchor.objects.update(is_active=False)  # and an unknown CA stays untrusted, modified or not
    html = _upload(client, flip_byte(signed)).content.decode()
    assert "Đã bị thay đổi" in html and "Không thuộc nguồn tin cậy" in html
