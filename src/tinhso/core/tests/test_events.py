from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from tinhso.core import events as events_module
from tinhso.core.events import (
    event_handler,
    event_payload,
    event_publish,
    handlers_for,
    outbox_deliver,
    retry_delay,
)
from tinhso.core.models import EventDelivery, OutboxEvent, Sequence
from tinhso.core.testing import captured_events, temporary_handler
from tinhso.core.tests.threads import in_threads

pytestmark = pytest.mark.django_db


class Recorder:
    """A handler that remembers each call and can be told to fail the first ``fail`` times."""

    def __init__(self, fail: int = 0):
        self.calls: list[str] = []
        self.fail = fail

    def __call__(self, event):
        self.calls.append(str(event.id))
        if len(self.calls) <= self.fail:
            raise ConnectionError(f"SMS gateway down (call {len(self.calls)})")


def test_publish_delivers_once_at_commit():
    handler = Recorder()
    with temporary_handler("core_tests.received", name="core_tests.notify", fn=handler):
        with captured_events() as events:
            event = event_publish(name="core_tests.received", payload={"code": "H44-260105-0001"},
                                  aggregate_type="dossiers.dossier", aggregate_id=42)
            assert handler.calls == []  # nothing runs before commit
        assert handler.calls == [str(event.id)]
        assert events.names() == ["core_tests.received"]
        delivery = EventDelivery.objects.get(event=event)
        assert (delivery.handler, delivery.status, delivery.attempts) == ("core_tests.notify", "done", 1)
        assert delivery.done_at is not None
        assert event.aggregate_id == "42"

        # A later sweep does not call a done handler again.
        assert outbox_deliver(now=timezone.now() + timedelta(days=1)) == 0
        assert handler.calls == [str(event.id)]


def test_each_handler_gets_its_own_delivery():
    first, second = Recorder(), Recorder()
    with temporary_handler("core_tests.paid", name="core_tests.a", fn=first), \
         temporary_handler("core_tests.paid", "core_tests.other", name="core_tests.b", fn=second):
        assert handlers_for("core_tests.paid") == ["core_tests.a", "core_tests.b"]
        assert handlers_for("core_tests.other") == ["core_tests.b"]
        with captured_events():
            event = event_publish(name="core_tests.paid", payload={})
        assert len(first.calls) == len(second.calls) == 1
        assert set(event.deliveries.values_list("handler", "status")) == {
            ("core_tests.a", "done"), ("core_tests.b", "done"),
        }


def test_failing_handler_is_retried_with_back_off_and_delivered_once():
    handler = Recorder(fail=2)
    with temporary_handler("core_tests.flaky", name="core_tests.flaky", fn=handler):
        with captured_events():
            event = event_publish(name="core_tests.flaky", payload={})
        delivery = EventDelivery.objects.get(event=event)
        assert (delivery.status, delivery.attempts) == ("failed", 1)
        assert "SMS gateway down (call 1)" in delivery.last_error
        first_retry_at = delivery.next_attempt_at
        assert first_retry_at - delivery.event.created_at >= timedelta(seconds=30)

        # Not due yet: a sweep now does nothing.
        assert outbox_deliver() == 0
        assert len(handler.calls) == 1

        assert outbox_deliver(now=first_retry_at) == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts) == ("failed", 2)
        assert delivery.next_attempt_at - first_retry_at == timedelta(seconds=60)  # doubled

        assert outbox_deliver(now=delivery.next_attempt_at) == 1
        delivery.refresh_from_db()
        assert (delivery.status, delivery.attempts, delivery.last_error) == ("done", 3, "")

        assert outbox_deliver(now=delivery.next_attempt_at + timedelta(days=1)) == 0
        assert len(handler.calls) == 3


def test_handler_work_is_rolled_back_when_it_fails():
    def half_done(event):
        Sequence.objects.create(scope="core_tests:side-effect")
        raise RuntimeError("failed after writing")

    with temporary_handler("core_tests.half", name="core_tests.half", fn=half_done):
        with captured_events():
            event_publish(name="core_tests.half", payload={})
    assert not Sequence.objects.filter(scope="core_tests:side-effect").exists()
    assert EventDelivery.objects.get().status == "failed"


def test_gives_up_after_max_attempts(settings):
    settings.TINHSO_OUTBOX_MAX_ATTEMPTS = 3
    handler = Recorder(fail=100)
    with temporary_handler("core_tests.broken", name="core_tests.broken", fn=handler):
        with captured_events():
            event_publish(name="core_tests.broken", payload={})
        later = timezone.now() + timedelta(days=1)
        assert outbox_deliver(now=later) == 1
        assert outbox_deliver(now=later + timedelta(days=1)) == 1
        delivery = EventDelivery.objects.get()
        assert (delivery.status, delivery.attempts) == ("dead", 3)
        assert outbox_deliver(now=later + timedelta(days=30)) == 0
        assert len(handler.calls) == 3


def test_back_off_doubles_and_is_capped():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert retry_delay(20) == timedelta(hours=6)


def test_unknown_handler_is_retried_not_lost():
    with temporary_handler("core_tests.gone", name="core_tests.gone", fn=Recorder()):
        event = event_publish(name="core_tests.gone", payload={})
    # The handler disappeared (e.g. an app was disabled) before delivery ran.
    assert outbox_deliver(event_id=str(event.id)) == 1
    delivery = EventDelivery.objects.get()
    assert delivery.status == "failed" and "chưa được đăng ký" in delivery.last_error


def test_rolled_back_publish_leaves_nothing():
    handler = Recorder()
    with temporary_handler("core_tests.rollback", name="core_tests.rollback", fn=handler):
        with captured_events() as events:
            with pytest.raises(RuntimeError), transaction.atomic():
                event_publish(name="core_tests.rollback", payload={"n": 1})
                raise RuntimeError("the dossier could not be saved")
        assert OutboxEvent.objects.count() == 0
        assert EventDelivery.objects.count() == 0
        assert handler.calls == []
        assert len(events) == 1  # it was published, then rolled back with the transaction


def test_event_without_handlers_is_kept_and_needs_no_delivery():
    with captured_events():
        event = event_publish(name="core_tests.nobody_listens", payload={"x": 1})
    assert OutboxEvent.objects.filter(pk=event.pk).exists()
    assert not event.deliveries.exists()


def test_payload_must_be_plain_json():
    with pytest.raises(TypeError, match="event_payload"):
        event_publish(name="core_tests.bad", payload={"on": date(2026, 1, 5)})
    with pytest.raises(TypeError):
        event_publish(name="core_tests.bad", payload=["not", "a", "dict"])
    assert OutboxEvent.objects.count() == 0


def test_event_payload_helper_makes_json():
    payload = event_payload({"on": date(2026, 1, 5), "fee": Decimal("1250000"), "tags": ("a", "b")})
    assert payload == {"on": "2026-01-05", "fee": "1250000", "tags": ["a", "b"]}
    with captured_events(deliver=False):
        event = event_publish(name="core_tests.ok", payload=payload)
    event.refresh_from_db()
    assert event.payload == payload


def test_handler_names_must_be_unique():
    def one(event):
        pass

    def two(event):
        pass

    with temporary_handler("core_tests.x", name="core_tests.unique", fn=one):
        with pytest.raises(ImproperlyConfigured):
            event_handler("core_tests.y", name="core_tests.unique")(two)


def test_event_published_by_a_handler_is_delivered_too():
    seen = Recorder()

    def chain(event):
        event_publish(name="core_tests.second", payload={"after": str(event.id)})

    with temporary_handler("core_tests.first", name="core_tests.chain", fn=chain), \
         temporary_handler("core_tests.second", name="core_tests.seen", fn=seen):
        with captured_events() as events:
            event_publish(name="core_tests.first", payload={})
        assert events.names() == ["core_tests.first", "core_tests.second"]
        assert len(seen.calls) == 1


def test_captured_events_one_and_named():
    with captured_events(deliver=False) as events:
        event_publish(name="core_tests.a", payload={})
        event_publish(name="core_tests.b", payload={})
        event_publish(name="core_tests.b", payload={})
    assert events.one("core_tests.a").name == "core_tests.a"
    assert len(events.named("core_tests.b")) == 2
    with pytest.raises(AssertionError):
        events.one("core_tests.b")


@pytest.mark.django_db(transaction=True)
def test_parallel_sweepers_run_each_delivery_once(threads_share_database, monkeypatch):
    handler = Recorder()
    with temporary_handler("core_tests.parallel", name="core_tests.parallel", fn=handler):
        with monkeypatch.context() as queue_down:  # only the sweepers deliver
            queue_down.setattr(events_module, "_enqueue_delivery", lambda event_id: None)
            ids = {str(event_publish(name="core_tests.parallel", payload={"i": i}).id) for i in range(12)}
        attempted = in_threads(4, lambda _: outbox_deliver())
    assert sum(attempted) == 12
    assert sorted(handler.calls) == sorted(ids)
    assert EventDelivery.objects.filter(status="done").count() == 12


@pytest.mark.django_db(transaction=True)
def test_real_commit_enqueues_one_task_per_event_and_rollback_none(settings):
    from django_tasks import default_task_backend

    handler = Recorder()
    with temporary_handler("core_tests.commit", name="core_tests.commit", fn=handler):
        # With the test suite's immediate backend the task runs at commit, not before.
        with transaction.atomic():
            delivered = event_publish(name="core_tests.commit", payload={})
            assert handler.calls == []
        assert handler.calls == [str(delivered.id)]

        # With a queue that only records, one task per committed event and none for a rollback.
        settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
        with transaction.atomic():
            queued_event = event_publish(name="core_tests.commit", payload={})
            assert default_task_backend.results == []
        with pytest.raises(RuntimeError), transaction.atomic():
            event_publish(name="core_tests.commit", payload={})
            raise RuntimeError
    [queued] = default_task_backend.results
    assert queued.task.module_path == "tinhso.core.tasks.deliver_event"
    assert queued.args == [str(queued_event.id)]
    assert EventDelivery.objects.get(event=queued_event).status == "pending"  # the worker has not run it yet
    assert handler.calls == [str(delivered.id)]
