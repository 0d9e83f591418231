import pytest

from tinhso.org.tests.factories import AgencyFactory, DepartmentFactory
from tinhso.portal import quicklinks
from tinhso.portal.quicklinks import quick_links, search_target

pytestmark = pytest.mark.django_db


def test_home_has_a_labelled_search_box_and_working_quick_links(client):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and '<label for="home-search">' in html
    target = search_target()
    assert f'action="{target["url"]}"' in html
    assert client.get(target["url"], {"q": "tu phap"}).status_code == 200
    for link in quick_links():
        assert f'href="{link["url"]}"' in html
        assert client.get(link["url"]).status_code == 200
    assert 'href="/co-quan/"' in html


def test_search_falls_back_to_the_first_target_that_exists(monkeypatch):
    monkeypatch.setattr(
        quicklinks,
        "SEARCH_TARGETS",
        [("khong:ton_tai", "Tìm gì đó", ""), ("portal:agency_list", "Tìm cơ quan, đơn vị", "Ví dụ")],
    )
    assert search_target() == {"url": "/co-quan/", "label": "Tìm cơ quan, đơn vị", "placeholder": "Ví dụ"}
    monkeypatch.setattr(quicklinks, "QUICK_LINKS", [quicklinks.QuickLink("khong:ton_tai", "Chưa có", "")])
    assert quick_links() == []


def test_agency_directory_searches_without_diacritics(client):
    AgencyFactory(code="H93.02", name="Sở Tư pháp tỉnh Phú Thọ")
    AgencyFactory(code="H93.03", name="Sở Xây dựng tỉnh Phú Thọ")
    html = client.get("/co-quan/", {"q": "so tu phap"}).content.decode()
    assert "Sở Tư pháp tỉnh Phú Thọ" in html
    assert "Sở Xây dựng" not in html
    assert "Tìm thấy 1 cơ quan, đơn vị." in html


def test_agency_directory_query_count_does_not_grow_with_the_agencies(client, django_assert_max_num_queries):
    parent = AgencyFactory(code="H93", name="Ủy ban nhân dân tỉnh")
    for n in range(30):
        AgencyFactory(code=f"H93.{n + 1}", name=f"Sở thứ {n + 1}", parent=parent)
    with django_assert_max_num_queries(2):
        html = client.get("/co-quan/").content.decode()
    assert "Tìm thấy 31 cơ quan, đơn vị." in html and 'href="/co-quan/H93.30/"' in html


def test_agency_page_lists_departments_and_children(client):
    parent = AgencyFactory(code="H93", name="Ủy ban nhân dân tỉnh")
    DepartmentFactory(agency=parent, code="VP", name="Văn phòng")
    AgencyFactory(code="H93.01", name="Sở Nội vụ", parent=parent)
    html = client.get("/co-quan/H93/").content.decode()
    assert "Văn phòng" in html and "Sở Nội vụ" in html and 'href="/co-quan/H93.01/"' in html
    assert client.get("/co-quan/H93.99/").status_code == 404
