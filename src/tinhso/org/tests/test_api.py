import pytest

from tinhso.org.models import AdministrativeUnit
from tinhso.org.services import administrative_units_load
from tinhso.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

DUE = "/api/v1/calendar/due-date"


def _problem(response, status, code):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == code and body["detail"]
    return body


@pytest.fixture
def tree(province_calendar):
    justice = AgencyFactory(code="H44.02", name="Sở Tư pháp tỉnh Phú Thọ", parent=province_calendar)
    ward = AgencyFactory(code="H44.101", name="Ủy ban nhân dân phường Việt Trì", level="commune",
                         kind="people_committee", parent=province_calendar)
    return {"province": province_calendar, "justice": justice, "ward": ward}


def test_agencies_list_shape_and_filters(client, tree):
    body = client.get("/api/v1/agencies").json()
    assert body["count"] == 3
    by_code = {item["code"]: item for item in body["items"]}
    assert by_code["H44.101"] == {
        "code": "H44.101",
        "name": "Ủy ban nhân dân phường Việt Trì",
        "short_name": "",
        "level": "commune",
        "kind": "people_committee",
        "administrative_unit": None,
        "parent": "H44",
    }
    assert by_code["H44"]["parent"] is None

    assert [a["code"] for a in client.get("/api/v1/agencies?level=commune").json()["items"]] == ["H44.101"]
    assert [a["code"] for a in client.get("/api/v1/agencies?parent=H44").json()["items"]] == ["H44.02", "H44.101"]
    # Diacritics- and case-insensitive.
    assert [a["code"] for a in client.get("/api/v1/agencies", {"q": "so tu phap"}).json()["items"]] == ["H44.02"]
    assert [a["code"] for a in client.get("/api/v1/agencies", {"q": "Việt Trì"}).json()["items"]] == ["H44.101"]
    _problem(client.get("/api/v1/agencies?level=district"), 422, "invalid_input")


def test_agencies_list_is_paginated_by_50_in_two_queries(client, django_assert_num_queries):
    administrative_units_load(ward_provinces=[])
    province = AdministrativeUnit.objects.get(code="25", valid_to__isnull=True)
    parent = AgencyFactory(code="H44", administrative_unit=province)
    for n in range(59):
        AgencyFactory(code=f"H44.{n + 1}", administrative_unit=province, parent=parent)
    with django_assert_num_queries(2):  # count + one page, related rows joined
        first = client.get("/api/v1/agencies").json()
    assert first["count"] == 60 and len(first["items"]) == 50
    assert len(client.get("/api/v1/agencies?page=2").json()["items"]) == 10


def test_agency_detail_and_unknown_agency(client, tree):
    body = client.get("/api/v1/agencies/h44.02").json()
    assert body["code"] == "H44.02" and body["parent"] == "H44"
    _problem(client.get("/api/v1/agencies/H44.99"), 404, "agency_not_found")


def test_administrative_units_by_parent_and_kind(client):
    administrative_units_load(ward_provinces=["H44"])
    wards = client.get("/api/v1/administrative-units", {"parent": "25", "kind": "ward"}).json()
    assert wards["count"] == 15
    assert "Phường Việt Trì" in {u["name"] for u in wards["items"]}
    provinces = client.get("/api/v1/administrative-units", {"kind": "province"}).json()
    assert provinces["count"] == 28
    old = client.get("/api/v1/administrative-units", {"kind": "province", "on": "2025-06-30", "q": "vinh phuc"})
    assert [(u["code"], u["valid_to"]) for u in old.json()["items"]] == [("26", "2025-06-30")]


def test_administrative_units_list_is_two_queries_per_page(client, django_assert_num_queries):
    administrative_units_load(ward_provinces=["H44"])
    with django_assert_num_queries(2):  # count + one page, the parent joined
        body = client.get("/api/v1/administrative-units", {"parent": "25"}).json()
    assert body["count"] == 148 and len(body["items"]) == 50
    assert {u["parent"] for u in body["items"]} == {"25"}


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        # Tết Bính Ngọ 2026: Sat 14/02 – Sun 22/02 off (vn-standards §11.2).
        ("2026-02-13T09:00:00+07:00", "3", "working_days", "2026-02-25T09:00:00+07:00"),
        # Naive start = Vietnamese wall-clock time.
        ("2026-02-13T09:00:00", "3", "working_days", "2026-02-25T09:00:00+07:00"),
        # Same instant given in UTC.
        ("2026-02-13T02:00:00Z", "3", "working_days", "2026-02-25T09:00:00+07:00"),
        # National Day 2026: Saturday 22/08 is worked in exchange for Monday 31/08.
        ("2026-08-21T09:00:00+07:00", "1", "working_days", "2026-08-22T09:00:00+07:00"),
        # Fri 28/08 + 1 working day: Mon 31/08 (swapped), Tue 1/9 and Wed 2/9 are off → Thu 03/09.
        ("2026-08-28T09:00:00+07:00", "1", "working_days", "2026-09-03T09:00:00+07:00"),
        ("2026-08-28T16:00:00+07:00", "2", "working_hours", "2026-09-03T08:30:00+07:00"),
        ("2026-08-28T09:00:00+07:00", "3", "days", "2026-09-03T07:30:00+07:00"),
    ],
)
def test_due_date_on_the_agency_calendar(client, tree, start, amount, unit, expected):
    response = client.get(DUE, {"agency": "H44.02", "start": start, "amount": amount, "unit": unit})
    assert response.status_code == 200, response.content
    assert response.json() == {"due_at": expected, "calendar": "PT"}


def test_due_date_accepts_an_unencoded_plus_in_the_offset(client, tree):
    # "…+07:00" typed into a URL arrives as "… 07:00".
    response = client.get(f"{DUE}?agency=H44.101&start=2026-02-13T09:00:00+07:00&amount=3")
    assert response.json()["due_at"] == "2026-02-25T09:00:00+07:00"


def test_due_date_errors_are_problem_json(client, tree):
    params = {"agency": "H44.02", "start": "2026-02-13T09:00:00+07:00", "amount": "3"}
    _problem(client.get(DUE, {**params, "agency": "H44.77"}), 404, "agency_not_found")
    _problem(client.get(DUE, {**params, "unit": "weeks"}), 422, "invalid_time_unit")
    _problem(client.get(DUE, {**params, "start": "13/02/2026"}), 422, "invalid_start")
    _problem(client.get(DUE, {**params, "amount": "-1"}), 422, "invalid_input")
