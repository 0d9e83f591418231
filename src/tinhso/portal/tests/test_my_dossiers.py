"""The applicant's own dossier page: timeline, forms issued, withdrawal with the stale-page guard."""

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def test_citizen_sees_status_timeline_and_the_receipt(client, site):
    dossier = site.received()
    client.force_login(site.citizen)
    html = client.get("/ho-so-cua-toi/").content.decode()
    assert dossier.code in html and "Được tiếp nhận" in html
    html = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    due = timezone.localtime(dossier.due_at)
    assert "Ngày hẹn trả kết quả" in html and f">{due:%H:%M} ngày {due:%d/%m/%Y}</time></dd>" in html
    assert "Mới đăng ký" in html and "Giấy tiếp nhận hồ sơ và hẹn trả kết quả" in html
    response = client.get(f"/ho-so-cua-toi/{dossier.code}/phieu/receipt.pdf")
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert "Tải kết quả giải quyết" not in html
    assert client.get(f"/ho-so-cua-toi/{dossier.code}/ket-qua/").status_code == 404


def test_withdrawal_and_a_stale_withdrawal(client, site):
    dossier = site.submit()
    client.force_login(site.citizen)
    html = client.get(f"/ho-so-cua-toi/{dossier.code}/").content.decode()
    assert "Rút hồ sơ" in html
    response = client.post(f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/", {"reason": "", "expected_version":
                                                                        dossier.version})
    assert response.status_code == 422 and "Vui lòng ghi lý do rút hồ sơ" in response.content.decode()
    response = client.post(f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
                           {"reason": "Nộp nhầm thủ tục", "expected_version": dossier.version - 1}, follow=True)
    assert "Hồ sơ đã được người khác xử lý" in response.content.decode()
    response = client.post(f"/ho-so-cua-toi/{dossier.code}/rut-ho-so/",
                           {"reason": "Nộp nhầm thủ tục", "expected_version": dossier.version}, follow=True)
    dossier.refresh_from_db()
    assert dossier.status == "withdrawn" and "Đã rút hồ sơ" in response.content.decode()
