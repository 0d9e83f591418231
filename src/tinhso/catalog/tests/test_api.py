"""GET /api/v1/procedures, /procedures/{code}, /sectors: shapes, filters, pages, errors, query counts."""

import pytest

from tinhso.catalog.tests.factories import EFORM, full_record, import_records
from tinhso.core.text import sort_key

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(search_set, agencies):
    import_records([full_record(eform=EFORM)])


def test_search_by_name_without_diacritics_lists_the_procedure_first(client, catalogue):
    body = client.get("/api/v1/procedures", {"q": "dang ky khai sinh"}).json()
    first = body["items"][0]
    assert first["name"] == "Thủ tục đăng ký khai sinh"
    assert set(first) >= {"code", "name", "sector", "level", "online_level", "processing_time"}
    assert first["sector"] == {"code": "ho-tich", "name": "Hộ tịch"}
    assert body["count"] == 4 and body["page"] == 1 and body["pages"] == 1


def test_item_carries_level_online_level_and_processing_time(client, catalogue):
    [item] = client.get("/api/v1/procedures", {"q": "1.900101"}).json()["items"][:1]
    assert item["code"] == "1.900101" and item["level"] == "commune" and item["level_display"] == "Cấp xã"
    assert item["online_level"] == "PARTIAL"
    assert item["processing_time"] == {"value": 1, "unit": "working_days", "unit_display": "ngày làm việc",
                                       "text": "01 ngày làm việc"}
    assert item["is_complete"] is True


def test_filters_and_pages(client, catalogue):
    assert [i["code"] for i in client.get("/api/v1/procedures", {"sector": "chung-thuc"}).json()["items"]] == [
        "1.900005", "1.900006"]
    assert [i["code"] for i in client.get("/api/v1/procedures", {"agency": "H44.101.01"}).json()["items"]] == [
        "1.900101"]
    assert [i["code"] for i in client.get("/api/v1/procedures", {"online_level": "FULL"}).json()["items"]] == [
        "1.900013"]
    page2 = client.get("/api/v1/procedures", {"page": 2, "page_size": 5}).json()
    assert page2["count"] == 14 and page2["pages"] == 3 and len(page2["items"]) == 5


def test_bad_filter_is_a_problem_json_422(client, catalogue):
    response = client.get("/api/v1/procedures", {"level": "huyen"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"


def test_list_query_count_does_not_grow_with_the_page(client, catalogue, django_assert_max_num_queries):
    client.get("/api/v1/procedures", {"q": "x"})
    with django_assert_max_num_queries(3):
        client.get("/api/v1/procedures", {"page_size": 50})
    with django_assert_max_num_queries(3):
        client.get("/api/v1/procedures", {"q": "dang ky"})


def test_detail_is_the_full_current_version(client, catalogue, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = client.get("/api/v1/procedures/1.900101")
    assert response.status_code == 200
    body = response.json()
    assert body["version"]["number"] == 1 and body["version"]["published_at"].endswith("+07:00")
    assert body["applicant_types"] == ["Công dân Việt Nam"]
    assert [g["case_name"] for g in body["documents"]] == ["Giấy tờ phải nộp", "Giấy tờ phải xuất trình"]
    tokhai = body["documents"][0]["documents"][0]
    assert (tokhai["code"], tokhai["original_or_copy"], tokhai["is_required"]) == ("TOKHAI", "original", True)
    assert body["documents"][0]["documents"][1]["is_required"] is False  # "(nếu có)"
    fee, rule = body["fees"]
    assert (fee["kind"], fee["amount"], fee["amount_display"]) == ("charge", 15000, "15.000 đ")
    assert (rule["amount"], rule["rule_text"], rule["collected_when"]) == (None, "8.000 đồng/bản", "on_result")
    assert body["agencies"]["receiving"] == [{"code": "H44.101.01",
                                               "name": "Trung tâm Phục vụ hành chính công phường Việt Trì"}]
    assert body["legal_basis"] == [{"number": "60/2014/QH13", "kind": "Luật", "title": "Hộ tịch"}]
    assert body["eform_schema"]["x-order"][0] == "ho_ten"
    steps = body["process"]["steps"]
    assert [s["code"] for s in steps] == ["tham-dinh", "ky-duyet", "tra-ket-qua"]
    assert steps[0]["duration"] == {"value": 4, "unit": "working_hours"}
    assert {"from": "tra-ket-qua", "action": "return_result", "to": None, "label": ""} in body["process"]["transitions"]


def test_detail_of_an_index_entry_has_no_process_and_is_not_complete(client, catalogue):
    body = client.get("/api/v1/procedures/1.900004").json()
    assert body["is_complete"] is False and body["process"] is None and body["documents"] == []
    assert body["agencies"]["implementing_text"] == ["Văn phòng đăng ký đất đai"]
    assert body["processing_time"]["value"] is None


def test_unknown_code_is_a_procedure_not_found_problem(client, catalogue):
    response = client.get("/api/v1/procedures/9.999999")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["code"] == "procedure_not_found"
    assert body["detail"] == "Không tìm thấy thủ tục hành chính mã “9.999999”."


def test_sectors_list_their_procedure_counts_in_vietnamese_order(client, catalogue):
    sectors = client.get("/api/v1/sectors").json()
    names = [s["name"] for s in sectors]
    assert names == sorted(names, key=sort_key)
    by_code = {s["code"]: s for s in sectors}
    assert by_code["ho-tich"]["procedure_count"] == 7
    assert by_code["ho-tich"]["national_code"] == "G15-TP07"


def test_sectors_list_in_two_queries_however_many_sectors(client, catalogue, django_assert_num_queries):
    import_records([full_record(f"1.9002{n:02d}", f"Thủ tục lĩnh vực {n}", field=f"Lĩnh vực thử {n}") for n in range(12)])
    with django_assert_num_queries(2):  # counts per sector, then the sectors
        body = client.get("/api/v1/sectors").json()
    assert len(body) == 19 and sum(s["procedure_count"] for s in body) == 26
