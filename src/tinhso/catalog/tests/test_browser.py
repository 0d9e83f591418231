"""In a real browser (Playwright + the system Chromium): search without diacritics, open a procedure,
switch contrast and text size and find them still applied after a reload, print the page."""

import re

import pytest
from playwright.sync_api import expect

from tinhso.catalog.tests.factories import EFORM, full_record, import_records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(search_set, agencies):
    import_records([full_record(eform=EFORM)])


def test_search_without_diacritics_then_open_the_procedure(page, live_server, catalogue):
    page.goto(f"{live_server.url}/")
    page.get_by_label("Tìm thủ tục hành chính").fill("dang ky khai sinh")
    page.get_by_label("Tìm thủ tục hành chính").press("Enter")

    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang"))
    first = page.locator(".procedure-item").first
    expect(first).to_contain_text("Thủ tục đăng ký khai sinh")
    expect(page.get_by_role("status")).to_contain_text("Tìm thấy 4 thủ tục")

    page.get_by_label("Lĩnh vực").select_option("ho-tich")
    page.get_by_role("button", name="Áp dụng bộ lọc").click()
    expect(page.locator(".procedure-item")).to_have_count(3)

    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thủ tục đăng ký khai sinh")
    expect(page.get_by_role("heading", name="Thông tin chung")).to_be_visible()


def test_procedure_page_and_eform_errors_in_the_browser(page, live_server, catalogue):
    page.goto(f"{live_server.url}/thu-tuc/1.900101/")
    expect(page.get_by_role("heading", name="Thành phần hồ sơ")).to_be_visible()
    expect(page.get_by_role("table").first).to_contain_text("Tờ khai theo mẫu")
    page.get_by_label("Họ và tên").fill("Nguyễn Văn An")
    page.get_by_role("button", name="Kiểm tra thông tin").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Vui lòng nhập ngày sinh.")
    expect(page.get_by_label("Họ và tên")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Ngày sinh")).to_have_attribute("aria-invalid", "true")

    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="In trang này")).to_be_hidden()
    expect(page.get_by_role("heading", name="Phí, lệ phí")).to_be_visible()


def test_contrast_and_text_size_switches_persist(page, live_server, catalogue):
    html = page.locator("html")
    page.goto(f"{live_server.url}/thu-tuc/1.900101/")
    normal = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")

    page.get_by_role("button", name="Tương phản cao").click()
    page.get_by_role("button", name="Cỡ chữ rất lớn").click()
    expect(html).to_have_class(re.compile(r"\bcontrast-high\b"))
    expect(html).to_have_class(re.compile(r"\btext-larger\b"))

    page.reload()
    expect(html).to_have_class(re.compile(r"\bcontrast-high\b"))
    expect(html).to_have_class(re.compile(r"\btext-larger\b"))
    expect(page.get_by_role("button", name="Tương phản cao")).to_have_attribute("aria-pressed", "true")
    larger = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert larger == pytest.approx(normal * 1.375)
    background = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
    assert background == "rgb(0, 0, 0)"

    page.goto(f"{live_server.url}/thu-tuc/?q=chung+thuc")  # another page keeps the choice
    expect(html).to_have_class(re.compile(r"\bcontrast-high\b"))
    page.get_by_role("button", name="Tương phản cao").click()
    page.get_by_role("button", name="Cỡ chữ thường").click()
    page.reload()
    expect(html).not_to_have_class(re.compile(r"\bcontrast-high\b"))
    expect(html).to_have_class(re.compile(r"\btext-normal\b"))


def test_keyboard_only_search(page, live_server, catalogue):
    page.goto(f"{live_server.url}/thu-tuc/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Bỏ qua điều hướng, đến nội dung chính")).to_be_focused()
    page.get_by_label("Tên thủ tục hoặc từ khóa").focus()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"  # the focus ring is visible
    page.keyboard.type("chung thuc ban sao")
    page.keyboard.press("Enter")
    expect(page.locator(".procedure-item").first).to_contain_text("Chứng thực bản sao từ bản chính")
