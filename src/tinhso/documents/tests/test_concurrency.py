"""Numbering under concurrency on PostgreSQL: 50 documents signed at once get 50 consecutive numbers,
and two people acting on one draft at once — one wins, the other gets a conflict."""

import threading

import pytest
from django.db import connection, connections

from tinhso.documents.models import OutgoingDocument

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def in_threads(count: int, work) -> list:
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
        thread.join(timeout=300)
    return results


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks shared between threads)")


def test_fifty_signed_at_once_get_fifty_consecutive_numbers(world, flow, act, unsigned):
    drafts = [flow("awaiting_signature") for _ in range(50)]
    results = in_threads(50, lambda i: act(world.chairman, drafts[i], "sign").number)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(results) == list(range(1, 51))
    assert sorted(OutgoingDocument.objects.values_list("notation", flat=True)) == sorted(
        f"{n:02d}/UBND-VP" for n in range(1, 51))


def test_two_reviewers_at_once_one_wins(world, flow, act):
    doc = flow("in_review")
    results = in_threads(2, lambda i: act(world.unit_head, doc, ["pass_on", "return"][i], expected_version=doc.version,
                                          **({} if i == 0 else {"reason": "Sửa lại phần căn cứ"})))
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and getattr(errors[0], "code", "") == "document_stale_version"
