"""Staff pages of one dossier: scope, the actions offered as forms, the stale-page conflict, the
whole processing path through the HTML forms, and the reception desk."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tinhso.core.audit import AuditEntry
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests import factories as f
from tinhso.signing.services import pdf_verify

pytestmark = pytest.mark.django_db


def pdf(name="ket-qua.pdf"):
    return SimpleUploadedFile(name, f.pdf_bytes(), content_type="application/pdf")


def test_staff_pages_are_closed_to_citizens_and_other_agencies(client, site):
    dossier = site.submit()
    client.force_login(site.citizen)
    for url in ("/can-bo/", "/can-bo/mot-cua/", "/can-bo/viec-can-lam/", f"/can-bo/ho-so/{dossier.code}/"):
        response = client.get(url)
        assert response.status_code == 403 and "chỉ dành cho cán bộ" in response.content.decode(), url
    client.force_login(site.other_reception)
    response = client.get(f"/can-bo/ho-so/{dossier.code}/")
    assert response.status_code == 404 and "Không tìm thấy" in response.content.decode()
    assert client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/receive/",
                       {"receive-expected_version": dossier.version}).status_code == 404
    dossier.refresh_from_db()
    assert dossier.status == "submitted"


def test_reception_desk_lists_online_submissions_oldest_first_and_receives(client, site):
    first, second = site.submit(), site.submit()
    client.force_login(site.reception)
    html = client.get("/can-bo/mot-cua/").content.decode()
    assert html.index(first.code) < html.index(second.code)
    assert "0010****2345" in html and "001099012345" not in html  # masked in lists

    page = client.get(f"/can-bo/ho-so/{first.code}/")
    html = page.content.decode()
    assert "001099012345" in html  # the full record, and the read is logged
    assert AuditEntry.objects.filter(action="personal_data.read").exists()
    assert f'action="/can-bo/ho-so/{first.code}/thao-tac/receive/"' in html
    assert 'name="receive-expected_version"' in html and "Từ chối tiếp nhận" in html
    response = client.post(f"/can-bo/ho-so/{first.code}/thao-tac/receive/",
                           {"receive-expected_version": first.version, "receive-note": ""})
    assert response["Location"] == f"/can-bo/ho-so/{first.code}/bien-nhan/"
    first.refresh_from_db()
    assert first.status == "received" and first.due_at is not None
    html = client.get(response["Location"]).content.decode()
    assert "Đã tiếp nhận hồ sơ" in html and timezone.localtime(first.due_at).strftime("%d/%m/%Y") in html
    assert first.code not in client.get("/can-bo/mot-cua/").content.decode()


def test_a_stale_page_gets_the_conflict_message(client, site):
    dossier = site.submit()
    client.force_login(site.reception)
    stale_version = dossier.version
    client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/receive/", {"receive-expected_version": stale_version})
    # The same officer (or a colleague) posts the refusal form of the page loaded before the receipt.
    response = client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/refuse/",
                           {"refuse-expected_version": stale_version, "refuse-reason": "Thiếu giấy tờ"},
                           follow=True)
    assert "Hồ sơ đã được người khác xử lý" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == "received"


def test_a_version_mismatch_on_an_offered_action_is_a_conflict_too(client, site):
    dossier = site.received()
    client.force_login(site.unit_head)
    response = client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/assign/",
                           {"assign-expected_version": dossier.version - 1, "assign-assignee": "chuyenvien"},
                           follow=True)
    assert "Hồ sơ đã được người khác xử lý" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.assignee is None


def test_missing_reason_is_shown_next_to_the_field(client, site):
    dossier = site.submit()
    client.force_login(site.reception)
    response = client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/refuse/",
                           {"refuse-expected_version": dossier.version, "refuse-reason": ""})
    html = response.content.decode()
    assert response.status_code == 422 and 'href="#id_refuse-reason"' in html and 'aria-invalid="true"' in html


def test_whole_processing_path_through_the_html_forms(client, site, site_pki):
    dossier = site.received()

    def act(user, action, data, files=None):
        client.force_login(user)
        page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
        assert f"/thao-tac/{action}/" in page, (action, user)
        dossier.refresh_from_db()
        body = {f"{action}-expected_version": dossier.version, **{f"{action}-{k}": v for k, v in data.items()}}
        response = client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/{action}/", {**body, **(files or {})})
        assert response.status_code == 302, response.content.decode()[:2000]
        dossier.refresh_from_db()

    act(site.unit_head, "assign", {"assignee": "chuyenvien", "note": "Xử lý trong ngày"})
    assert dossier.assignee == site.specialist and dossier.current_step.code == "tham-dinh"
    act(site.specialist, "forward", {"note": ""})
    assert dossier.current_step.code == "phe-duyet"
    act(site.leader, "approve", {"note": ""})  # signs the result generated from the template
    assert dossier.current_step.code == "ban-hanh"
    act(site.clerk, "issue_result", {"note": ""})  # seals it
    assert dossier.status == "resolved"

    client.force_login(site.citizen)
    html = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Tải kết quả giải quyết" in html and "Đã xử lý xong" in html
    response = client.get(f"/ho-so-cua-toi/{dossier.code}/ket-qua/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    report = pdf_verify(pdf=b"".join(response.streaming_content))
    assert report.verdict == "valid" and len(report.signatures) == 2

    client.force_login(site.reception)
    page = client.get(f"/can-bo/ho-so/{dossier.code}/").content.decode()
    assert "Trả kết quả" in page and ("Đúng hạn" in page or "Trước hạn" in page)


def test_supplement_request_at_reception_and_the_citizens_answer(client, site):
    dossier = site.submit()
    to_khai = site.proc.documents[0]
    client.force_login(site.reception)
    response = client.post(f"/can-bo/ho-so/{dossier.code}/thao-tac/request_supplement/", {
        "request_supplement-expected_version": dossier.version, "request_supplement-items": [to_khai.code],
        "request_supplement-other_items": "Bản sao sổ hộ khẩu", "request_supplement-reason": "Tờ khai chưa ký"})
    assert response.status_code == 302
    dossier.refresh_from_db()
    assert dossier.status == "supplement_requested"
    request_row = dossier.supplement_requests.get()
    assert [i["name"] for i in request_row.items] == [to_khai.name, "Bản sao sổ hộ khẩu"]

    client.force_login(site.citizen)
    html = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Cơ quan yêu cầu bổ sung giấy tờ" in html and "Tờ khai chưa ký" in html and 'name="item-0"' in html
    response = client.post(f"/ho-so-cua-toi/{dossier.code}/bo-sung/", {
        "expected_version": dossier.version, "item-0": pdf("to-khai-da-ky.pdf"), "item-1": pdf("so-ho-khau.pdf")},
        follow=True)
    assert "Đã nộp bổ sung giấy tờ. Hồ sơ được chuyển lại cho Bộ phận Một cửa" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.status == "submitted"
    assert sorted(dossier.documents.filter(role="supplement").values_list("name", flat=True)) == \
        sorted([to_khai.name, "Bản sao sổ hộ khẩu"])


def test_counter_intake_creates_receives_and_shows_the_receipt(client, site):
    client.force_login(site.reception)
    html = client.get("/can-bo/mot-cua/tiep-nhan/").content.decode()
    assert f"/can-bo/mot-cua/tiep-nhan/{site.proc.code}/" in html
    to_khai, cccd = site.proc.documents[0], site.proc.documents[1]
    url = f"/can-bo/mot-cua/tiep-nhan/{site.proc.code}/"
    base = {"agency": site.centre.code, "channel": "counter", "kind": "citizen", "full_name": "Lê Thị Cúc",
            "id_number": "034200001234", "phone": "0987 654 321", "ho_ten": "Lê Thị Cúc", "so_ban": "1",
            "cam_doan": "on"}
    response = client.post(url, {**base, "id_number": "12", f"doc-{to_khai.pk}": pdf("to-khai.pdf")})
    html = response.content.decode()
    assert response.status_code == 422 and 'href="#id_id_number"' in html
    kept = Dossier.objects.count()
    assert kept == 0 and f'name="kept-{to_khai.pk}"' in html  # the scan is kept for the next try
    kept_id = html.split(f'name="kept-{to_khai.pk}" value="')[1].split('"')[0]
    response = client.post(url, {**base, f"kept-{to_khai.pk}": kept_id,
                                 f"doc-{cccd.pk}": SimpleUploadedFile("cccd.png", f.png_bytes(), "image/png")})
    dossier = Dossier.objects.get()
    assert response["Location"] == f"/can-bo/ho-so/{dossier.code}/bien-nhan/"
    assert dossier.status == "received" and dossier.channel == "counter" and dossier.applicant_phone == "0987654321"
    assert set(dossier.documents.values_list("role", flat=True)) == {"scan"}
    html = client.get(response["Location"]).content.decode()
    assert dossier.code in html and "Ngày hẹn trả kết quả" in html


def test_counter_intake_is_refused_to_officers_without_the_reception_role(client, site):
    client.force_login(site.specialist)
    response = client.get(f"/can-bo/mot-cua/tiep-nhan/{site.proc.code}/")
    assert response.status_code == 403
