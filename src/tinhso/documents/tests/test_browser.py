"""Browser test of the document office (issue #11) in Debian's Chromium through Playwright: a commune
specialist drafts a công văn to a department → the unit head passes it on → the commune chairman signs
with his certificate → the clerk numbers, seals and issues → the department's clerk finds it in the
inbox as incoming → the director assigns the legal unit with a deadline → the unit head gives it to a
specialist → the specialist drafts the reply that, once signed and issued, closes it; both agencies'
registers show both documents. Plain forms all the way."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tinhso.documents.models import IncomingDocument, OutgoingDocument
from tinhso.signing.services import pdf_verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem-2026"
expect.set_options(timeout=20_000)


def login(page, base, user):
    page.context.clear_cookies()
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(user.username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=re.compile("Đăng xuất"))).to_be_visible()


def act(page, base, user, ref, label, **fields):
    """Log in as ``user``, open the document and press the action's button after filling its form."""
    login(page, base, user)
    page.goto(f"{base}/can-bo/van-ban/{ref}/")
    form = page.locator("form", has=page.get_by_role("heading", name=label, exact=True))
    for field, value in fields.items():
        box = form.get_by_label(field, exact=False)
        if box.evaluate("e => e.tagName") == "SELECT":
            box.select_option(value)
        else:
            box.fill(value)
    form.get_by_role("button", name=label, exact=True).click()
    expect(page.locator(".messages")).to_be_visible()


def draft(page, base, user, *, agency, subject, recipients, signer, title, reply_to=None):
    login(page, base, user)
    page.goto(f"{base}/can-bo/van-ban/soan/" + (f"?tra-loi={reply_to}" if reply_to else ""))
    page.get_by_label("Cơ quan ban hành").select_option(agency)
    page.get_by_label("Trích yếu nội dung").fill(subject)
    page.get_by_label("Nội dung", exact=True).fill("Đề nghị quý cơ quan xem xét, hướng dẫn.\nTrân trọng./.")
    page.get_by_label(re.compile("^Nơi nhận")).fill(recipients)
    page.locator("#id_signer").select_option(signer.username)
    page.get_by_label("Chức vụ người ký").fill(title)
    page.get_by_role("button", name="Lưu", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã lưu dự thảo")
    return page.url.rstrip("/").split("/")[-1]


def test_cong_van_from_commune_to_department_and_back(live_server, page, world, fast_keys):
    from tinhso.signing.testing import signing_setup

    signing_setup(agency=world.commune, leader=world.chairman)
    signing_setup(agency=world.department, leader=world.director)
    base = live_server.url

    ref = draft(page, base, world.drafter, agency="H44.12", subject="Đề nghị hướng dẫn chứng thực hợp đồng",
                recipients="H44.02", signer=world.chairman, title="Chủ tịch")
    page.screenshot(path="/tmp/tinhso-doc-draft.png", full_page=True)
    act(page, base, world.drafter, ref, "Trình duyệt", **{"Lãnh đạo phòng duyệt": world.unit_head.username})
    act(page, base, world.unit_head, ref, "Đồng ý, trình ký")
    act(page, base, world.chairman, ref, "Duyệt và ký số")
    act(page, base, world.clerk, ref, "Đóng dấu số và phát hành")
    page.screenshot(path="/tmp/tinhso-doc-issued.png", full_page=True)
    sent = OutgoingDocument.objects.get(subject__startswith="Đề nghị hướng dẫn")
    assert sent.status == "issued" and sent.notation == "01/UBND-VP" and sent.digitally_signed
    from tinhso.core.files import file_read
    report = pdf_verify(pdf=file_read(stored_file=sent.signed_file))
    assert report.verdict == "valid" and len(report.signatures) == 2

    login(page, base, world.dept_clerk)
    page.goto(f"{base}/can-bo/van-ban/?tab=den")
    incoming = IncomingDocument.objects.get(from_outgoing=sent)
    expect(page.get_by_text("01/UBND-VP").first).to_be_visible()
    page.screenshot(path="/tmp/tinhso-doc-inbox.png", full_page=True)

    act(page, base, world.director, incoming.ref, "Phân công xử lý",
        **{"Chủ trì": "XDKT", "Thời hạn giải quyết": "5", "Ý kiến chỉ đạo": "Phòng XDKT trả lời xã trong tuần."})
    act(page, base, world.dept_head, incoming.ref, "Giao chuyên viên",
        **{"Chuyên viên giải quyết": world.dept_specialist.username})
    incoming.refresh_from_db()
    assert incoming.status == "in_progress" and incoming.due_at is not None

    login(page, base, world.dept_specialist)
    page.goto(f"{base}/can-bo/van-ban/?tab=viec")
    expect(page.get_by_text("01/UBND-VP").first).to_be_visible()
    reply = draft(page, base, world.dept_specialist, agency="H44.02", subject="Hướng dẫn chứng thực hợp đồng",
                  recipients="H44.12", signer=world.director, title="Giám đốc", reply_to=incoming.ref)
    act(page, base, world.dept_specialist, reply, "Trình duyệt",
        **{"Lãnh đạo phòng duyệt": world.dept_head.username})
    act(page, base, world.dept_head, reply, "Đồng ý, trình ký")
    act(page, base, world.director, reply, "Duyệt và ký số")
    act(page, base, world.dept_clerk, reply, "Đóng dấu số và phát hành")
    incoming.refresh_from_db()
    assert incoming.status == "done" and incoming.reply.notation == "01/STP-XDKT"

    today = timezone.localdate().strftime("%d/%m/%Y")
    for user, agency, kind, expected in [(world.dept_clerk, "H44.02", "den", "01/UBND-VP"),
                                         (world.dept_clerk, "H44.02", "di", "01/STP-XDKT"),
                                         (world.clerk, "H44.12", "di", "01/UBND-VP"),
                                         (world.clerk, "H44.12", "den", "01/STP-XDKT")]:
        login(page, base, user)
        page.goto(f"{base}/can-bo/van-ban/so/?kind={kind}&agency={agency}&date_from={today}&date_to={today}")
        expect(page.locator("table.register")).to_contain_text(expected)
    page.screenshot(path="/tmp/tinhso-doc-register.png", full_page=True)
    page.goto(f"{base}/can-bo/van-ban/so-lieu/?agency=H44.12&date_from={today}&date_to={today}")
    expect(page.locator("#out-total")).to_have_text("1")
    expect(page.locator("#out-signed")).to_have_text("1")
    expect(page.locator("#in-total")).to_have_text("1")
    expect(page.locator("#in-valid")).to_have_text("1")  # the reply arrived with its two valid signatures
    page.screenshot(path="/tmp/tinhso-doc-statistics.png", full_page=True)
