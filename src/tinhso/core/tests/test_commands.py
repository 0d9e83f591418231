from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tinhso.core.events import event_publish
from tinhso.core.models import EventDelivery
from tinhso.core.testing import captured_events, temporary_handler

pytestmark = pytest.mark.django_db


def test_outbox_deliver_sweeps_deliveries_whose_task_was_lost(capsys):
    calls = []
    with temporary_handler("core_tests.sweep", name="core_tests.sweep", fn=lambda event: calls.append(event.id)):
        with captured_events(deliver=False):  # the commit callback (the task) never runs
            event = event_publish(name="core_tests.sweep", payload={})
        assert EventDelivery.objects.get().status == "pending"
        call_command("outbox", "deliver")
        call_command("outbox", "deliver")
    assert calls == [event.id]
    assert "Đã chạy 1 lượt chuyển sự kiện." in capsys.readouterr().out


def test_outbox_deliver_loop_stops_after_max_rounds(capsys):
    with temporary_handler("core_tests.loop", name="core_tests.loop", fn=lambda event: None):
        with captured_events(deliver=False):
            event_publish(name="core_tests.loop", payload={})
            event_publish(name="core_tests.loop", payload={})
        call_command("outbox", "deliver", "--loop", "--interval", "0", "--max-rounds", "2")
    assert EventDelivery.objects.filter(status="done").count() == 2
    assert "Đã chạy 2 lượt" in capsys.readouterr().out


def test_outbox_status_counts_by_state(capsys):
    def fail(event):
        raise RuntimeError("down")

    with temporary_handler("core_tests.status", name="core_tests.status", fn=fail):
        with captured_events():
            event_publish(name="core_tests.status", payload={})
    EventDelivery.objects.update(next_attempt_at=timezone.now() + timedelta(hours=1))
    call_command("outbox", "status")
    out = capsys.readouterr().out
    assert "Lỗi, chờ thử lại: 1" in out and "Đã xử lý: 0" in out
