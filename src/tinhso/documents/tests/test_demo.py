"""The demo's document office: documents in every state, issued ones signed twice, a second run idle."""

import pytest

from tinhso.documents.models import IncomingDocument, OutgoingDocument
from tinhso.org.demo import demo_load
from tinhso.signing.testing import fast_keys  # noqa: F401

pytestmark = pytest.mark.django_db
LOADERS = ["org.units", "org.calendar", "org.agencies", "accounts.people", "signing.pki", "documents.office"]


def test_demo_documents_in_every_state_and_idempotent(fast_keys):  # noqa: F811
    demo_load(only=LOADERS)
    states = set(OutgoingDocument.objects.values_list("status", flat=True))
    assert set(OutgoingDocument.Status.values) <= states
    assert set(IncomingDocument.Status.values) <= set(IncomingDocument.objects.values_list("status", flat=True))
    assert IncomingDocument.objects.filter(deadline_state="overdue").exists()
    assert OutgoingDocument.objects.filter(confidentiality="mat").exists()
    assert OutgoingDocument.objects.filter(urgency="hoa_toc", status="issued").exists()
    total = OutgoingDocument.objects.count() + IncomingDocument.objects.count()
    assert total >= 250
    from tinhso.core.files import file_read
    from tinhso.signing.selectors import pdf_signature_count

    issued = OutgoingDocument.objects.filter(status="issued").first()
    assert pdf_signature_count(pdf=file_read(stored_file=issued.signed_file)) == 2
    demo_load(only=LOADERS)
    assert OutgoingDocument.objects.count() + IncomingDocument.objects.count() == total
