"""API: sign and verify over HTTP, with problem+json errors in Vietnamese."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.signing.models import SignatureRecord
from tinhso.signing.testing import signing_setup
from tinhso.signing.tests.conftest import flip_byte
from tinhso.signing.tests.factories import agency_with_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def org(db):
    return agency_with_staff()


@pytest.fixture
def ready(org, fast_keys):
    agency, leader, clerk, _ = org
    return signing_setup(agency=agency, leader=leader, clerk=clerk)


def _pdf(data: bytes, name: str = "ket-qua.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def _sign(client, pdf: bytes, certificate, kind: str, **extra):
    return client.post("/api/v1/signatures", data={
        "file": _pdf(pdf), "certificate": str(certificate), "kind": kind, "reason": "Phê duyệt", **extra,
    })


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code
    return body


def test_sign_then_seal_then_verify_over_the_api(client, org, ready, result_pdf):
    _agency, leader, clerk, _ = org
    client.force_login(leader)
    response = _sign(client, result_pdf, ready.personal.pk, "personal", location="Phú Thọ")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="ket-qua-da-ky.pdf"'
    signed = response.content

    client.force_login(clerk)
    response = _sign(client, signed, ready.agency.fingerprint_sha256, "agency")  # by fingerprint this time
    assert response.status_code == 200, response.content

    client.logout()  # anyone may verify
    report = client.post("/api/v1/signatures/verify", data={"file": _pdf(response.content)}).json()
    assert report["verdict"] == "valid" and report["verdict_label"] == "Chữ ký hợp lệ"
    first, second = report["signatures"]
    assert first["signer_common_name"] == "Đặng Minh Khoa"
    assert second["signer_common_name"] == "Ủy ban nhân dân tỉnh Phú Thọ"
    assert first["location"] == "Phú Thọ" and first["trusted"] and first["intact"]
    assert first["timestamp_time"].endswith("+07:00")


def test_verify_reports_a_tampered_file(client, org, ready, result_pdf):
    _agency, leader, _clerk, _ = org
    client.force_login(leader)
    signed = _sign(client, result_pdf, ready.personal.pk, "personal").content
    report = client.post("/api/v1/signatures/verify", data={"file": _pdf(flip_byte(signed))}).json()
    assert report["verdict"] == "modified"
    assert report["signatures"][0]["modified_after_signing"] is True


def test_signing_needs_a_login(client, ready, result_pdf):
    _problem(_sign(client, result_pdf, ready.personal.pk, "personal"), 401, "not_authenticated")


def test_signing_with_someone_elses_certificate_is_forbidden(client, org, ready, result_pdf):
    _agency, _leader, clerk, _ = org
    client.force_login(clerk)
    body = _problem(_sign(client, result_pdf, ready.personal.pk, "personal"), 403, "certificate_not_yours")
    assert "không được ký" in body["detail"]


def test_upload_that_is_not_a_pdf(client, org, ready):
    _agency, leader, _clerk, _ = org
    client.force_login(leader)
    body = _problem(_sign(client, b"\x89PNG\r\n\x1a\n not a pdf", ready.personal.pk, "personal"), 422, "invalid_pdf")
    assert body["detail"] == "Tệp không phải là tài liệu PDF."
    _problem(client.post("/api/v1/signatures/verify", data={"file": _pdf(b"%PDF-1.7 broken")}), 422, "invalid_pdf")


def test_upload_over_the_size_limit(client, org, ready, result_pdf, settings):
    _agency, leader, _clerk, _ = org
    settings.TINHSO_MAX_UPLOAD_BYTES = 1024
    client.force_login(leader)
    _problem(_sign(client, result_pdf, ready.personal.pk, "personal"), 422, "file_too_large")
    _problem(client.post("/api/v1/signatures/verify", data={"file": _pdf(result_pdf)}), 422, "file_too_large")


def test_unknown_certificate_and_bad_box(client, org, ready, result_pdf):
    _agency, leader, _clerk, _ = org
    client.force_login(leader)
    _problem(_sign(client, result_pdf, 999999, "personal"), 404, "certificate_not_found")
    _problem(_sign(client, result_pdf, ready.personal.pk, "personal", box="a,b"), 422, "invalid_signature_box")
    _problem(_sign(client, result_pdf, ready.personal.pk, "personal", page=9), 422, "invalid_signature_page")


def test_explicit_page_and_box(client, org, ready, result_pdf):
    _agency, leader, _clerk, _ = org
    client.force_login(leader)
    response = _sign(client, result_pdf, ready.personal.pk, "personal", page=1, box="300,100,500,190")
    assert response.status_code == 200
    assert SignatureRecord.objects.get().page == 1


def test_certificate_list_shows_what_the_caller_may_use(client, org, ready):
    _agency, leader, clerk, specialist = org
    client.force_login(leader)
    rows = client.get("/api/v1/certificates").json()
    assert {(r["kind"], r["common_name"]) for r in rows} == {
        ("personal", "Đặng Minh Khoa"), ("agency", "Ủy ban nhân dân tỉnh Phú Thọ"),
    }
    assert all(r["not_after"].endswith("+07:00") and "private" not in str(r) for r in rows)
    client.force_login(clerk)
    assert [r["kind"] for r in client.get("/api/v1/certificates").json()] == ["agency"]
    client.force_login(specialist)
    assert client.get("/api/v1/certificates").json() == []
    client.logout()
    _problem(client.get("/api/v1/certificates"), 401, "not_authenticated")


def _keyed(client, pdf: bytes, certificate, reason: str = "Phê duyệt"):
    return client.post("/api/v1/signatures", data={
        "file": _pdf(pdf), "certificate": str(certificate), "kind": "personal", "reason": reason,
    }, headers={"Idempotency-Key": "ky-ket-qua-0001"})


def test_idempotency_key_replays_the_same_signed_bytes(client, org, ready, result_pdf, settings, tmp_path):
    from tinhso.core.models import StoredFile

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    _agency, leader, _clerk, _ = org
    client.force_login(leader)
    first = _keyed(client, result_pdf, ready.personal.pk)
    assert first.status_code == 200, first.content
    assert "Idempotent-Replayed" not in first
    again = _keyed(client, result_pdf, ready.personal.pk)
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert again.content == first.content  # not signed twice: a new signature would differ (time, timestamp)
    assert again["Content-Disposition"] == 'attachment; filename="ket-qua-da-ky.pdf"'
    assert SignatureRecord.objects.count() == 1
    stored = StoredFile.objects.get(uploaded_by=leader)
    assert stored.original_name == "ket-qua-da-ky.pdf" and stored.size == len(first.content)

    other = _keyed(client, result_pdf, ready.personal.pk, reason="Khác")
    _problem(other, 422, "idempotency_key_reused")
    without_key = _sign(client, result_pdf, ready.personal.pk, "personal")
    assert without_key.status_code == 200 and without_key.content != first.content
    assert SignatureRecord.objects.count() == 2 and StoredFile.objects.count() == 1
