"""The work queue page: urgency marks, filters, constant query count, bulk assignment, Excel export;
the dashboard's counts; the register for a period."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from tinhso.dossiers.models import Dossier

pytestmark = pytest.mark.django_db


def _received(site, n):
    return [site.received() for _ in range(n)]


def test_overdue_and_at_risk_are_said_in_words(client, site):
    late, soon, fine = _received(site, 3)
    now = timezone.now()
    Dossier.objects.filter(pk=late.pk).update(due_at=now - timedelta(days=2))
    Dossier.objects.filter(pk=soon.pk).update(due_at=now + timedelta(minutes=30))
    Dossier.objects.filter(pk=fine.pk).update(due_at=now + timedelta(days=30))
    client.force_login(site.unit_head)
    html = client.get("/can-bo/viec-can-lam/").content.decode()
    assert html.index(late.code) < html.index(soon.code) < html.index(fine.code)
    row = html[html.index(late.code):html.index(soon.code)]
    assert "Quá hạn" in row and "badge late" in row
    assert "Sắp đến hạn" in html[html.index(soon.code):html.index(fine.code)]
    html = client.get("/can-bo/viec-can-lam/", {"flag": "overdue"}).content.decode()
    assert late.code in html and soon.code not in html and fine.code not in html

    html = client.get("/can-bo/").content.decode()
    assert 'href="/can-bo/viec-can-lam/?flag=overdue"><span class="number">1</span>' in html


def test_queue_query_count_does_not_grow_with_the_list(client, site, django_assert_max_num_queries):
    _received(site, 2)
    client.force_login(site.unit_head)
    client.get("/can-bo/viec-can-lam/")  # warm the calendar snapshot and the session
    with CaptureQueriesContext(connection) as small:
        assert client.get("/can-bo/viec-can-lam/").status_code == 200
    _received(site, 48)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = client.get("/can-bo/viec-can-lam/").content.decode()
    assert html.count('href="/can-bo/ho-so/') == 50


def test_unit_head_assigns_several_dossiers_at_once(client, site):
    a, b, c = _received(site, 3)
    client.force_login(site.unit_head)
    html = client.get("/can-bo/viec-can-lam/").content.decode()
    assert 'id="bulk-form"' in html and 'value="chuyenvien"' in html
    # Dossiers at the assignment step: bulk_assign hands them to a person holding that step's role.
    response = client.post("/can-bo/viec-can-lam/phan-cong/", {"dossiers": [a.code, b.code],
                                                                "assignee": "truongphong"}, follow=True)
    assert "Đã phân công 2 hồ sơ" in response.content.decode()
    assert set(Dossier.objects.filter(assignee=site.unit_head).values_list("code", flat=True)) == {a.code, b.code}
    assert Dossier.objects.get(pk=c.pk).assignee is None


def test_specialists_get_no_bulk_assignment(client, site):
    _received(site, 1)
    client.force_login(site.specialist)
    assert 'id="bulk-form"' not in client.get("/can-bo/viec-can-lam/").content.decode()
    response = client.post("/can-bo/viec-can-lam/phan-cong/", {"dossiers": ["x"], "assignee": "chuyenvien"},
                           follow=True)
    assert "Chỉ lãnh đạo đơn vị" in response.content.decode()


def test_excel_export_holds_the_filtered_list_masked(client, site):
    late, other = _received(site, 2)
    Dossier.objects.filter(pk=late.pk).update(due_at=timezone.now() - timedelta(days=1))
    client.force_login(site.unit_head)
    response = client.get("/can-bo/viec-can-lam/xuat-excel/", {"flag": "overdue"})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã hồ sơ", "Thủ tục", "Chủ hồ sơ")
    assert [r[0] for r in rows[1:]] == [late.code]
    assert rows[1][3] == "0010****2345" and rows[1][11] == "Quá hạn"
    due = timezone.localtime(Dossier.objects.get(pk=late.pk).due_at)
    assert rows[1][10].strftime("%d/%m/%Y %H:%M") == due.strftime("%d/%m/%Y %H:%M")


def test_register_for_a_period_on_screen_and_in_excel(client, site):
    dossier = site.received()
    client.force_login(site.reception)
    today = timezone.localdate().strftime("%d/%m/%Y")
    params = {"agency": site.centre.code, "date_from": today, "date_to": today}
    html = client.get("/can-bo/so-theo-doi/", params).content.decode()
    assert dossier.code in html and "Nguyễn Văn An" in html
    response = client.get("/can-bo/so-theo-doi/", {**params, "format": "xlsx"})
    assert "spreadsheetml" in response["Content-Type"]
    cells = [c for row in load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True) for c in row]
    assert dossier.code in cells and "Nguyễn Văn An" in cells
    response = client.get("/can-bo/so-theo-doi/", {**params, "format": "pdf"})
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF-")
    response = client.get("/can-bo/so-theo-doi/", {**params, "date_from": "32/13/2026"})
    assert response.status_code == 422 and "ngày/tháng/năm" in response.content.decode()
    client.force_login(site.specialist)
    assert client.get("/can-bo/so-theo-doi/").status_code == 403


def test_the_step_filter_offers_the_steps_in_the_queue(client, site):
    from tinhso.dossiers.services import dossier_assign

    waiting, appraised = _received(site, 2)
    dossier_assign(actor=site.unit_head, dossier=appraised, assignee=site.specialist)
    client.force_login(site.unit_head)
    html = client.get("/can-bo/viec-can-lam/").content.decode()
    assert '<label for="f-step">' in html and '<option lang="vi" value="tham-dinh">' in html
    assert '<option lang="vi" value="phan-cong">' in html
    html = client.get("/can-bo/viec-can-lam/", {"step": "tham-dinh"}).content.decode()
    assert appraised.code in html and waiting.code not in html
    assert '<option lang="vi" value="tham-dinh" selected>' in html
