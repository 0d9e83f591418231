"""Browser test of the statistics (issue #14) in Debian's Chromium: the province's monitor opens the
dashboard, chooses a quarter, clicks the late count of one commune and lands on exactly those
dossiers; the QĐ 766 page drills down group → indicator → agency → a dossier that loses points, and
opens it. axe checks every statistics page (WCAG 2.1 AA)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tinhso.dossiers.tests import factories as f
from tinhso.portal.tests.test_accessibility import Audit
from tinhso.reports.tests.conftest import DossierMaker, at, province  # noqa: F401  (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-2026"
expect.set_options(timeout=20_000)


def test_leader_filters_a_quarter_and_lands_on_the_late_dossiers(live_server, page, province):  # noqa: F811
    monitor = f.grant(f.user("giam-sat-tinh"), province.committee, "monitor")
    make = DossierMaker(province)
    due = at(2026, 2, 20, 17)
    late = [make(agency=province.commune, resolved=at(2026, 2, 25 + i, 9), due=due, verdict="late") for i in range(2)]
    make(agency=province.commune, resolved=at(2026, 2, 10, 9), due=due, verdict="on_time")
    make(agency=province.other_commune, resolved=at(2026, 2, 26, 9), due=due, verdict="late")  # another commune
    make(agency=province.commune, received=at(2026, 5, 4, 9), resolved=at(2026, 5, 20, 9), due=at(2026, 5, 8, 17),
         verdict="late")  # another quarter
    base = live_server.url
    audit = Audit(page, base)

    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(monitor.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=re.compile("Đăng xuất"))).to_be_visible()

    page.get_by_role("link", name="Thống kê", exact=True).first.click()
    page.get_by_label("Kỳ báo cáo", exact=True).select_option("quarter")
    page.get_by_label("Năm", exact=True).fill("2026")
    page.get_by_label("Quý (khi chọn kỳ quý)").select_option("1")
    page.get_by_role("button", name="Xem số liệu").click()
    expect(page.locator("#total-received")).to_have_text("4")
    audit.check("thống kê")
    page.screenshot(path="/tmp/tinhso-report-dashboard.png", full_page=True)

    row = page.locator("#t-agency tbody tr", has=page.get_by_role("rowheader", name=province.commune.name))
    row.locator("td").nth(5).get_by_role("link").click()  # the "Quá hạn" column
    expect(page.locator("#dossier-count")).to_have_text("2")
    codes = sorted(page.locator("tbody th a").all_inner_texts())
    assert codes == sorted(d.code for d in late)
    audit.check("hồ sơ theo số liệu")

    page.get_by_role("link", name="Thống kê").last.click()
    page.get_by_role("link", name="Bộ chỉ số 766").first.click()
    expect(page.locator("#score-total")).to_be_visible()
    # the filters travel with the links: the commune is still chosen; back to the whole province
    expect(page.get_by_label("Cơ quan", exact=True)).to_have_value("H44.20")
    page.get_by_label("Cơ quan", exact=True).select_option("")
    page.get_by_role("button", name="Xem số liệu").click()
    audit.check("766")
    page.screenshot(path="/tmp/tinhso-report-766.png", full_page=True)
    page.get_by_role("link", name="Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn").click()
    expect(page.locator("#fig-denominator")).to_have_text("4")
    audit.check("chỉ số 5")
    page.locator("#t-agencies").get_by_role("link", name=province.commune.name).click()
    losing = page.locator("#t-losing")
    expect(losing.locator("tbody tr")).to_have_count(2)
    expect(losing).to_contain_text("Giải quyết xong sau ngày hẹn trả")
    audit.check("chỉ số 5, một xã")
    losing.get_by_role("link", name=late[0].code).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(late[0].code)
    audit.assert_clean()
