"""Concurrency: 50 receipts at once get 50 consecutive codes (the code is issued at receipt, TT 01/2018
Điều 19), 50 online submissions 50 consecutive references; two officers acting at once on one
dossier — one wins, the other gets a conflict, nothing is lost.

Threads need a database they can share: PostgreSQL, or SQLite in a file (``TINHSO_TEST_SQLITE_NAME``);
SQLite's in-memory test database refuses a second writer at once, so there the tests skip.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from tinhso.core.errors import Conflict
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.models import Dossier, Handover
from tinhso.dossiers.services import dossier_create, dossier_forward, dossier_receive
from tinhso.dossiers.tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def in_threads(count: int, work) -> list:
    """Run ``work(i)`` in ``count`` threads released together; results or exceptions, by index."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = work(index)
        except Exception as exc:  # handed back to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def shared_database():
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite in-memory test database: set TINHSO_TEST_SQLITE_NAME to a file to run this")


@pytest.mark.postgres
def test_fifty_concurrent_submissions_then_receipts_get_fifty_consecutive_numbers(shared_database, world):
    documents = [world.documents() for _ in range(50)]
    applicant = ApplicantInput.from_mapping(f.applicant())

    def submit(index: int) -> Dossier:
        return dossier_create(actor=world.citizen, procedure_code=world.proc.code, channel="online",
                              applicant=applicant, documents=documents[index])

    dossiers = in_threads(50, submit)
    errors = [d for d in dossiers if isinstance(d, Exception)]
    assert not errors, errors[:3]
    references = [d.reference for d in dossiers]
    prefix = references[0].rsplit("-", 1)[0]
    assert sorted(references) == [f"{prefix}-N{n:04d}" for n in range(1, 51)]

    def receive(index: int) -> str:
        return dossier_receive(actor=world.reception, dossier=dossiers[index]).code

    codes = in_threads(50, receive)
    errors = [c for c in codes if isinstance(c, Exception)]
    assert not errors, errors[:3]
    prefix = codes[0].rsplit("-", 1)[0]
    assert sorted(codes) == [f"{prefix}-{n:04d}" for n in range(1, 51)]
    assert Dossier.objects.count() == 50
    # Every reference still finds its dossier, now under its code.
    assert Dossier.objects.filter(reference__in=references).exclude(code__in=codes).count() == 0


@pytest.mark.postgres
def test_two_officers_at_once_one_wins_one_conflicts(shared_database, world):
    dossier = dossier_create(actor=world.citizen, procedure_code=world.proc.code, channel="online",
                             applicant=ApplicantInput.from_mapping(f.applicant()), documents=world.documents())
    dossier = dossier_receive(actor=world.reception, dossier=dossier)
    from tinhso.dossiers.services import dossier_assign

    dossier = dossier_assign(actor=world.unit_head, dossier=dossier, assignee=world.specialist)
    seen = dossier.version
    # The unit head may take over the assigned dossier; both press "forward" on the same version.
    actors = [world.specialist, world.unit_head]

    def act(index: int):
        return dossier_forward(actor=actors[index], dossier=dossier, expected_version=seen)

    results = in_threads(2, act)
    winners = [r for r in results if isinstance(r, Dossier)]
    losers = [r for r in results if isinstance(r, Exception)]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], Conflict) and losers[0].code == "dossier_state_changed"
    dossier.refresh_from_db()
    assert dossier.version == seen + 1 and dossier.current_step.code == "phe-duyet"
    steps = list(Handover.objects.filter(dossier=dossier).order_by("seq").values_list("step_code", "finished_at"))
    assert [s for s, _ in steps] == ["reception", "phan-cong", "tham-dinh", "phe-duyet"]
    assert all(done is not None for _, done in steps[:-1]) and steps[-1][1] is None
