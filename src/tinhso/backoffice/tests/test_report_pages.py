"""The statistics pages: the leader's numbers link to exactly their dossiers, the 766 page drills down
group → indicator → agency → the dossiers that lose points, the Excel export holds the same table,
numbers and dates are written the Vietnamese way, and a clerk is refused."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from tinhso.dossiers.status import Channel
from tinhso.reports.tests.conftest import DossierMaker, at, province  # noqa: F401  (fixture)

Q1 = "period=quarter&year=2026&quarter=1"


@pytest.fixture
def data(province):  # noqa: F811
    make = DossierMaker(province)
    due = at(2026, 2, 20, 17)
    for _ in range(2):
        make(agency=province.other_commune, channel=Channel.ONLINE, received=at(2026, 1, 5, 9),
             resolved=at(2026, 1, 6, 9), verdict="early")
    make(agency=province.commune, resolved=at(2026, 2, 10, 9), due=due, verdict="on_time")
    late = make(agency=province.commune, resolved=at(2026, 2, 25, 9), due=due, verdict="late")
    return province, late


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def test_dashboard_numbers_link_to_their_dossiers(client, data):
    p, late = data
    client.force_login(p.governor)
    page = client.get(f"/can-bo/thong-ke/?{Q1}")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="total-received">4<' in html and 'id="total-rate">75,00 %<' in html
    assert "Quý 1/2026 (01/01/2026 – 31/03/2026)" in text(page)
    link = re.search(r'href="(/can-bo/thong-ke/ho-so/\?[^"]*measure=late&amp;agency=H44.20)"', html)
    assert link, "the late count of the commune links to its dossiers"
    listing = client.get(link.group(1).replace("&amp;", "&"))
    assert listing.status_code == 200
    body = listing.content.decode()
    assert 'id="dossier-count">1<' in body and f"/can-bo/ho-so/{late.code}/" in body


def test_766_page_drills_down_to_a_dossier_that_loses_points(client, data):
    p, late = data
    client.force_login(p.governor)
    page = client.get(f"/can-bo/thong-ke/766/?{Q1}")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn" in html and "Chưa có dữ liệu" in html
    assert 'href="/can-bo/thong-ke/766/chi-so/5/?' in html
    indicator = client.get(f"/can-bo/thong-ke/766/chi-so/5/?{Q1}")
    assert indicator.status_code == 200
    ih = indicator.content.decode()
    # 3 of 4 on time: 75,00 % → 15,00 points of 20
    assert 'id="fig-ratio">75,00 %<' in ih and 'id="fig-score">15,00<' in ih
    agency_link = re.search(r'href="(\?[^"]*agency=H44.20)"', ih)
    assert agency_link
    drilled = client.get("/can-bo/thong-ke/766/chi-so/5/" + agency_link.group(1).replace("&amp;", "&"))
    dh = drilled.content.decode()
    assert f"/can-bo/ho-so/{late.code}/" in dh and "Giải quyết xong sau ngày hẹn trả" in dh


def test_excel_export_holds_the_score_table(client, data):
    p, _ = data
    client.force_login(p.governor)
    response = client.get(f"/can-bo/thong-ke/766/?{Q1}&format=xlsx")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    five = next(r for r in rows if r[1] == 5)
    assert five[2:9] == ["DOSSIER_ON_TIME", "Tỷ lệ hồ sơ xử lý trước hạn, đúng hạn", 3, 4, 75.0, 15.0, 20.0]
    assert rows[-1][0] == "Tổng cộng" and rows[-1][8] == 100.0


def test_clerk_and_citizen_are_refused_and_bad_periods_explained(client, data):
    p, _ = data
    client.force_login(p.clerk)
    assert client.get("/can-bo/thong-ke/").status_code == 403
    client.force_login(p.governor)
    bad = client.get("/can-bo/thong-ke/766/?period=quarter&year=2026&quarter=7")
    assert bad.status_code == 422 and "Quý phải từ 1 đến 4." in bad.content.decode()
    client.force_login(p.commune_leader)
    assert client.get(f"/can-bo/thong-ke/?{Q1}&agency=H44.21").status_code == 403
    assert client.get("/can-bo/thong-ke/766/chi-so/99/").status_code == 404


def test_numbers_are_written_the_vietnamese_way():
    from decimal import Decimal

    from tinhso.backoffice.templatetags.report_ui import bar_width, vn_dec, vn_int, vn_pct

    assert vn_int(1234567) == "1.234.567" and vn_int(None) == "—"
    assert vn_dec(Decimal("1234.5")) == "1.234,50" and vn_dec(Decimal("7.85"), 1) == "7,9"
    assert vn_pct(Decimal("93.1")) == "93,10 %" and vn_pct(None) == "—"
    assert bar_width(Decimal("15"), 20) == "75.0" and bar_width(None) == "0" and bar_width(150) == "100.0"
