"""Automated accessibility check (WCAG 2.1 AA, DESIGN §5.13) of the public and staff pages.

axe-core, vendored in ``assets/`` (test-only, never served), is injected into each page in the test
Chromium and run with the WCAG 2.0/2.1 A and AA rules plus axe's best practices (landmarks, heading
order, unique ids…). Any violation fails, listing the rule, the elements and how to fix them. The
pages are checked in the states people meet: with real catalogue data, with error summaries, in
English, on a phone, in high contrast, and logged in as an officer and as a citizen. What axe cannot
judge is listed in docs/accessibility.md.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tinhso.accounts.tests.factories import PASSWORD  # the password of every test user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "assets" / "axe.min.js"
RULE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
DEMO_PROCEDURE = "1.001193"  # Thủ tục đăng ký khai sinh: e-form, fees, documents, internal process
RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200), fix: n.failureSummary})),
  }));
}"""

expect.set_options(timeout=20_000)


class Audit:
    """Runs axe on each page visited and keeps what it finds, so one run reports every page."""

    def __init__(self, page, base: str):
        self.page, self.base = page, base
        self.found: dict[str, list] = {}
        self.checked: list[str] = []
        # Injected before any page script on every navigation, outside the page's own CSP.
        page.add_init_script(path=str(AXE))

    def check(self, name: str, url: str | None = None) -> None:
        if url is not None:
            self.page.goto(self.base + url)
        self.page.wait_for_load_state()
        violations = self.page.evaluate(RUN_AXE, RULE_TAGS)
        self.checked.append(name)
        if violations:
            self.found[name] = violations

    def assert_clean(self) -> None:
        lines = []
        for name, violations in self.found.items():
            for v in violations:
                lines.append(f"{name}: {v['rule']} ({v['impact']}) — {v['help']}")
                lines += [f"    {n['target']}: {n['html']}\n      {n['fix']}" for n in v["nodes"][:5]]
        assert not lines, "axe found accessibility problems:\n" + "\n".join(lines)


def login(page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/tai-khoan/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("button", name=re.compile("Đăng xuất"))).to_be_visible()


def test_public_pages_pass_axe(live_server, page):
    # The demo catalogue, as `make run` shows it: long names, fee tables, legal bases, an e-form.
    call_command("demo", "load", "--only", "org.units", "org.calendar", "org.agencies", "catalog.procedures",
                 verbosity=0)
    audit = Audit(page, live_server.url)
    audit.check("home", "/")
    audit.check("catalogue search results", "/thu-tuc/?q=khai+sinh")
    expect(page.locator(".procedure-item").first).to_be_visible()
    audit.check("procedure page", f"/thu-tuc/{DEMO_PROCEDURE}/")
    page.get_by_role("button", name="Kiểm tra thông tin").click()
    expect(page.locator("#eform-error-summary")).to_be_visible()
    audit.check("procedure page, e-form with errors")
    audit.check("tracking", "/tra-cuu/")
    audit.check("login", "/tai-khoan/dang-nhap/")
    audit.check("citizen registration", "/tai-khoan/dang-ky/")
    page.get_by_role("button", name="Đăng ký", exact=True).click()
    expect(page.locator("#error-summary")).to_be_visible()
    audit.check("citizen registration with errors")
    audit.check("signature verification", "/xac-thuc-chu-ky/")
    audit.check("agency directory", "/co-quan/")
    audit.check("page not found", "/thu-tuc/9.999999/")

    page.set_viewport_size({"width": 390, "height": 844})
    audit.check("procedure page on a phone", f"/thu-tuc/{DEMO_PROCEDURE}/")
    page.set_viewport_size({"width": 1280, "height": 720})

    page.goto(live_server.url + "/")
    page.get_by_role("button", name="Tương phản cao").click()
    expect(page.locator("html")).to_have_class(re.compile("contrast-high"))
    audit.check("home in high contrast", "/")  # reloaded: the server renders the mode from the cookie
    expect(page.locator("html")).to_have_class(re.compile("contrast-high"))
    audit.check("procedure page in high contrast", f"/thu-tuc/{DEMO_PROCEDURE}/")
    page.get_by_role("button", name="Tương phản cao").click()

    page.get_by_label("Ngôn ngữ").select_option("en")
    page.get_by_role("button", name="Đổi").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    audit.check("home in English", "/")
    audit.check("procedure page in English", f"/thu-tuc/{DEMO_PROCEDURE}/")

    assert len(audit.checked) == 16
    audit.assert_clean()


def test_staff_and_citizen_pages_pass_axe(live_server, page, site):
    received = site.received()
    site.submit()  # one online dossier waiting at the reception desk
    base = live_server.url
    audit = Audit(page, base)

    login(page, base, site.reception.username)
    audit.check("backoffice dashboard", "/can-bo/")
    audit.check("reception desk", "/can-bo/mot-cua/")
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
    audit.check("counter intake form", f"/can-bo/mot-cua/tiep-nhan/{site.proc.code}/")

    login(page, base, site.unit_head.username)
    audit.check("work queue", "/can-bo/viec-can-lam/")
    expect(page.get_by_role("link", name=received.code)).to_be_visible()
    audit.check("dossier page", f"/can-bo/ho-so/{received.code}/")
    expect(page.get_by_role("heading", name="Phân công")).to_be_visible()  # an action form is on the page

    login(page, base, site.citizen.username)
    audit.check("my applications", "/ho-so-cua-toi/")
    audit.check("my application", f"/ho-so-cua-toi/{received.code}/")
    audit.check("online submission, step 1", f"/nop-ho-so/{site.proc.code}/")
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    page.get_by_role("button", name="Lưu và tiếp tục").click()
    expect(page.locator("#error-summary")).to_be_visible()
    audit.check("online submission, e-form with errors")

    page.context.clear_cookies()
    page.goto(f"{base}/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(received.code)
    page.get_by_label("Số điện thoại của người nộp").fill("0912345678")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator("#tracking-status")).to_be_visible()
    audit.check("tracking result")

    assert len(audit.checked) == 10
    audit.assert_clean()


def _focused(page) -> dict:
    return page.evaluate("""() => {
      const el = document.activeElement, style = getComputedStyle(el);
      return {id: el.id, cls: el.className, tag: el.tagName, outline: style.outlineStyle,
              width: parseFloat(style.outlineWidth), visible: el.getBoundingClientRect().left >= 0};
    }""")


def test_keyboard_reaches_the_search_box_and_the_skip_link_works(live_server, page):
    base = live_server.url
    page.goto(base + "/")
    page.keyboard.press("Tab")
    first = _focused(page)
    assert first["cls"] == "skip-link" and first["visible"], first  # shown on screen when focused
    assert first["outline"] == "solid" and first["width"] >= 2

    seen = []
    for _ in range(30):  # header links, text size, contrast, language, then the search box
        page.keyboard.press("Tab")
        seen.append(_focused(page))
        if seen[-1]["id"] == "home-search":
            break
    assert seen[-1]["id"] == "home-search", [f"{s['tag']}#{s['id']}.{s['cls']}" for s in seen]
    assert all(s["outline"] == "solid" and s["width"] >= 2 for s in seen), seen  # focus always visible

    page.keyboard.type("khai sinh")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=khai"))

    page.goto(base + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    expect(page).to_have_url(base + "/#main")
    assert _focused(page)["id"] == "main"
    page.keyboard.press("Tab")
    assert _focused(page)["id"] == "home-search"  # the first thing in the content, past the header
