"""The inbox and the lists run a constant number of queries: 5 documents or 50, the same count
(issue #11: "the inbox of 50 rows runs a constant number of queries"). A query per row would make the
inbox of a busy department slow exactly when it is busiest."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.documents.services import incoming_register

pytestmark = pytest.mark.django_db


def _fill(world, act, n, start=0):
    for i in range(start, start + n):
        doc = incoming_register(actor=world.dept_clerk, agency=world.department, sender_name="Bộ Tư pháp",
                                sender_code="G09", their_notation=f"{i}/BTP-VP", their_date=date(2026, 3, 2),
                                doc_type="CV", subject=f"Hướng dẫn số {i}", urgency="khan" if i % 7 == 0 else "normal")
        if i % 2:
            act(world.director, doc, "assign", lead="cv-stp", coordinate=["VP"], deadline_days=5)


def _count(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get(url, params or {})
    assert answer.status_code == 200, answer.content[:500]
    return len(queries)


@pytest.mark.parametrize("url,params", [
    ("/can-bo/van-ban/", {"tab": "den"}),
    ("/can-bo/van-ban/", {"tab": "viec"}),
    ("/api/v1/documents/incoming", {"limit": 50}),
    ("/can-bo/van-ban/so/", {"kind": "den", "agency": "H44.02", "date_from": "01/01/2026", "date_to": "31/12/2026"}),
])
def test_lists_do_not_grow_with_their_rows(client, world, act, url, params):
    who = world.dept_specialist if params.get("tab") == "viec" else world.dept_clerk
    client.force_login(who)
    _fill(world, act, 5)
    few = _count(client, url, params)
    _fill(world, act, 45, start=5)
    many = _count(client, url, params)
    assert many == few, f"{url}: {few} queries for 5 documents, {many} for 50"
