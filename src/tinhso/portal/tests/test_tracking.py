"""Public tracking by dossier code and phone: no personal data, the QR code's ?ma= prefill, the limit."""

import pytest
from django.utils import timezone

from tinhso.core.audit import AuditEntry

pytestmark = pytest.mark.django_db


def test_qr_link_prefills_the_code(client, site):
    html = client.get("/tra-cuu/", {"ma": "H44.12-260105-0001"}).content.decode()
    assert 'value="H44.12-260105-0001"' in html and '<label for="id_phone">' in html


def test_tracking_shows_status_and_appointment_without_personal_data(client, site):
    dossier = site.received()
    html = client.post("/tra-cuu/", {"code": dossier.code, "phone": "0912 345 678"}).content.decode()
    due = timezone.localtime(dossier.due_at)
    assert "Được tiếp nhận" in html
    # The hour of the appointment as well as the day, in Vietnam time, as the receipt states it.
    assert (f'<dd id="tracking-due"><time datetime="{due.isoformat()}">{due:%H:%M} ngày {due:%d/%m/%Y}</time></dd>'
            in html)
    assert "Cấp bản sao trích lục hộ tịch" in html and "Mới đăng ký" in html  # the public timeline
    for personal in ("Nguyễn Văn An", "001099012345", "0912345678", "Trần Thị Tiếp Nhận"):
        assert personal not in html.split('<form method="post" action="/tra-cuu/"')[1].split("</form>", 1)[1]


def test_wrong_phone_and_rate_limit_are_explained_politely(client, site, settings):
    dossier = site.submit()
    response = client.post("/tra-cuu/", {"code": dossier.code, "phone": "0987654321"})
    assert response.status_code == 404 and "Vui lòng kiểm tra lại" in response.content.decode()
    settings.TINHSO_TRACKING_RATE_LIMIT = 1
    response = client.post("/tra-cuu/", {"code": dossier.code, "phone": "0912345678"})
    assert response.status_code == 429 and "Vui lòng thử lại sau" in response.content.decode()
    assert not AuditEntry.objects.filter(action="personal_data.read").exists()
