"""The admin log: read-only, with "Gửi lại"."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from tinhso.notifications.services import notification_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(django_user_model):
    admin = django_user_model.objects.create(username="quantri", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)
    return client


def test_log_is_read_only_and_resend_sends_again(admin_client_, commit):
    with commit():
        row = notification_send(channel="email", recipient="tuyet@example.vn", subject="Hồ sơ đã được tiếp nhận",
                                body="Nội dung")
    listing = admin_client_.get("/admin/notifications/notification/")
    assert listing.status_code == 200 and "tuyet@example.vn" in listing.content.decode()
    assert admin_client_.get("/admin/notifications/notification/add/").status_code == 403

    with commit():
        response = admin_client_.post("/admin/notifications/notification/",
                                      {"action": "resend", "_selected_action": [row.pk]})
    assert response.status_code == 302
    assert len(mail.outbox) == 2
