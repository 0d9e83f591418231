"""Browser test of the feedback round trip (issue #13) in Debian's Chromium through Playwright: a citizen
without an account confirms the phone with a one-time code and sends feedback with a photo → it is
routed to the ward → the ward's reception transfers it to the Department of Justice → the department
accepts, assigns, drafts, approves and publishes → the answer is found in the public list by a search
without diacritics → the citizen looks it up by code and phone, rates it unhappy and objects → it
reopens at the department. Plain forms all the way; axe checks the new pages."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tinhso.dossiers.tests import factories as f
from tinhso.petitions.models import Petition
from tinhso.petitions.tests.test_intake import _issued_code
from tinhso.portal.tests.test_accessibility import Audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-2026"
PHONE = "0903123456"
SHOTS = "/tmp/tinhso-petition"
expect.set_options(timeout=20_000)


def login(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=re.compile("Đăng xuất"))).to_be_visible()


def act(page, base, user, code, label, shot=None, **fields):
    """Log in as ``user``, open the petition's staff page, fill the action's form and press its button."""
    login(page, base, user)
    page.goto(f"{base}/can-bo/phan-anh/{code}/")
    form = page.locator("form", has=page.get_by_role("heading", name=label, exact=True))
    for field, value in fields.items():
        box = form.get_by_label(re.compile(f"^{re.escape(field)}"))
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(value)
        else:
            box.fill(value)
    if shot:
        page.screenshot(path=f"{SHOTS}-{shot}.png", full_page=True)
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã thực hiện")


def test_citizen_feedback_round_trip(live_server, page, world, tmp_path, monkeypatch, settings):
    settings.TINHSO_OTP_RESEND_SECONDS = 0
    codes = _issued_code(monkeypatch)
    photo = tmp_path / "duong-ngap.png"
    photo.write_bytes(f.png_bytes())
    base = live_server.url
    audit = Audit(page, base)

    # 1. the citizen, not signed in, asks for a code, then sends the feedback with a photo
    page.goto(f"{base}/phan-anh/gui/")
    audit.check("send feedback")
    page.get_by_label("Số điện thoại di động").first.fill(PHONE)
    page.get_by_role("button", name="Gửi mã xác thực").click()
    expect(page.locator(".messages")).to_contain_text("Đã gửi mã xác thực")
    page.get_by_label("Họ và tên").fill("Lê Thị Cúc")
    page.get_by_label("Mã xác thực").fill(codes[-1])
    page.get_by_label("Về quy định, thủ tục hành chính").check()
    page.get_by_label("Tiêu đề").fill("Bị yêu cầu nộp giấy xác nhận cư trú khi đăng ký khai sinh")
    page.get_by_label(re.compile("^Nội dung")).fill("Ngày 05/01/2026 tại quầy số 2, tôi được yêu cầu nộp thêm "
                                                   "giấy xác nhận cư trú, không có trong quy định.")
    page.get_by_label("Nơi xảy ra sự việc (xã, phường)").select_option("07900")
    page.get_by_label("Tệp đính kèm (ảnh, PDF)").set_input_files(str(photo))
    page.screenshot(path=f"{SHOTS}-1-send.png", full_page=True)
    page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.get_by_role("heading", name="Đã gửi phản ánh, kiến nghị")).to_be_visible()
    code = page.locator("#petition-code").inner_text().strip()
    page.screenshot(path=f"{SHOTS}-2-sent.png", full_page=True)
    petition = Petition.objects.get(code=code)
    assert petition.agency == world.commune_agency and petition.attachments.count() == 1
    assert petition.phone_verified and petition.sender_user is None

    # 2. the ward's reception sees it (sender masked in the queue) and transfers it to the department
    login(page, base, world.reception)
    page.goto(f"{base}/can-bo/phan-anh/")
    expect(page.get_by_role("link", name=code)).to_be_visible()
    expect(page.locator("table.queue")).to_contain_text("Lê T. C.")
    audit.check("staff queue")
    act(page, base, world.reception, code, "Chuyển cơ quan có thẩm quyền", shot="3-transfer",
        **{"Chuyển tới cơ quan": "H44.02", "Lý do chuyển": "Thuộc thẩm quyền của Sở Tư pháp."})
    expect(page.locator("#petition-agency")).to_have_text("Sở Tư pháp tỉnh Phú Thọ")

    # 3. the department handles it: accept, assign, draft, approve, publish
    act(page, base, world.dept_reception, code, "Tiếp nhận xử lý")
    act(page, base, world.dept_leader, code, "Phân công chuyên viên", **{"Chuyên viên xử lý": "chuyenvien-so"})
    act(page, base, world.dept_specialist, code, "Dự thảo trả lời",
        **{"Nội dung trả lời": "Giấy xác nhận cư trú không phải thành phần hồ sơ đăng ký khai sinh; "
                               "Sở đã chấn chỉnh bộ phận tiếp nhận."})
    act(page, base, world.dept_leader, code, "Duyệt và gửi trả lời")
    act(page, base, world.dept_reception, code, "Công khai trả lời")
    audit.check("staff petition page")
    page.screenshot(path=f"{SHOTS}-4-published-staff.png", full_page=True)

    # 4. anyone finds the answer without typing diacritics; the sender's name is not there
    page.context.clear_cookies()
    page.goto(f"{base}/phan-anh/?q=giay+xac+nhan+cu+tru")
    answer = page.locator("article.petition-answer")
    expect(answer).to_have_count(1)
    expect(answer).to_contain_text("Sở đã chấn chỉnh bộ phận tiếp nhận")
    expect(page.locator("main")).not_to_contain_text("Lê Thị Cúc")
    expect(page.locator('[data-counter="answered"]').first).to_have_text("1")
    audit.check("public list")
    page.screenshot(path=f"{SHOTS}-5-public.png", full_page=True)

    # 5. the citizen looks it up, rates it unhappy and objects once: it reopens
    page.goto(f"{base}/phan-anh/tra-cuu/?code={code}")
    audit.check("lookup")
    page.get_by_label("Số điện thoại đã khai khi gửi").fill(PHONE)
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#petition-answer")).to_contain_text("không phải thành phần hồ sơ")
    audit.check("sender page")
    page.get_by_label("Không hài lòng").check()
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.locator(".messages")).to_contain_text("Cảm ơn Ông/Bà đã đánh giá trả lời")
    page.get_by_label("Lý do không đồng ý").fill("Tôi vẫn bị yêu cầu nộp giấy xác nhận cư trú ở lần nộp sau.")
    page.screenshot(path=f"{SHOTS}-6-object.png", full_page=True)
    page.get_by_role("button", name="Đề nghị xem xét lại").click()
    expect(page.locator(".messages")).to_contain_text("phản ánh được mở lại")
    expect(page.locator("#petition-status")).to_have_text("Đang xử lý")
    page.screenshot(path=f"{SHOTS}-7-reopened.png", full_page=True)
    petition.refresh_from_db()
    assert petition.status == "accepted" and petition.reopened_count == 1 and petition.feedback == "unsatisfied"
    assert petition.agency == world.department and petition.published_at is None
    audit.assert_clean()
