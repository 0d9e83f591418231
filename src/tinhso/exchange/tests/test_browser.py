"""Browser test of the clerk's exchange page (issue #12) in Debian's Chromium: a công văn from another
province's system arrives signed; the department's clerk finds it under "Liên thông", sees who signed
the package and when, tries to refuse it without a reason (told to give one), registers it instead and
lands on the new incoming document; the page and the document page pass axe."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from playwright.sync_api import expect

from tinhso.documents.models import IncomingDocument
from tinhso.documents.tests.test_browser import login
from tinhso.exchange.models import Message
from tinhso.exchange.tests.conftest import REMOTE_CREDENTIAL, built, document_package
from tinhso.portal.tests.test_accessibility import Audit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
expect.set_options(timeout=20_000)


def test_the_clerk_registers_a_cong_van_that_arrived_by_edxml(live_server, page, world, remote, fast_keys):
    from tinhso.signing.testing import signing_setup

    signing_setup(agency=world.department, leader=world.director)
    data = remote.sign(built(document_package(subject="Về việc phối hợp tập huấn chứng thực điện tử")))
    answer = Client().post("/exchange/v1/messages", data=data, content_type="application/xml",
                           HTTP_AUTHORIZATION=f"Bearer {REMOTE_CREDENTIAL}")
    assert answer.status_code == 200
    base = live_server.url
    audit = Audit(page, base)
    login(page, base, world.dept_clerk)
    page.get_by_role("link", name="Liên thông", exact=True).click()
    card = page.locator("article", has=page.get_by_role("heading", name=re.compile("phối hợp tập huấn")))
    expect(card).to_contain_text("Sở Nội vụ tỉnh Thái Bình (H36.05)")
    expect(card).to_contain_text("Hợp lệ — Sở Nội vụ tỉnh Thái Bình")
    expect(card).to_contain_text("04/12/2026")
    audit.check("exchange page")
    page.screenshot(path="/tmp/tinhso-exchange-waiting.png", full_page=True)

    refuse = card.locator("form", has=page.get_by_role("heading", name=re.compile("Từ chối")))
    refuse.get_by_role("button", name=re.compile("Từ chối")).click()
    expect(page.locator(".field-error, .errorlist").first).to_be_visible()
    assert Message.objects.get(direction="in").state == "arrived"

    card = page.locator("article", has=page.get_by_role("heading", name=re.compile("phối hợp tập huấn")))
    card.get_by_role("button", name="Vào sổ văn bản đến").click()
    expect(page.locator(".messages")).to_contain_text("Vào sổ văn bản đến")
    incoming = IncomingDocument.objects.get()
    assert page.url.rstrip("/").endswith(incoming.ref)
    expect(page.locator("h1")).to_contain_text(f"Văn bản đến số {incoming.arrival_number}")
    expect(page.locator("dl.details")).to_contain_text("Sở Nội vụ tỉnh Thái Bình")
    audit.check("incoming document from edXML")
    page.screenshot(path="/tmp/tinhso-exchange-registered.png", full_page=True)
    assert list(Message.objects.filter(direction="out", kind="status").order_by("created_at")
                .values_list("status_code", flat=True)) == ["01", "03"]
    audit.assert_clean()
