"""Browser test of the satisfaction ratings (issue #13) in Debian's Chromium: the applicant whose dossier
was just returned at the counter rates it on the desk's tablet (no login, large touch targets); another
returned dossier is rated from "Hồ sơ của tôi" and the rating changed within the window. axe checks
the kiosk and the rating page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tinhso.portal.tests.test_accessibility import Audit
from tinhso.ratings.models import Rating
from tinhso.ratings.services import kiosk_desk_create, kiosk_offer_returned

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-2026"
SHOTS = "/tmp/tinhso-rating"
expect.set_options(timeout=20_000)


def choose_all(page, level: str, except_for: dict | None = None):
    """Tap one level in every criterion's group (the labels are the touch targets)."""
    groups = page.locator("fieldset.rating-criterion")
    for index in range(groups.count()):
        wanted = (except_for or {}).get(index, level)
        groups.nth(index).get_by_text(wanted, exact=True).click()


def test_rating_on_the_kiosk_and_from_the_account(live_server, page, world, returned):
    base = live_server.url
    audit = Audit(page, base)
    desk = kiosk_desk_create(agency=world.centre, name="Quầy số 2", officer=world.reception)
    at_counter, online = returned(), returned()

    # the desk's tablet waits, then offers the dossier its officer just returned
    page.set_viewport_size({"width": 1024, "height": 1366})  # a tablet held upright
    page.goto(f"{base}/quay-danh-gia/{desk.token}/")
    expect(page.get_by_role("heading", name="Mời Ông/Bà đánh giá sự hài lòng")).to_be_visible()
    kiosk_offer_returned(dossier_id=at_counter.pk, officer_id=world.reception.pk)
    page.goto(f"{base}/quay-danh-gia/{desk.token}/")
    expect(page.locator("#kiosk-dossier-code")).to_have_text(at_counter.code)
    expect(page.locator("main")).not_to_contain_text(world.citizen.full_name)
    target = page.locator(".level-option label").first.bounding_box()
    assert target["height"] >= 44 and target["width"] >= 44  # WCAG 2.5.5 touch target
    audit.check("kiosk")
    page.get_by_role("button", name="Gửi đánh giá").click()  # nothing chosen: each group says so
    expect(page.locator(".error-summary")).to_contain_text("Vui lòng chọn một mức")
    choose_all(page, "Rất hài lòng", except_for={6: "Hài lòng"})
    page.screenshot(path=f"{SHOTS}-1-kiosk.png", full_page=True)
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("heading", name="Cảm ơn Ông/Bà đã đánh giá!")).to_be_visible()
    page.screenshot(path=f"{SHOTS}-2-kiosk-thanks.png", full_page=True)
    rating = Rating.objects.get(dossier=at_counter)
    assert rating.channel == "kiosk" and rating.score == 17 and rating.rated_by is None

    # from the account: "Hồ sơ của tôi" → Đánh giá → the questionnaire → the score, then a change
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(world.citizen.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=re.compile("Đăng xuất"))).to_be_visible()
    audit.check("my feedback", "/phan-anh/cua-toi/")
    page.goto(f"{base}/ho-so-cua-toi/")
    page.get_by_role("link", name=re.compile(f"Đánh giá hồ sơ {re.escape(online.code)}")).click()
    expect(page.get_by_role("heading", name="Đánh giá sự hài lòng")).to_be_visible()
    audit.check("rating page")
    choose_all(page, "Hài lòng", except_for={0: "Không hài lòng"})
    page.screenshot(path=f"{SHOTS}-3-account.png", full_page=True)
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".messages")).to_contain_text("Cảm ơn Ông/Bà đã đánh giá")
    expect(page.locator("#rating-score")).to_have_text("8,00")
    page.get_by_role("link", name="Sửa đánh giá").click()
    choose_all(page, "Rất hài lòng")
    page.get_by_role("button", name="Lưu đánh giá").click()
    expect(page.locator("#rating-score")).to_have_text("18,00")
    page.screenshot(path=f"{SHOTS}-4-account-rated.png", full_page=True)
    page.goto(f"{base}/ho-so-cua-toi/")
    expect(page.locator("table.data")).to_contain_text("Đã đánh giá")
    assert Rating.objects.get(dossier=online).score == 18 and Rating.objects.count() == 2
    audit.assert_clean()
