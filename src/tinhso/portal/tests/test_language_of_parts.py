"""WCAG 3.1.2 Language of Parts: on English pages, the Vietnamese data (procedure, agency, document
and step names, legal texts, e-form fields) is marked ``lang="vi"`` so that a screen reader reads it
with a Vietnamese voice; the interface around it is English (docs/accessibility.md)."""

from __future__ import annotations

import re

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
