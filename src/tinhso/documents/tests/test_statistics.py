"""Counts of an agency's documents for a period (#11 §5), on a history built by hand: what was issued,
signed electronically or not, by type and unit; what arrived and how its handling ended."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tinhso.core.errors import PermissionDenied, ValidationFailed
from tinhso.documents.errors import DocumentError
from tinhso.documents.models import IncomingDocument, OutgoingDocument
from tinhso.documents.services import incoming_deadlines_sweep, incoming_register
from tinhso.documents.statistics import documents_statistics

pytestmark = pytest.mark.django_db
YEAR = (date(2026, 1, 1), date(2026, 12, 31))


def _incoming(world, n, **overrides):
    values = dict(actor=world.dept_clerk, agency=world.department, sender_name="Bộ Tư pháp", sender_code="G09",
                  their_notation=f"{n}/BTP-VP", their_date=date(2026, 3, 2), doc_type="CV",
                  subject=f"Văn bản số {n}", urgency="normal")
    values.update(overrides)
    return incoming_register(**values)


@pytest.fixture
def history(world, flow, act, pki, settings):
    """Commune: two công văn signed with the chairman's certificate (one drafted in the office, one
    outside any unit), one quyết định approved without a certificate.
    Department: four incoming — finished on time, finished late, open and overdue, open in time."""
    flow(subject="Công văn thứ nhất")
    second = flow(subject="Công văn thứ hai")
    OutgoingDocument.objects.filter(pk=second.pk).update(department=None)  # drafted outside any unit
    settings.TINHSO_DOCUMENT_SIGNING_REQUIRED = False
    from tinhso.signing.models import Certificate
    Certificate.objects.filter(owner_user=world.chairman).update(revoked_at=timezone.now())  # approves unsigned
    flow(subject="Quyết định về việc thành lập tổ công tác", doc_type="QĐ", signer_title="Chủ tịch")

    docs = [_incoming(world, n, doc_type="CV" if n < 4 else "TB") for n in (1, 2, 3, 4)]
    for doc in docs:
        act(world.director, doc, "assign", lead="cv-stp", deadline_days=5)
    on_time = act(world.dept_specialist, IncomingDocument.objects.get(pk=docs[0].pk), "finish", result="Đã trả lời")
    late = act(world.dept_specialist, IncomingDocument.objects.get(pk=docs[1].pk), "finish", result="Đã trả lời muộn")
    IncomingDocument.objects.filter(pk=late.pk).update(finished_at=late.due_at + timedelta(days=1))
    # the third's deadline passed: the sweep flags it overdue
    IncomingDocument.objects.filter(pk=docs[2].pk).update(due_at=timezone.now() - timedelta(hours=1))
    incoming_deadlines_sweep()
    return {"on_time": on_time, "late": late}


def test_counts_equal_the_hand_made_history(world, history):
    commune = documents_statistics(actor=world.clerk, agency=world.commune, first=YEAR[0], last=YEAR[1])
    assert commune.outgoing.total == 3 == OutgoingDocument.objects.filter(agency=world.commune, status="issued").count()
    assert (commune.outgoing.signed_electronically, commune.outgoing.not_signed_electronically) == (2, 1)
    assert [(r.key, r.count) for r in commune.outgoing.by_type] == [("CV", 2), ("QĐ", 1)]
    assert {(r.label, r.count) for r in commune.outgoing.by_unit} == {
        ("Văn phòng HĐND và UBND", 2), ("Văn phòng, lãnh đạo cơ quan", 1)}

    dept = documents_statistics(actor=world.director, agency=world.department, first=YEAR[0], last=YEAR[1])
    inc = dept.incoming
    # two công văn from the commune arrived inside the instance, and one quyết định; four from the ministry
    assert inc.total == 7 and inc.received_electronically == 3
    assert (inc.done_on_time, inc.done_late, inc.done_without_deadline) == (1, 1, 0)
    assert (inc.open_overdue, inc.open_in_time) == (1, 4)
    assert inc.on_time_rate == 50.0
    assert {(r.key, r.count) for r in inc.by_type} == {("CV", 5), ("TB", 1), ("QĐ", 1)}


def test_the_period_and_the_reader_are_checked(world, history):
    empty = documents_statistics(actor=world.clerk, agency=world.commune, first=date(2025, 1, 1), last=date(2025, 12, 31))
    assert empty.outgoing.total == 0 and empty.incoming.total == 0 and empty.incoming.on_time_rate is None
    with pytest.raises(ValidationFailed) as error:
        documents_statistics(actor=world.clerk, agency=world.commune, first=YEAR[1], last=YEAR[0])
    assert error.value.code == DocumentError.INVALID_PERIOD
    for outsider in (world.outsider, world.drafter):  # another agency's leader; a specialist of this one
        with pytest.raises(PermissionDenied) as error:
            documents_statistics(actor=outsider, agency=world.commune, first=YEAR[0], last=YEAR[1])
        assert error.value.code == DocumentError.WRONG_AGENCY


def test_secret_documents_count_only_for_those_named(world, history):
    _incoming(world, 99, confidentiality="mat", subject="Văn bản mật")
    named = documents_statistics(actor=world.dept_clerk, agency=world.department, first=YEAR[0], last=YEAR[1])
    other = documents_statistics(actor=world.director, agency=world.department, first=YEAR[0], last=YEAR[1])
    assert named.incoming.total == other.incoming.total + 1


def test_api_and_page(world, history, client):
    client.force_login(world.director)
    answer = client.get("/api/v1/documents/statistics", {"agency": "H44.02", "from": "2026-01-01", "to": "2026-12-31"})
    assert answer.status_code == 200, answer.content
    body = answer.json()
    assert body["from"] == "2026-01-01" and body["incoming"]["done_late"] == 1 and body["incoming"]["on_time_rate"] == 50.0
    refused = client.get("/api/v1/documents/statistics", {"agency": "H44.12", "from": "2026-01-01", "to": "2026-12-31"})
    assert refused.status_code == 403 and refused.json()["code"] == DocumentError.WRONG_AGENCY
    page = client.get("/can-bo/van-ban/so-lieu/", {"agency": "H44.02", "date_from": "01/01/2026", "date_to": "31/12/2026"})
    html = page.content.decode()
    assert page.status_code == 200 and 'id="in-late">1<' in html and "50,0 %" in html


def test_sweep_command_runs_from_periodic(world, history, settings):
    from django.core.management import call_command

    assert "documents sweep" in settings.TINHSO_PERIODIC_COMMANDS
    IncomingDocument.objects.filter(subject="Văn bản số 4").update(due_at=timezone.now() - timedelta(minutes=5))
    call_command("documents", "sweep")
    assert IncomingDocument.objects.get(subject="Văn bản số 4").deadline_state == "overdue"
