"""Event handlers of the one-stop shop besides notifications: a received dossier is one more use of
its procedure, counted once per event whatever the retries."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from tinhso.catalog.models import Procedure
from tinhso.core.events import outbox_deliver
from tinhso.core.models import EventDelivery
from tinhso.core.testing import captured_events
from tinhso.dossiers import handlers
from tinhso.dossiers.services import dossier_receive

pytestmark = pytest.mark.django_db

FUTURE = timezone.make_aware(datetime(2100, 1, 1))


def popularity(world) -> int:
    return Procedure.objects.get(pk=world.proc.version.procedure_id).popularity


def test_received_dossier_raises_the_procedures_popularity_once(world, submit, monkeypatch):
    start = popularity(world)
    dossier = submit()
    with captured_events(deliver=False) as events:
        dossier_receive(actor=world.reception, dossier=dossier)
    assert popularity(world) == start  # a submission alone is not a use; nothing before delivery

    # The first attempt fails after bumping: the bump is rolled back with it.
    real_bump = handlers.procedure_popularity_bump

    def bump_then_crash(**kwargs):
        real_bump(**kwargs)
        raise RuntimeError("máy chủ gặp sự cố")

    monkeypatch.setattr(handlers, "procedure_popularity_bump", bump_then_crash)
    with captured_events():
        outbox_deliver(now=FUTURE)
    delivery = EventDelivery.objects.get(event=events.one("dossier.received"), handler="dossiers.procedure_popularity")
    assert delivery.status == "failed" and popularity(world) == start

    monkeypatch.setattr(handlers, "procedure_popularity_bump", real_bump)
    for _ in range(2):  # the retry (after its back-off), then a sweep that finds nothing left to do
        with captured_events():
            outbox_deliver(now=FUTURE + timedelta(hours=1))
    assert popularity(world) == start + 1
    delivery.refresh_from_db()
    assert delivery.status == "done"
