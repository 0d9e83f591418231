"""Browser tests of the one-stop shop (issues #4 and #5) in Debian's Chromium through Playwright.

A citizen submits online with a real PDF, reception receives, the dossier goes through its steps in
the backoffice, the citizen tracks it and downloads the result; and a liên thông dossier whose
appraisal step belongs to another agency. Plain forms all the way: no step needs JavaScript.
"""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests import factories as f
from tinhso.signing.services import pdf_verify

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "mat-khau-thu-nghiem-2026"  # factories.user's password
# Two cores shared with the live server and the PDF renderer: give each page time to answer.
expect.set_options(timeout=20_000)


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, content in (("to-khai.pdf", f.pdf_bytes()), ("cccd.pdf", f.pdf_bytes(2)),
                          ("ket-qua.pdf", f.pdf_bytes())):
        path = tmp_path / name
        path.write_bytes(content)
        paths[name] = str(path)
    return paths


def login(page, base, username):
    page.context.clear_cookies()
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=re.compile("Đăng xuất"))).to_be_visible()


def submit_online(page, base, site, files, *, shot=None) -> str:
    login(page, base, site.citizen.username)
    page.goto(f"{base}/thu-tuc/{site.proc.code}/")
    page.get_by_role("link", name="Nộp hồ sơ trực tuyến").click()
    expect(page.get_by_text("Bước 1/4")).to_be_visible()
    page.get_by_label("Địa chỉ liên hệ").fill("Phường Việt Trì, tỉnh Phú Thọ")
    if shot:
        page.screenshot(path=f"{shot}-1-info.png", full_page=True)
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_text("Bước 2/4")).to_be_visible()
    page.get_by_role("button", name="Lưu và tiếp tục").click()  # empty: the errors are listed first
    expect(page.locator(".error-summary")).to_contain_text("Vui lòng nhập số bản sao")
    if shot:
        page.screenshot(path=f"{shot}-2-errors.png", full_page=True)
    # The field is named like the applicant's name but not marked x-applicant: the account's name is
    # suggested, not asked again, and stays editable (the person may be someone else).
    expect(page.get_by_label("Họ, chữ đệm và tên người được cấp")).to_have_value("Nguyễn Văn An")
    expect(page.get_by_label("Họ, chữ đệm và tên người được cấp")).to_be_editable()
    page.get_by_label("Số bản sao").fill("1")
    page.get_by_label("Tôi cam đoan").check()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_text("Bước 3/4")).to_be_visible()
    to_khai, cccd = site.proc.documents[0], site.proc.documents[1]
    page.set_input_files(f"#doc-{to_khai.pk}", files["to-khai.pdf"])
    page.set_input_files(f"#doc-{cccd.pk}", files["cccd.pdf"])
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.get_by_text("Bước 4/4")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile("to-khai.pdf"))).to_be_visible()
    if shot:
        page.screenshot(path=f"{shot}-4-review.png", full_page=True)
    page.get_by_role("button", name="Nộp hồ sơ").click()
    expect(page.get_by_role("heading", name="Đã nộp hồ sơ thành công")).to_be_visible()
    expect(page.get_by_text("Mới đăng ký")).to_be_visible()
    if shot:
        page.screenshot(path=f"{shot}-5-submitted.png", full_page=True)
    return page.locator(".dossier-code").inner_text().strip()


def act(page, base, user, code, button, *, fill=None, upload=None):
    login(page, base, user.username)
    page.goto(f"{base}/can-bo/ho-so/{code}/")
    for selector, value in (fill or {}).items():
        page.locator(selector).select_option(value) if selector.startswith("select") else \
            page.locator(selector).fill(value)
    for selector, path in (upload or {}).items():
        page.set_input_files(selector, path)
    page.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Đã thực hiện")


def test_issue4_citizen_submits_reception_receives_citizen_tracks(live_server, page, site, files):
    base = live_server.url
    reference = submit_online(page, base, site, files, shot="/tmp/tinhso-wizard")

    login(page, base, site.reception.username)
    page.goto(f"{base}/can-bo/mot-cua/")
    page.screenshot(path="/tmp/tinhso-reception.png", full_page=True)
    page.get_by_role("link", name=reference).click()
    expect(page.get_by_text("001099012345")).to_be_visible()
    page.screenshot(path="/tmp/tinhso-dossier-staff.png", full_page=True)
    page.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()
    # The online submission held a provisional reference (…-N0001); receipt gives the dossier its code
    # of the day of receipt (TT 01/2018 Điều 19), which the receipt and the SMS carry from now on.
    received = Dossier.objects.get(reference=reference)
    code = received.code
    assert code != reference and not received.code_is_provisional
    expect(page.get_by_role("heading", name=f"Đã tiếp nhận hồ sơ {code}")).to_be_visible()
    expect(page.frame_locator("#receipt-frame").locator("body")).to_contain_text(code)
    page.screenshot(path="/tmp/tinhso-receipt.png", full_page=True)
    due = timezone.localtime(received.due_at).strftime("%H:%M ngày %d/%m/%Y")

    for held in (code, reference):  # the citizen may still hold the reference given at submission
        page.context.clear_cookies()
        page.goto(f"{base}/tra-cuu/?ma={held}")
        expect(page.get_by_label("Mã hồ sơ")).to_have_value(held)
        page.get_by_label("Số điện thoại của người nộp").fill("0912345678")
        page.get_by_role("button", name="Tra cứu").click()
        expect(page.locator("#tracking-status")).to_have_text("Được tiếp nhận")
        expect(page.locator("#tracking-due")).to_have_text(due)
    page.screenshot(path="/tmp/tinhso-tracking.png", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: the page reflows, nothing is cut
    page.screenshot(path="/tmp/tinhso-tracking-phone.png", full_page=True)


def test_issue5_whole_path_to_the_result_download(live_server, page, site, site_pki, files):
    base = live_server.url
    reference = submit_online(page, base, site, files)
    act(page, base, site.reception, reference, "Tiếp nhận hồ sơ")
    code = Dossier.objects.get(reference=reference).code  # the code of receipt
    login(page, base, site.unit_head.username)
    page.goto(f"{base}/can-bo/")
    page.screenshot(path="/tmp/tinhso-dashboard.png", full_page=True)
    page.goto(f"{base}/can-bo/viec-can-lam/")
    expect(page.get_by_role("link", name=code)).to_be_visible()
    page.screenshot(path="/tmp/tinhso-work-queue.png", full_page=True)
    act(page, base, site.unit_head, code, "Phân công", fill={"select#id_assign-assignee": "chuyenvien"})
    act(page, base, site.specialist, code, "Chuyển bước tiếp theo")
    act(page, base, site.leader, code, "Phê duyệt")  # signs the result generated from the template (issue #6)
    act(page, base, site.clerk, code, "Ban hành kết quả")  # the agency signature
    page.screenshot(path="/tmp/tinhso-dossier-resolved.png", full_page=True)
    assert Dossier.objects.get(code=code).status == "resolved"

    login(page, base, site.citizen.username)
    page.goto(f"{base}/ho-so-cua-toi/{code}/")
    expect(page.get_by_text("Đã xử lý xong").first).to_be_visible()
    page.screenshot(path="/tmp/tinhso-citizen-result.png", full_page=True)
    with page.expect_download() as info:
        page.get_by_role("link", name="Tải kết quả giải quyết").click()
    with open(info.value.path(), "rb") as handle:
        report = pdf_verify(pdf=handle.read())
    assert report.verdict == "valid" and len(report.signatures) == 2
    assert [s.signer_common_name for s in report.signatures] == [site.leader.full_name, site.centre.name]


def test_issue5_lien_thong_through_a_second_agency(live_server, page, site, files, fast_keys):
    from tinhso.catalog.choices import StepAction, StepScope
    from tinhso.dossiers.inputs import ApplicantInput
    from tinhso.dossiers.services import dossier_create
    from tinhso.signing.testing import signing_setup

    leader = f.grant(f.user("giamdoc-so", full_name="Giám Đốc Sở"), site.department, "leader")
    signing_setup(agency=site.department, leader=leader)  # the director signs and seals as he issues
    proc = f.procedure(
        code="2.000635", name="Cấp bản sao trích lục hộ tịch (liên thông Sở Tư pháp)", receiving=[site.centre],
        steps=[{"code": "tham-dinh", "name": "Sở Tư pháp thẩm định", "role": "specialist",
                "scope": StepScope.FIXED, "agency": site.department, "days": "2"},
               {"code": "phe-duyet", "name": "Giám đốc Sở phê duyệt", "role": "leader",
                "scope": StepScope.FIXED, "agency": site.department, "days": "1"},
               {"code": "tra-ket-qua", "name": "Trả kết quả", "role": "reception", "days": "0.5"}],
        transitions=[("tham-dinh", StepAction.FORWARD, "phe-duyet"),
                     ("phe-duyet", StepAction.ISSUE_RESULT, "tra-ket-qua"),
                     ("tra-ket-qua", StepAction.RETURN_RESULT, None)],
    )
    dossier = dossier_create(actor=site.citizen, procedure_code=proc.code, channel="online",
                             applicant=ApplicantInput.from_mapping(f.applicant()), documents=site.documents())
    base = live_server.url
    act(page, base, site.reception, dossier.code, "Tiếp nhận hồ sơ")
    act(page, base, site.dept_specialist, dossier.code, "Chuyển bước tiếp theo")
    act(page, base, leader, dossier.code, "Ban hành kết quả",
        upload={"#id_issue_result-file_ids": files["ket-qua.pdf"]})
    act(page, base, site.reception, dossier.code, "Trả kết quả",
        fill={"select#id_return_result-method": "electronic"})
    page.screenshot(path="/tmp/tinhso-lien-thong.png", full_page=True)
    handovers = page.locator("section[aria-labelledby=h-handovers]")
    expect(handovers).to_contain_text("Sở Tư pháp tỉnh Phú Thọ")
    expect(handovers).to_contain_text("Trung tâm Phục vụ hành chính công phường Việt Trì")
    assert Dossier.objects.get(pk=dossier.pk).status == "returned"
