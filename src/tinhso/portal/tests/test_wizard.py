"""The online submission wizard, end to end through the Django test client (issue #4 item 2)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tinhso.dossiers.models import Dossier
from tinhso.dossiers.tests import factories as f

pytestmark = pytest.mark.django_db


def pdf(name="to-khai.pdf"):
    return SimpleUploadedFile(name, f.pdf_bytes(), content_type="application/pdf")


def png(name="cccd.png"):
    return SimpleUploadedFile(name, f.png_bytes(), content_type="image/png")


def test_procedure_page_offers_online_submission_only_when_open(client, site):
    html = client.get(f"/thu-tuc/{site.proc.code}/").content.decode()
    assert "Nộp hồ sơ trực tuyến" in html and f'href="/nop-ho-so/{site.proc.code}/"' in html
    site.proc.version.__class__.objects.filter(pk=site.proc.version.pk).update(online_level="NONE")
    html = client.get(f"/thu-tuc/{site.proc.code}/").content.decode()
    assert f'href="/nop-ho-so/{site.proc.code}/"' not in html


def test_wizard_needs_an_applicant_account(client, site):
    response = client.get(f"/nop-ho-so/{site.proc.code}/")
    assert response.status_code == 302 and response["Location"].startswith("/tai-khoan/dang-nhap/")
    client.force_login(site.reception)
    response = client.get(f"/nop-ho-so/{site.proc.code}/")
    assert response.status_code == 403 and "dành cho tài khoản công dân" in response.content.decode()


def test_citizen_submits_online_through_the_four_steps(client, site):
    client.force_login(site.citizen)
    start = client.get(f"/nop-ho-so/{site.proc.code}/")
    html = start.content.decode()
    assert "Bước 1/4" in html and "001099012345" in html and 'value="0912345678"' in html
    assert not Dossier.objects.exists()  # nothing is stored before the first post

    response = client.post(f"/nop-ho-so/{site.proc.code}/", {"phone": "0912 345 678", "email": "an@example.vn",
                                                            "address": "Phường Việt Trì"})
    draft = Dossier.objects.get()
    assert draft.status == "draft" and draft.owner == site.citizen and draft.receiving_agency == site.centre
    assert response["Location"] == f"/ho-so-cua-toi/ban-nhap/{draft.pk}/to-khai/"

    html = client.get(response["Location"]).content.decode()
    assert "Bước 2/4" in html and 'id="eform-ho_ten"' in html
    response = client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/to-khai/", {"ho_ten": "", "so_ban": "0"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#eform-so_ban"' in html and 'href="#eform-cam_doan"' in html
    # "ho_ten" is not marked x-applicant: only suggested, so a cleared one is asked for
    assert 'href="#eform-ho_ten"' in html
    assert 'aria-invalid="true"' in html
    response = client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/to-khai/",
                           {"ho_ten": "Nguyễn Văn An", "so_ban": "2", "ngay_dang_ky": "2020-05-01", "cam_doan": "on"})
    assert response["Location"] == f"/ho-so-cua-toi/ban-nhap/{draft.pk}/giay-to/"
    draft.refresh_from_db()
    assert draft.form_data == {"ho_ten": "Nguyễn Văn An", "so_ban": 2, "ngay_dang_ky": "2020-05-01", "cam_doan": True}

    html = client.get(response["Location"]).content.decode()
    assert "Bước 3/4" in html and 'type="file"' in html
    to_khai, cccd = site.proc.documents[0], site.proc.documents[1]
    response = client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/giay-to/",
                           {f"doc-{to_khai.pk}": png("anh.png"), f"doc-{cccd.pk}": png()})
    html = response.content.decode()
    # The declaration takes PDF only: that file is refused, the other one is kept.
    assert response.status_code == 422 and "chỉ nhận tệp PDF" in html and f'href="#doc-{to_khai.pk}"' in html
    assert "cccd.png" in html
    response = client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/giay-to/", {f"doc-{to_khai.pk}": pdf()})
    assert response["Location"] == f"/ho-so-cua-toi/ban-nhap/{draft.pk}/xac-nhan/"
    assert sorted(draft.documents.values_list("file__original_name", flat=True)) == ["cccd.png", "to-khai.pdf"]

    html = client.get(response["Location"]).content.decode()
    assert "Bước 4/4" in html and "Số bản sao" in html and "to-khai.pdf" in html
    response = client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/xac-nhan/")
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.code.startswith("H44.12-")
    assert response["Location"] == f"/ho-so-cua-toi/{draft.code}/da-nop/"
    html = client.get(response["Location"]).content.decode()
    assert draft.code in html and "Mới đăng ký" in html and f"/tra-cuu/?ma={draft.code}" in html


def test_draft_is_listed_and_resumed_and_submission_points_to_what_is_missing(client, site):
    client.force_login(site.citizen)
    client.post(f"/nop-ho-so/{site.proc.code}/", {"phone": "0912345678", "save_exit": "1"})
    draft = Dossier.objects.get()
    html = client.get("/ho-so-cua-toi/").content.decode()
    assert "Bản nháp" in html and f"/ho-so-cua-toi/ban-nhap/{draft.pk}/thong-tin/" in html

    html = client.get(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/thong-tin/").content.decode()
    assert 'value="0912345678"' in html and "Bước 1/4" in html
    response = client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/xac-nhan/")
    html = response.content.decode()
    assert response.status_code == 422 and "Hồ sơ chưa nộp được" in html
    assert f"/ho-so-cua-toi/ban-nhap/{draft.pk}/" in html
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_citizen_cannot_open_another_citizens_draft_or_dossier(client, site):
    dossier = site.submit(actor=site.other_citizen)
    client.force_login(site.other_citizen)
    client.post(f"/nop-ho-so/{site.proc.code}/", {"phone": "0987654321"})
    draft = Dossier.objects.get(status="draft")
    client.force_login(site.citizen)
    assert client.get(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/thong-tin/").status_code == 404
    assert client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/xoa/").status_code == 302
    assert Dossier.objects.filter(pk=draft.pk).exists()
    response = client.get(f"/ho-so-cua-toi/{dossier.code}/")
    assert response.status_code == 404 and "Không tìm thấy" in response.content.decode()
    document = dossier.documents.first()
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/giay-to/{document.pk}/").status_code == 404


APPLICANT_EFORM = {
    "type": "object",
    "title": "Tờ khai xác nhận tình trạng hôn nhân",
    "properties": {
        "ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên", "maxLength": 100, "x-applicant": "name"},
        "so_dinh_danh": {"type": "string", "format": "id_number", "title": "Số định danh cá nhân",
                         "x-applicant": "id_number"},
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh của con"},
        "dien_thoai": {"type": "string", "format": "phone", "title": "Số điện thoại liên hệ"},
        "thu_dien_tu": {"type": "string", "format": "email", "title": "Thư điện tử"},
        "noi_cu_tru": {"type": "string", "title": "Nơi cư trú", "x-applicant": "address"},
        "ho_ten_nguoi_than": {"type": "string", "title": "Họ tên người thân"},
        "dia_chi": {"type": "string", "title": "Địa chỉ nơi có đất", "x-applicant": ""},
        "muc_dich": {"type": "string", "title": "Mục đích sử dụng", "maxLength": 300},
    },
    "required": ["ho_ten", "so_dinh_danh", "dien_thoai", "muc_dich"],
}


def _wizard_eform(client, site, code: str, eform: dict):
    """A citizen's draft of a procedure with ``eform``, after step 1: (draft, step 2's HTML, field())."""
    from tinhso.catalog.models import ProcedureVersion

    setup = f.procedure(code=code, receiving=[site.centre], eform=eform)
    ProcedureVersion.objects.filter(pk=setup.version.pk).update(online_level="FULL")
    client.force_login(site.citizen)
    response = client.post(f"/nop-ho-so/{code}/", {"phone": "0912345678", "email": "an@example.vn",
                                                   "address": "Số 5 Hùng Vương, phường Việt Trì"})
    draft = Dossier.objects.get()
    html = client.get(response["Location"]).content.decode()

    def field(name):
        start = html.index(f'id="eform-{name}"')
        return html[start:html.index(">", start)]

    return draft, html, field


def test_the_eform_takes_what_the_account_holds(client, site):
    """A citizen submitting for themself is not asked again for what the account holds: the identity
    fields the author marked ``x-applicant`` come from the account (shown read-only, and a tampered post
    does not change them), the contact details are suggested from step 1 and stay editable; other fields
    are the citizen's to fill."""
    draft, html, field = _wizard_eform(client, site, "1.000894", APPLICANT_EFORM)
    assert 'value="Nguyễn Văn An"' in field("ho_ten") and " readonly" in field("ho_ten")
    assert f'value="{f.CITIZEN_ID}"' in field("so_dinh_danh") and " readonly" in field("so_dinh_danh")
    assert 'aria-describedby="eform-so_dinh_danh-source"' in field("so_dinh_danh")
    assert "Lấy từ tài khoản của bạn." in html
    assert 'value="0912345678"' in field("dien_thoai") and "readonly" not in field("dien_thoai")
    assert 'value="an@example.vn"' in field("thu_dien_tu") and "readonly" not in field("thu_dien_tu")
    assert 'value="Số 5 Hùng Vương, phường Việt Trì"' in field("noi_cu_tru")  # suggested by x-applicant
    assert "readonly" not in field("noi_cu_tru")
    for untouched in ("ngay_sinh", "ho_ten_nguoi_than", "dia_chi", "muc_dich"):  # not the applicant's data
        assert 'value=""' in field(untouched), untouched

    response = client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/to-khai/", {
        "ho_ten": "Người Khác", "so_dinh_danh": "001099099999", "dien_thoai": "0987 111 222",
        "thu_dien_tu": "", "noi_cu_tru": "Xã Lâm Thao", "muc_dich": "Đăng ký kết hôn"})
    assert response.status_code == 302
    draft.refresh_from_db()
    # a cleared suggestion stays cleared
    assert draft.form_data == {"ho_ten": "Nguyễn Văn An", "so_dinh_danh": f.CITIZEN_ID, "dien_thoai": "0987111222",
                               "noi_cu_tru": "Xã Lâm Thao", "muc_dich": "Đăng ký kết hôn"}
    html = client.get(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/to-khai/").content.decode()
    start = html.index('id="eform-thu_dien_tu"')
    assert 'value=""' in html[start:html.index(">", start)]


def test_a_field_named_like_the_applicants_is_only_a_suggestion(client, site):
    """An e-form published without ``x-applicant`` whose "ho_ten" and "so_dinh_danh" speak of someone else
    (here a deceased person): the account's values are suggested, stay editable, and what the citizen
    typed is what is submitted."""
    eform = {"type": "object", "title": "Tờ khai đăng ký khai tử", "properties": {
        "ho_ten": {"type": "string", "title": "Họ, chữ đệm và tên người đã chết", "maxLength": 100},
        "so_dinh_danh": {"type": "string", "format": "id_number", "title": "Số định danh của người đã chết"},
        "dia_chi": {"type": "string", "title": "Nơi chết"},
    }, "required": ["ho_ten", "so_dinh_danh"]}
    draft, html, field = _wizard_eform(client, site, "1.000656", eform)
    assert 'value="Nguyễn Văn An"' in field("ho_ten") and "readonly" not in field("ho_ten")
    assert f'value="{f.CITIZEN_ID}"' in field("so_dinh_danh") and "readonly" not in field("so_dinh_danh")
    assert "Lấy từ tài khoản của bạn." not in html

    response = client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/to-khai/", {
        "ho_ten": "Nguyễn Văn Cha", "so_dinh_danh": f.OTHER_CITIZEN_ID, "dia_chi": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.form_data == {"ho_ten": "Nguyễn Văn Cha", "so_dinh_danh": f.OTHER_CITIZEN_ID}
    html = client.get(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/to-khai/").content.decode()
    assert 'value="Nguyễn Văn Cha"' in html and 'value="Số 5 Hùng Vương, phường Việt Trì"' not in html
    _submit(client, site, draft)
    draft.refresh_from_db()
    assert draft.status == "submitted"
    assert draft.form_data == {"ho_ten": "Nguyễn Văn Cha", "so_dinh_danh": f.OTHER_CITIZEN_ID}


def test_a_marked_field_that_refuses_the_account_value_stays_editable(client, site):
    """An old form asking for the 9-digit identity card, and a name shorter than the account's: the
    account's values would fail the field's own rules, so the fields are not locked nor filled, and the
    citizen's answers are submitted."""
    eform = {"type": "object", "title": "Tờ khai", "properties": {
        "ho_ten": {"type": "string", "title": "Họ tên", "maxLength": 10, "x-applicant": "name"},
        "so_dinh_danh": {"type": "string", "title": "Số CMND", "pattern": "^[0-9]{9}$", "x-applicant": "id_number"},
    }, "required": ["ho_ten", "so_dinh_danh"]}
    draft, html, field = _wizard_eform(client, site, "1.000657", eform)
    for name in ("ho_ten", "so_dinh_danh"):
        assert 'value=""' in field(name) and "readonly" not in field(name), name
    response = client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/to-khai/", {"ho_ten": "Ng. V. An",
                                                                            "so_dinh_danh": "123456789"})
    assert response.status_code == 302
    _submit(client, site, draft)
    draft.refresh_from_db()
    assert draft.status == "submitted" and draft.form_data == {"ho_ten": "Ng. V. An", "so_dinh_danh": "123456789"}


def _submit(client, site, draft):
    """Upload the draft's required files and submit it from the review step."""
    for required in draft.procedure_version.documents.filter(is_required=True):
        content = pdf() if list(required.accepts or []) == ["pdf"] else png()
        client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/giay-to/", {f"doc-{required.pk}": content})
    response = client.post(f"/ho-so-cua-toi/ban-nhap/{draft.pk}/xac-nhan/")
    assert response.status_code == 302, response.content.decode()[:2000]
