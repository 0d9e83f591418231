"""The roll-up follows the outbox events and equals a rebuild from the dossiers (docs/reports.md)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, datetime, timedelta

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from tinhso.accounts.models import User
from tinhso.catalog.models import ProcedureVersion, RequiredDocument
from tinhso.core.events import event_publish, outbox_deliver
from tinhso.core.models import OutboxEvent
from tinhso.dossiers.models import Dossier, DossierAlert, DossierDocument
from tinhso.dossiers.status import Channel, Status
from tinhso.dossiers.tests import factories as f
from tinhso.org.models import Agency
from tinhso.reports.handlers import rollup
from tinhso.reports.models import COUNTERS, DailyStat, DossierFact
from tinhso.reports.services import rollup_rebuild, rollup_totals

TZ = timezone.get_fixed_timezone(7 * 60)
START = datetime(2026, 1, 5, 8, 0, tzinfo=TZ)


def snapshot() -> dict:
    return {
        (r.day, r.agency_id, r.procedure_id, r.channel): tuple(getattr(r, n) for n in COUNTERS)
        for r in DailyStat.objects.all()
        if any(getattr(r, n) for n in COUNTERS)
    }


def oracle() -> dict:
    """The daily rows computed straight from the dossiers, independently of the services."""
    rows: dict = {}

    def add(day, dossier, **counts):
        key = (day, dossier.receiving_agency_id, dossier.procedure_id, dossier.channel)
        row = rows.setdefault(key, Counter())
        row.update(counts)

    for d in Dossier.objects.exclude(received_at=None).select_related("procedure_version", "owner"):
        roles = set(d.documents.values_list("role", flat=True))
        result = "result" in roles
        full = d.procedure_version.online_level == "FULL"
        reused = bool(d.form_data) and d.procedure_version.documents.filter(replaced_by_eform=True).exists()
        add(timezone.localtime(d.received_at).date(), d, received=1, online=int(d.channel == Channel.ONLINE),
            full_eligible=int(full), full_online=int(full and d.channel == Channel.ONLINE),
            digitised=int(result and bool(roles & {"submitted", "scan", "supplement"})), reused=int(reused),
            vneid=int(d.owner is not None and d.owner.identity_provider == "vneid"))
        if d.resolved_at:
            minutes = int((d.resolved_at - d.received_at).total_seconds() // 60)
            add(timezone.localtime(d.resolved_at).date(), d, resolved=1, processing_minutes=minutes,
                with_result=int(result), **{d.verdict: 1})
        elif d.status in ("received", "processing", "supplement_requested", "payment_requested") and \
                DossierAlert.objects.filter(dossier=d, kind="overdue", due_at=d.due_at).exists():
            add(timezone.localtime(d.due_at).date(), d, overdue=1)
    return {k: tuple(v[n] for n in COUNTERS) for k, v in rows.items() if any(v.values())}


@pytest.fixture
def setup(db):
    province = Agency.objects.create(code="H44", name="Ủy ban nhân dân tỉnh", level="province",
                                     kind="people_committee")
    agencies = [
        Agency.objects.create(code=f"H44.{20 + i}", name=f"Trung tâm Phục vụ hành chính công xã {i}",
                              level="commune", kind="service_center", parent=province)
        for i in range(3)
    ]
    procs = [f.procedure(code=f"1.00{i}", receiving=agencies).version for i in range(2)]
    # the first one offers full online service and replaces a component by its e-form (QĐ 766 counters)
    ProcedureVersion.objects.filter(pk=procs[0].pk).update(online_level="FULL")
    RequiredDocument.objects.filter(version=procs[0], code="to-khai").update(replaced_by_eform=True)
    procs[0].refresh_from_db()
    return agencies, procs


def _extras(rng: random.Random) -> dict:
    """Random owner (VNeID or not) and e-form answers."""
    vneid, _ = User.objects.get_or_create(username="vneid-1", defaults={
        "kind": "citizen", "identity_provider": "vneid", "external_subject": "s1"})
    local, _ = User.objects.get_or_create(username="local-1", defaults={"kind": "citizen"})
    return {"owner": rng.choice([None, vneid, local]), "form_data": rng.choice([{}, {"ho_ten": "An"}])}


def _attach(d: Dossier, role: str) -> None:
    DossierDocument.objects.create(dossier=d, name=role, file=f.upload(None), role=role, uploaded_at=d.received_at)


def _publish(dossier: Dossier, name: str) -> None:
    with transaction.atomic():
        dossier.version += 1
        dossier.save()
        event_publish(name=name, payload={"dossier_id": dossier.pk, "status": dossier.status},
                      aggregate_type="dossier", aggregate_id=dossier.code)


def random_history(rng: random.Random, agencies, versions, *, dossiers: int = 25, steps: int = 120) -> None:
    """Dossiers moved through random transitions, each one published as its real event name."""
    made: list[Dossier] = []
    for n in range(steps):
        if not made or (len(made) < dossiers and rng.random() < 0.35):
            version = rng.choice(versions)
            at = START + timedelta(days=rng.randrange(40), hours=rng.randrange(9))
            d = Dossier.objects.create(
                code=f"H44.20-260105-{n:04d}", procedure=version.procedure, procedure_version=version,
                receiving_agency=rng.choice(agencies), channel=rng.choice(list(Channel.values)),
                status=Status.RECEIVED, received_at=at, due_at=at + timedelta(days=rng.randrange(1, 15)),
                **_extras(rng),
            )
            if rng.random() < 0.5:
                _attach(d, rng.choice(["submitted", "scan"]))
            made.append(d)
            _publish(d, "dossier.received")
            continue
        d = rng.choice(made)
        d.refresh_from_db()
        move = rng.choice(["process", "supplement", "resolve", "return", "overdue", "apology", "stop", "dup"])
        if move == "dup":  # a redelivered event: the handler runs again on the same state
            event = OutboxEvent.objects.filter(aggregate_id=d.code).order_by("?").first()
            with transaction.atomic():
                rollup(event)
            continue
        running = d.status in ("received", "processing", "supplement_requested")
        if move == "process" and running:
            d.status = Status.PROCESSING
            _publish(d, "dossier.step_changed")
        elif move == "supplement" and running:
            d.status = Status.SUPPLEMENT_REQUESTED
            _publish(d, "dossier.supplement_requested")
        elif move == "resolve" and running:
            d.status = Status.RESOLVED
            d.resolved_at = d.received_at + timedelta(days=rng.randrange(0, 20), minutes=rng.randrange(600))
            d.verdict = "late" if d.resolved_at > d.due_at else rng.choice(["early", "on_time"])
            if rng.random() < 0.6:
                _attach(d, "result")
            _publish(d, "dossier.resolved")
        elif move == "return" and d.status == Status.RESOLVED:
            d.status = Status.RETURNED
            d.returned_at = d.resolved_at + timedelta(hours=2)
            _publish(d, "dossier.returned")
        elif move == "overdue" and running:
            DossierAlert.objects.get_or_create(dossier=d, kind="overdue", due_at=d.due_at,
                                               defaults={"created_at": d.due_at})
            _publish(d, "dossier.overdue")
        elif move == "apology" and running:
            d.due_at = d.due_at + timedelta(days=rng.randrange(1, 5))
            _publish(d, "dossier.apology_issued")
        elif move == "stop" and running:
            d.status = Status.STOPPED
            d.closed_at = d.received_at + timedelta(days=1)
            _publish(d, "dossier.stopped")
        outbox_deliver(now=timezone.now() + timedelta(days=1))
    outbox_deliver(now=timezone.now() + timedelta(days=1))


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_incremental_equals_rebuild_and_a_direct_count(setup, seed):
    agencies, versions = setup
    random_history(random.Random(seed), agencies, versions)
    incremental = snapshot()
    assert incremental, "the history produced no statistics"
    totals = rollup_totals()
    assert all(totals[n] for n in ("full_eligible", "full_online", "digitised", "reused", "vneid", "with_result")), \
        totals
    assert incremental == oracle()
    # a full rebuild from nothing gives the same rows
    DailyStat.objects.all().delete()
    DossierFact.objects.all().delete()
    rollup_rebuild(start=date(2025, 12, 1), end=date(2026, 4, 30))
    assert snapshot() == incremental


def test_partial_rebuild_keeps_the_other_days(setup):
    agencies, versions = setup
    random_history(random.Random(9), agencies, versions)
    before = snapshot()
    DailyStat.objects.filter(day__range=(date(2026, 1, 20), date(2026, 1, 31))).update(received=999)
    call_command("reports", "rebuild", "--from", "2026-01-20", "--to", "2026-01-31")
    assert snapshot() == before


def test_redelivery_changes_nothing(setup):
    agencies, versions = setup
    random_history(random.Random(3), agencies, versions, dossiers=5, steps=30)
    before = snapshot()
    with transaction.atomic():
        for event in OutboxEvent.objects.all():
            rollup(event)
    assert snapshot() == before
    assert sum(row[0] for row in before.values()) == Dossier.objects.count()  # each received once
