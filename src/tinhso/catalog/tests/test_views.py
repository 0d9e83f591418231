"""Public pages: search with filters (no JavaScript needed), the procedure page, the home page."""

import pytest

from tinhso.catalog.tests.factories import EFORM, full_record, import_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(search_set, agencies):
    import_records([full_record(eform=EFORM, tinhso_notes="Mức lệ phí chưa được kiểm chứng.")])


def test_search_page_shows_ranked_results_with_their_facts(client, catalogue):
    html = client.get("/thu-tuc/", {"q": "dang ky khai sinh"}).content.decode()
    first = html.index('href="/thu-tuc/1.900001/"')
    assert first < html.index('href="/thu-tuc/1.900003/"') < html.index('href="/thu-tuc/1.900002/"')
    assert "Tìm thấy 4 thủ tục cho “dang ky khai sinh”." in html
    assert 'role="search"' in html and '<label for="q">' in html and 'aria-describedby="q-help"' in html
    assert 'Lĩnh vực: <span lang="vi">Hộ tịch</span>' in html


def test_search_page_query_count_does_not_grow_with_the_results(client, catalogue, django_assert_max_num_queries):
    client.get("/thu-tuc/", {"q": "x"})  # the process loads the search vocabulary once
    # search (3), sectors for the filter (2), agencies for the filter (1), session-free page
    with django_assert_max_num_queries(6):
        few = client.get("/thu-tuc/", {"q": "ket hon"})
    with django_assert_max_num_queries(6):
        many = client.get("/thu-tuc/")
    assert few.content.decode().count('class="procedure-item"') == 1
    assert many.content.decode().count('class="procedure-item"') == 14


def test_filters_are_a_plain_get_form_and_keep_their_values(client, catalogue):
    html = client.get("/thu-tuc/", {"sector": "chung-thuc", "level": "commune"}).content.decode()
    assert '<option lang="vi" value="chung-thuc" selected>' in html and '<option value="commune" selected>' in html
    assert "1.900005" in html and "1.900001" not in html
    assert 'href="/thu-tuc/"' in html  # "Xóa điều kiện tìm"


def test_pagination_links_keep_the_query(client, catalogue, monkeypatch):
    from tinhso.catalog import views

    monkeypatch.setattr(views, "RESULTS_PER_PAGE", 5)
    html = client.get("/thu-tuc/", {"q": "", "sector": "ho-tich"}).content.decode()
    assert 'href="?sector=ho-tich&amp;page=2"' in html and "Trang 1/2" in html


def test_unknown_filter_value_shows_a_message_not_an_error_page(client, catalogue):
    response = client.get("/thu-tuc/", {"online_level": "MUC4"})
    assert response.status_code == 200
    assert "Mức độ trực tuyến “MUC4” không hợp lệ" in response.content.decode()


def test_procedure_page_shows_every_part_and_can_be_printed(client, catalogue):
    html = client.get("/thu-tuc/1.900101/").content.decode()
    for text in ("Đăng ký thử nghiệm đầy đủ", "Mã thủ tục: 1.900101", "Thời hạn giải quyết", "1 ngày làm việc",
                 "Trình tự thực hiện", "Thành phần hồ sơ", '<caption lang="vi">Giấy tờ phải nộp</caption>', "Tờ khai theo mẫu",
                 "Phí, lệ phí", "15.000 đ", "8.000 đồng/bản", "Khi nhận kết quả", "Căn cứ pháp lý", "60/2014/QH13",
                 "Kết quả thực hiện", "Trích lục", "Nơi tiếp nhận hồ sơ",
                 "Trung tâm Phục vụ hành chính công phường Việt Trì", "Quy trình giải quyết nội bộ",
                 "Thẩm định hồ sơ", "Chuyên viên", "tối đa 4 giờ làm việc", "Biểu mẫu điện tử",
                 'for="eform-ho_ten"', "Ghi chú về dữ liệu", "Mức lệ phí chưa được kiểm chứng.",
                 'onclick="window.print()"', "catalog/catalog.css"):
        assert text in html, text


def test_form_template_files_are_downloaded_from_the_procedure_page(client, catalogue, settings, tmp_path):
    from django.core.exceptions import ValidationError
    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    from tinhso.catalog.models import ProcedureVersion, RequiredDocument

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    name = default_storage.save("catalog/templates/2026/to-khai-khai-sinh.docx", ContentFile(b"PK\x03\x04 to khai"))
    form = RequiredDocument.objects.get(version__procedure__code="1.900101", code="TOKHAI")
    RequiredDocument.objects.filter(pk=form.pk).update(template_file=name)  # as the admin stored it in the draft

    html = client.get("/thu-tuc/1.900101/").content.decode()
    url = f"/thu-tuc/1.900101/mau/{form.pk}/"
    assert f'href="{url}" download lang="vi">Mẫu tờ khai</a>' in html
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"PK\x03\x04 to khai"
    assert response["Content-Disposition"] == 'attachment; filename="to-khai-khai-sinh.docx"'
    detail = client.get("/api/v1/procedures/1.900101").json()
    assert [d["template_url"] for g in detail["documents"] for d in g["documents"] if d["code"] == "TOKHAI"] == [url]

    # another procedure's code, a document without a file, a draft's file: nothing to download
    assert client.get(f"/thu-tuc/1.900001/mau/{form.pk}/").status_code == 404
    other = RequiredDocument.objects.get(version__procedure__code="1.900101", code="GTTT")
    assert client.get(f"/thu-tuc/1.900101/mau/{other.pk}/").status_code == 404
    version = ProcedureVersion.objects.create(procedure=form.version.procedure, number=9, name="Nháp",
                                              sector=form.version.sector, level="commune")
    draft = RequiredDocument.objects.create(version=version, code="X", name="Tờ khai nháp", template_file=name)
    assert client.get(f"/thu-tuc/1.900101/mau/{draft.pk}/").status_code == 404
    # an administrator cannot attach a program or a web page as a "form"
    draft.template_file.name = "catalog/templates/2026/mau.html"
    with pytest.raises(ValidationError) as error:
        draft.full_clean()
    assert "template_file" in error.value.message_dict


def test_index_only_procedure_says_details_are_coming(client, catalogue):
    html = client.get("/thu-tuc/1.900004/").content.decode()
    assert "mới có thông tin danh mục" in html


def test_eform_is_checked_on_the_server_with_vietnamese_errors(client, catalogue):
    response = client.post("/thu-tuc/1.900101/", {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": "123"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'class="error-summary" role="alert"' in html
    assert '<a href="#eform-ngay_sinh">Vui lòng nhập ngày sinh.</a>' in html
    assert "Số định danh cá nhân phải gồm đúng 12 chữ số." in html
    assert 'value="Nguyễn Văn An"' in html  # what was typed stays

    ok = client.post("/thu-tuc/1.900101/", {"ho_ten": "Nguyễn Văn An", "ngay_sinh": "1985-03-12", "gioi_tinh": "nam",
                                            "so_dinh_danh": "025085001234", "cam_doan": "on"}, follow=True)
    assert "Thông tin trên biểu mẫu hợp lệ" in ok.content.decode()


def test_unknown_procedure_is_404(client, catalogue):
    assert client.get("/thu-tuc/9.999999/").status_code == 404


def test_home_page_has_the_search_box_and_the_most_used_procedures(client, catalogue):
    html = client.get("/").content.decode()
    assert 'action="/thu-tuc/"' in html and "Tìm thủ tục hành chính" in html
    popular = html[html.index("Thủ tục được sử dụng nhiều"):]
    assert popular.index("/thu-tuc/1.900005/") < popular.index("/thu-tuc/1.900004/") < popular.index("/thu-tuc/1.900006/")


def test_english_is_available(client, catalogue, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/thu-tuc/")
    assert response.status_code == 200 and 'lang="en"' in response.content.decode()
