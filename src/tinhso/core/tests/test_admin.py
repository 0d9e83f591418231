import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tinhso.core.audit import audit_record
from tinhso.core.events import event_publish, outbox_deliver
from tinhso.core.models import AuditEntry, EventDelivery, OutboxEvent, Sequence
from tinhso.core.testing import captured_events, temporary_handler

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser(username="quantri", password=None, email="a@b.vn")
    client.force_login(admin)
    return client


@pytest.fixture
def broken_delivery():
    calls = []

    def flaky(event):
        calls.append(event.id)
        if len(calls) == 1:
            raise ConnectionError("gateway down")

    with temporary_handler("core_tests.admin", name="core_tests.admin", fn=flaky):
        with captured_events():
            event = event_publish(name="core_tests.admin", payload={"n": 1})
        yield event, calls


@pytest.mark.parametrize("model", [Sequence, OutboxEvent, EventDelivery, AuditEntry])
def test_kernel_tables_are_read_only_in_admin(admin_client, model):
    meta = model._meta
    assert admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")).status_code == 200
    assert admin_client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_add")).status_code == 403


def test_audit_entry_page_shows_but_cannot_delete(admin_client):
    entry = audit_record(actor=None, action="core_tests.show")
    url = reverse("admin:core_auditentry_change", args=[entry.seq])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "core_tests.show" in response.content.decode()
    assert admin_client.post(reverse("admin:core_auditentry_delete", args=[entry.seq])).status_code == 403
    assert AuditEntry.objects.filter(seq=entry.seq).exists()


def test_retry_now_action_redelivers_a_failed_delivery(admin_client, broken_delivery):
    event, calls = broken_delivery
    delivery = EventDelivery.objects.get(event=event)
    assert delivery.status == "failed" and outbox_deliver() == 0  # waiting for its back-off
    assert "retry_now" in admin_client.get(reverse("admin:core_eventdelivery_changelist")).content.decode()

    with captured_events():
        response = admin_client.post(
            reverse("admin:core_eventdelivery_changelist"),
            {"action": "retry_now", "_selected_action": [delivery.pk]},
        )
    assert response.status_code == 302
    delivery.refresh_from_db()
    assert delivery.status == "done" and len(calls) == 2
    assert AuditEntry.objects.filter(action="outbox.retry").exists()


def test_retry_now_from_the_event_page_leaves_done_deliveries_alone(admin_client, broken_delivery):
    event, calls = broken_delivery
    with captured_events():
        admin_client.post(reverse("admin:core_outboxevent_changelist"),
                          {"action": "retry_now", "_selected_action": [str(event.pk)]})
        admin_client.post(reverse("admin:core_outboxevent_changelist"),
                          {"action": "retry_now", "_selected_action": [str(event.pk)]})
    assert len(calls) == 2  # failed once, then delivered; the second retry found nothing to do
    assert EventDelivery.objects.get(event=event).status == "done"


def test_viewing_staff_cannot_retry(client, broken_delivery):
    from django.contrib.auth.models import Permission

    event, calls = broken_delivery
    viewer = get_user_model().objects.create_user(username="xem", password=None, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_eventdelivery"))
    client.force_login(viewer)
    url = reverse("admin:core_eventdelivery_changelist")
    assert "retry_now" not in client.get(url).content.decode()
    delivery = EventDelivery.objects.get(event=event)
    with captured_events():
        client.post(url, {"action": "retry_now", "_selected_action": [delivery.pk]})
    delivery.refresh_from_db()
    assert delivery.status == "failed" and len(calls) == 1
