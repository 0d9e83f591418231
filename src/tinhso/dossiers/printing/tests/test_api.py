"""HTTP: the form PDFs of a dossier and the register exports, with their permission checks."""

from __future__ import annotations

import pytest
from django.test import Client

from tinhso.dossiers.inputs import ApplicantInput

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def assert_problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == code


@pytest.fixture
def dossier(world, received, clock, applicant):
    clock.set(2026, 1, 5, 8, 30)
    return received(applicant=ApplicantInput.from_mapping(applicant))


def test_owner_downloads_the_receipt_as_pdf(world, dossier):
    response = as_user(world.citizen).get(f"/api/v1/dossiers/{dossier.code}/forms/receipt.pdf")

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f'filename="{dossier.code}-receipt.pdf"' in response["Content-Disposition"]


def test_forms_of_someone_elses_dossier_are_not_found(world, dossier):
    assert_problem(as_user(world.other_citizen).get(f"/api/v1/dossiers/{dossier.code}/forms/receipt.pdf"),
                   404, "dossier_not_found")
    assert_problem(as_user(world.other_reception).get(f"/api/v1/dossiers/{dossier.code}/forms/handover-log.pdf"),
                   404, "dossier_not_found")
    assert_problem(Client().get(f"/api/v1/dossiers/{dossier.code}/forms/receipt.pdf"), 401, "not_authenticated")


def test_a_form_never_issued_is_a_problem_not_a_blank_pdf(world, dossier):
    assert_problem(as_user(world.reception).get(f"/api/v1/dossiers/{dossier.code}/forms/supplement-request.pdf"),
                   404, "form_not_issued")


def test_register_exports(world, dossier):
    staff = as_user(world.reception)
    query = "agency=H44.12&from=2026-01-01&to=2026-01-31"

    excel = staff.get(f"/api/v1/registers/dossiers.xlsx?{query}")
    pdf = staff.get(f"/api/v1/registers/dossiers.pdf?{query}")

    assert excel.status_code == 200, excel.content
    assert excel["Content-Type"] == XLSX and excel.content.startswith(b"PK")
    assert 'attachment; filename="so-theo-doi-ho-so-H44.12-20260101-20260131.xlsx"' == excel["Content-Disposition"]
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert_problem(as_user(world.citizen).get(f"/api/v1/registers/dossiers.xlsx?{query}"), 403, "forbidden")
    assert_problem(staff.get("/api/v1/registers/dossiers.xlsx?agency=H44.12&from=2026-01-01"), 422, "invalid_input")
    assert_problem(staff.get("/api/v1/registers/dossiers.xlsx?agency=H99.99&from=2026-01-01&to=2026-01-31"),
                   404, "agency_not_found")
