"""WCAG 3.1.2 Language of Parts: on English pages, the Vietnamese data (procedure, agency, document
and step names, legal texts, e-form fields) is marked ``lang="vi"`` so that a screen reader reads it
with a Vietnamese voice; the interface around it is English (docs/accessibility.md)."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tinhso.catalog.models import Procedure

pytestmark = pytest.mark.django_db


def english(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"}, follow=True)
    assert '<html lang="en"' in response.content.decode()


def test_english_procedure_page_marks_the_vietnamese_data(client, site):
    english(client)
    version = site.proc.version
    html = client.get(f"/thu-tuc/{site.proc.code}/").content.decode()
    assert f'<h1 id="procedure-title" lang="vi">{version.name}</h1>' in html
    assert f'<dd lang="vi">{version.sector.name}</dd>' in html
    document = version.documents.order_by("order").first()
    assert f'<span lang="vi">{document.name}</span>' in html
    # the e-form's own texts are Vietnamese data; the marks around them are English
    assert '<span lang="vi">Họ, chữ đệm và tên người được cấp</span>' in html
    assert '<span class="visually-hidden">(required)</span>' in html
    competent = re.search(r'Competent agency</dt>\s*<dd lang="vi">', html)
    assert competent, "the agencies are marked"


def test_english_search_results_and_most_used_list_mark_procedure_names(client, site):
    Procedure.objects.filter(code=site.proc.code).update(popularity=5)
    name = site.proc.version.name
    english(client)
    assert f'<span lang="vi">{name}</span></a></h3>' in client.get("/thu-tuc/").content.decode()
    assert f'<span lang="vi">{name}</span></a>' in client.get("/").content.decode()


def test_english_staff_pages_mark_procedure_step_and_applicant(client, site):
    dossier = site.received()
    client.force_login(site.unit_head)
    english(client)
    name = site.proc.version.name
    queue = client.get("/can-bo/viec-can-lam/").content.decode()
    assert '<html lang="en"' in queue
    assert f'<td lang="vi">{name}</td>' in queue
    assert f'<span lang="vi">{dossier.applicant_name}</span>' in queue
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert f'<p class="lead"><span lang="vi">{name}</span>' in page
    assert f'<dd lang="vi">{dossier.applicant_name}</dd>' in page


def test_english_tracking_marks_procedure_and_agency(client, site):
    dossier = site.received()
    english(client)
    html = client.post("/tra-cuu/", {"code": dossier.code, "phone": "0912345678"}).content.decode()
    assert f'<dd lang="vi">{site.proc.version.name}</dd>' in html
    assert f'<dd lang="vi">{dossier.receiving_agency.name}</dd>' in html


class _VietnameseOutsideLangVi(HTMLParser):
    """Text with Vietnamese letters that no ``lang="vi"`` element around it marks."""

    VOID = {"area", "base", "br", "col", "hr", "img", "input", "link", "meta", "source", "wbr"}
    SKIPPED = {"script", "style", "title"}  # not read out as page content

    def __init__(self):
        super().__init__()
        self.open: list[tuple[str, str | None]] = []
        self.unmarked: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            self.open.append((tag, dict(attrs).get("lang")))

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        if not VIETNAMESE_LETTER.search(data) or any(tag in self.SKIPPED for tag, _ in self.open):
            return
        langs = [lang for _, lang in self.open if lang]
        if not langs or langs[-1] != "vi":
            self.unmarked.append(" ".join(data.split()))


VIETNAMESE_LETTER = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.IGNORECASE)


def _unmarked(response, proper_names: list[str]) -> list[str]:
    """The page's Vietnamese texts outside ``lang="vi"``, people's names and the site's name aside."""
    assert response.status_code == 200, response.request["PATH_INFO"]
    assert '<html lang="en"' in response.content.decode(), response.request["PATH_INFO"]
    parser = _VietnameseOutsideLangVi()
    parser.feed(response.content.decode())
    return [text for text in parser.unmarked if not any(name in text for name in proper_names)]


def test_english_pages_leave_no_vietnamese_text_unmarked(client, site, settings):
    """Every English page of the portal and the staff area: a string with Vietnamese letters is either
    translated or marked ``lang="vi"``. Proper names are exempt (WCAG 3.1.2): people's names and the
    site's name, which the scan ignores."""
    dossier = site.received()
    proper_names = [settings.TINHSO_SITE_NAME] + [
        user.full_name for user in (site.citizen, site.reception, site.unit_head, site.specialist, site.leader,
                                    site.clerk)]
    english(client)
    public = ["/", "/thu-tuc/", f"/thu-tuc/{site.proc.code}/", "/xac-thuc-chu-ky/", "/co-quan/",
              f"/co-quan/{site.centre.code}/", "/tai-khoan/dang-nhap/", "/tai-khoan/dang-ky/"]
    pages = [(None, url) for url in public] + [
        (site.citizen, "/ho-so-cua-toi/"), (site.citizen, f"/ho-so-cua-toi/{dossier.code}/"),
        (site.unit_head, "/can-bo/"), (site.unit_head, "/can-bo/viec-can-lam/"),
        (site.unit_head, f"/can-bo/ho-so/{dossier.code}/"), (site.reception, "/can-bo/mot-cua/"),
    ]
    # the citizen's submission wizard, its four steps, after the first one has made a draft
    client.force_login(site.citizen)
    start = f"/nop-ho-so/{site.proc.code}/"
    response = client.post(start, {"phone": "0912345678", "email": "an@example.vn", "address": "Phường Việt Trì"})
    draft_url = response["Location"].rsplit("/", 2)[0]
    wizard = [start] + [f"{draft_url}/{step}/" for step in ("to-khai", "giay-to", "xac-nhan")]
    pages += [(site.citizen, url) for url in wizard]
    client.logout()  # the public pages first, as a visitor; logging out forgets the language cookie
    english(client)

    unmarked = {}
    for user, url in pages:
        if user is not None:
            client.force_login(user)  # keeps the cookies, the language among them
        if texts := _unmarked(client.get(url), proper_names):
            unmarked[url] = texts
    client.logout()
    english(client)
    tracking = client.post("/tra-cuu/", {"code": dossier.code, "phone": "0912345678"})
    if texts := _unmarked(tracking, proper_names):
        unmarked["/tra-cuu/"] = texts
    assert unmarked == {}


def test_tick_box_answers_are_in_the_page_language(client, site):
    """A tick box's answer is the page's "Yes"/"No", not Vietnamese data: it is not marked."""
    client.force_login(site.citizen)
    english(client)
    start = f"/nop-ho-so/{site.proc.code}/"
    response = client.post(start, {"phone": "0912345678", "email": "an@example.vn", "address": "Phường Việt Trì"})
    review = response["Location"].rsplit("/", 2)[0] + "/xac-nhan/"
    assert re.search(r"<dd>(Yes|No)</dd>", client.get(review).content.decode())
