"""Every answer of the API that is not a success is problem+json with a Vietnamese detail (DESIGN §5.12),
including the ones no handler produces: unknown addresses, wrong methods, schema errors, CSRF."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tinhso.accounts.tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ENGLISH = ("Field required", "Input should", "Method not allowed", "CSRF check Failed", "Cannot parse")


def _problem(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["status"] == status and body["type"] == f"urn:tinhso:error:{code}"
    text = response.content.decode("unicode_escape")
    assert not any(word in text for word in ENGLISH), text
    return body


def test_unknown_api_address_is_a_problem_not_the_html_page(client):
    body = _problem(client.get("/api/v1/khong-ton-tai"), 404, "not_found")
    assert "/api/v1/khong-ton-tai" in body["detail"] and "/api/v1/docs" in body["detail"]
    # The HTML 404 page stays for the portal.
    assert client.get("/khong-ton-tai/")["Content-Type"].startswith("text/html")


def test_wrong_method_is_a_405_problem_naming_the_allowed_ones(client):
    response = client.delete("/api/v1/procedures")
    body = _problem(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET" and "DELETE" in body["detail"] and "GET" in body["detail"]


def test_schema_errors_are_explained_in_vietnamese_per_field(client):
    body = _problem(client.get("/api/v1/calendar/due-date", {"agency": "H44", "amount": "-1"}), 422, "invalid_input")
    messages = {e["field"]: (e["message"], e["type"]) for e in body["errors"]}
    assert messages == {
        "start": ("Thiếu giá trị bắt buộc.", "missing"),
        "amount": ("Phải lớn hơn hoặc bằng 0.", "greater_than_equal"),
    }
    body = _problem(client.get("/api/v1/procedures", {"level": "huyen", "page": "hai"}), 422, "invalid_input")
    messages = {e["field"]: e["message"] for e in body["errors"]}
    assert messages == {
        "level": "Giá trị không hợp lệ; dùng một trong: 'province', 'commune' hoặc 'both'.",
        "page": "Phải là số nguyên.",
    }


def test_a_post_without_credentials_is_not_refused_as_a_csrf_failure():
    # No session cookie means no session to forge: the caller is anonymous and told to sign in.
    client = Client(enforce_csrf_checks=True)
    upload = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    _problem(client.post("/api/v1/files", {"file": upload}), 401, "not_authenticated")


def test_a_session_post_without_the_csrf_token_is_refused_in_vietnamese():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory(username="canbo.csrf"))
    upload = SimpleUploadedFile("to-khai.pdf", b"%PDF-1.4\n%%EOF\n", content_type="application/pdf")
    body = _problem(client.post("/api/v1/files", {"file": upload}), 403, "forbidden")
    assert "CSRF" in body["detail"] and body["title"] == "Không có quyền"


def test_a_body_that_is_not_json_is_a_vietnamese_problem(client):
    user = UserFactory(username="canbo.json")
    client.force_login(user)
    body = _problem(client.post("/api/v1/dossiers", "{khong phai json", content_type="application/json"), 400,
                    "http_error")
    assert "JSON" in body["detail"]
