"""Admin: a published version is view-only; drafts are created and published from it."""

import pytest

from tinhso.catalog.models import Procedure, ProcedureVersion
from tinhso.catalog.tests.factories import full_record, import_records

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(agencies):
    import_records([full_record()])
    return ProcedureVersion.objects.get(procedure__code="1.900101")


@pytest.fixture
def admin_client(client, catalog_admin):
    client.force_login(catalog_admin)
    return client


def change_url(version):
    return f"/admin/catalog/procedureversion/{version.pk}/change/"


def test_published_version_page_is_read_only(admin_client, published):
    html = admin_client.get(change_url(published)).content.decode()
    assert 'name="_save"' not in html
    assert "Phiên bản đã công bố không sửa được" in html
    assert 'name="_draft"' in html
    response = admin_client.post(change_url(published), {"name": "Sửa lén"})
    assert response.status_code == 403
    assert ProcedureVersion.objects.get(pk=published.pk).name == "Đăng ký thử nghiệm đầy đủ"


def test_new_draft_button_then_publish_action(admin_client, published):
    response = admin_client.post(change_url(published), {"_draft": "1"})
    draft = ProcedureVersion.objects.get(procedure=published.procedure, status="draft")
    assert response.status_code == 302 and response["Location"] == change_url(draft)

    html = admin_client.get(change_url(draft)).content.decode()
    assert 'name="_save"' in html and 'name="_publish"' in html

    response = admin_client.post("/admin/catalog/procedureversion/", {
        "action": "publish_selected", "_selected_action": [draft.pk]}, follow=True)
    assert "Đã công bố 1.900101 phiên bản 2." in response.content.decode()
    assert Procedure.objects.get(pk=published.procedure_id).current_version_id == draft.pk


def test_publish_errors_are_shown_in_vietnamese(admin_client, published):
    admin_client.post(change_url(published), {"_draft": "1"})
    draft = ProcedureVersion.objects.get(procedure=published.procedure, status="draft")
    draft.steps_text = ""
    draft.save()

    html = admin_client.get(change_url(draft)).content.decode()
    assert "Bản nháp chưa thể công bố" in html and "Thiếu trình tự thực hiện." in html

    response = admin_client.post("/admin/catalog/procedureversion/", {
        "action": "publish_selected", "_selected_action": [draft.pk]}, follow=True)
    assert "Thiếu trình tự thực hiện." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_process_steps_of_a_published_version_are_read_only(admin_client, published):
    html = admin_client.get(f"/admin/catalog/processdefinition/{published.process.pk}/change/").content.decode()
    assert 'name="_save"' not in html and "Thẩm định hồ sơ" in html


def test_procedure_with_published_versions_cannot_be_deleted(admin_client, published):
    response = admin_client.get(f"/admin/catalog/procedure/{published.procedure_id}/delete/")
    assert response.status_code == 403


def test_editing_a_draft_and_its_process_by_hand_is_audited(admin_client, published, catalog_admin):
    from tinhso.core.models import AuditEntry
    from tinhso.core.testing import admin_form_data

    admin_client.post(change_url(published), {"_draft": "1"})
    draft = ProcedureVersion.objects.get(procedure=published.procedure, status="draft")
    data = admin_form_data(admin_client.get(change_url(draft)))
    data["name"] = "Đăng ký thử nghiệm (dự thảo sửa tên)"
    response = admin_client.post(change_url(draft), {**data, "_continue": "1"})
    assert response.status_code == 302, response.content.decode()[:3000]

    process_url = f"/admin/catalog/processdefinition/{draft.process.pk}/change/"
    data = admin_form_data(admin_client.get(process_url))
    data["steps-0-name"] = "Thẩm định hồ sơ và xác minh"
    response = admin_client.post(process_url, data)
    assert response.status_code == 302, response.content.decode()[:3000]

    entries = AuditEntry.objects.filter(action__endswith="_admin_update").order_by("seq")
    assert [(e.action, e.data["fields"], e.actor_id) for e in entries] == [
        ("catalog.procedureversion_admin_update", ["name"], catalog_admin.pk),
        ("catalog.step_admin_update", ["name"], catalog_admin.pk),
    ]
    assert entries[0].target_id == str(draft.pk)


def test_a_new_procedure_needs_a_code_of_the_national_form(admin_client):
    form = {"code": "TT-01", "local_code": "", "popularity": "0"}
    response = admin_client.post("/admin/catalog/procedure/add/", form)
    assert response.status_code == 200
    assert "Mã thủ tục phải có dạng d.dddddd, ví dụ 1.001193." in response.content.decode()
    assert not Procedure.objects.exists()
    response = admin_client.post("/admin/catalog/procedure/add/", {**form, "code": "2.900001"})
    assert response.status_code == 302 and Procedure.objects.filter(code="2.900001").exists()
