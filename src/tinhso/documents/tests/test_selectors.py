"""Who sees what: agency scoping, secret documents, search with or without diacritics, urgency first,
a constant number of queries for the inbox."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tinhso.core.errors import NotFound
from tinhso.core.models import AuditEntry
from tinhso.documents.selectors import incoming_list, outgoing_get, outgoing_list
from tinhso.documents.services import incoming_register

pytestmark = pytest.mark.django_db


def _incoming(world, **overrides):
    values = dict(actor=world.dept_clerk, agency=world.department, sender_name="Ủy ban nhân dân xã Hạ Hòa",
                  sender_code="H44.13", their_notation="12/UBND-VP", their_date=date(2026, 3, 2), doc_type="CV",
                  subject="Đề nghị thẩm định dự thảo quyết định")
    values.update(overrides)
    return incoming_register(**values)


def test_staff_see_their_agency_documents_only(world, draft):
    doc = draft()
    assert list(outgoing_list(actor=world.drafter)) == [doc]
    assert list(outgoing_list(actor=world.clerk)) == [doc]  # văn thư of the agency
    assert list(outgoing_list(actor=world.outsider)) == []
    assert list(outgoing_list(actor=world.dept_clerk)) == []
    with pytest.raises(NotFound):
        outgoing_get(actor=world.outsider, pk=doc.pk)


def test_secret_documents_only_for_the_people_named(world, draft):
    secret = draft(confidentiality="mat", subject="Phương án bảo vệ mục tiêu")
    assert list(outgoing_list(actor=world.clerk)) == []
    assert list(outgoing_list(actor=world.unit_head, q="bao ve")) == []
    assert list(outgoing_list(actor=world.drafter, q="bao ve")) == [secret]
    with pytest.raises(NotFound):
        outgoing_get(actor=world.clerk, pk=secret.pk)
    before = AuditEntry.objects.filter(action="documents.secret_read").count()
    assert outgoing_get(actor=world.chairman, pk=secret.pk) == secret  # named as signer
    read = AuditEntry.objects.filter(action="documents.secret_read").order_by("-seq").first()
    assert AuditEntry.objects.filter(action="documents.secret_read").count() == before + 1
    assert read.actor == world.chairman and read.target_id == str(secret.pk)


def test_secret_incoming_invisible_to_the_leader_until_named(world, act):
    doc = _incoming(world, confidentiality="toi_mat")
    assert list(incoming_list(actor=world.director)) == []
    assert list(incoming_list(actor=world.dept_clerk)) == [doc]  # registered it
    doc.participants.add(world.director)
    assert list(incoming_list(actor=world.director)) == [doc]
    assert list(incoming_list(actor=world.dept_specialist)) == []


def test_search_with_and_without_diacritics(world):
    doc = _incoming(world)
    _incoming(world, their_notation="88/BTP", subject="Kế hoạch kiểm tra", sender_name="Bộ Tư pháp", sender_code="G09")
    for q in ["thẩm định", "tham dinh", "12/UBND", "xa ha hoa", "H44.13"]:
        assert list(incoming_list(actor=world.dept_clerk, q=q)) == [doc], q
    assert incoming_list(actor=world.dept_clerk, doc_type="CV").count() == 2
    assert incoming_list(actor=world.dept_clerk, status="done").count() == 0


def test_urgent_documents_first(world):
    normal = _incoming(world)
    flash = _incoming(world, their_notation="1/X", urgency="hoa_toc")
    urgent = _incoming(world, their_notation="2/X", urgency="khan")
    assert list(incoming_list(actor=world.dept_clerk)) == [flash, urgent, normal]


def test_inbox_of_fifty_rows_runs_a_constant_number_of_queries(world):
    from tinhso.documents.models import IncomingDocument

    _incoming(world)
    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = [(d.arrival_number, d.agency.code, d.register.year, d.get_urgency_display())
                    for d in incoming_list(actor=world.dept_clerk)[:50]]
        return len(rows), len(queries)

    one = count()
    base = IncomingDocument.objects.get()
    for i in range(60):
        base.pk, base.arrival_number, base.their_notation = None, 100 + i, f"{i}/X"
        base.save()
        base.participants.add(world.dept_clerk)
    fifty = count()
    assert fifty[0] == 50 and one[0] == 1
    assert fifty[1] == one[1] <= 3
