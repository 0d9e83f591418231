"""Our commune issues a document to an agency of another province: one signed package, one delivery
per recipient through the outbox, retried while the peer is down, delivered once."""

from __future__ import annotations

import socket

import pytest

from tinhso.core.events import outbox_deliver
from tinhso.exchange import edxml, schema, xmlsig
from tinhso.exchange.models import Delivery, LogEntry, Message
from tinhso.exchange.selectors import recipient_progress
from tinhso.exchange.tests.conftest import REMOTE_CODE
from tinhso.exchange.tests.peer_server import PeerServer

pytestmark = pytest.mark.django_db


@pytest.fixture
def issued(world, pki, remote, flow):
    """Issued by the commune to the department of this instance and to Thái Bình's department."""
    return flow("issued", recipients=[{"code": "H44.02"}, {"code": REMOTE_CODE, "name": "Sở Nội vụ tỉnh Thái Bình"}])


def _point_peer_to(remote, url):
    remote.peer.endpoint = url
    remote.peer.save()


def deliver_all(later_minutes: int = 0):
    """Run the outbox until nothing is due: a handler's own events (the delivery after the send) are
    due from the moment they were written, after the sweep began. ``later_minutes`` runs it as the
    periodic sweep would after that time."""
    from datetime import timedelta

    from django.utils import timezone

    from tinhso.exchange.delivery import deliveries_run

    def later():
        return timezone.now() + timedelta(minutes=later_minutes)

    while outbox_deliver(now=later()) + deliveries_run(now=later()):
        pass


def test_the_issued_document_travels_signed_to_the_external_recipient(issued, remote):
    from tinhso.signing.selectors import trust_store_get

    with PeerServer() as peer:
        _point_peer_to(remote, peer.url)
        deliver_all()
        assert len(peer.received) == 1
        headers, body = peer.received[0]
    assert headers["Authorization"] == "Bearer khoa-gui-sang-thai-binh"
    schema.validate_sent(edxml.parse_xml(body))
    check = xmlsig.verify(body, trust=trust_store_get())
    assert check.ok, check.reason
    parsed = edxml.parse(body)
    assert [r.organ_id for r in parsed.recipients] == [REMOTE_CODE]  # not the internal one
    assert parsed.document.subject == issued.subject
    number, notation = issued.notation.split("/", 1)
    assert (parsed.document.code_number, parsed.document.code_notation) == (number, notation)
    pdf = parsed.document.attachments[0]
    assert pdf.content_type == "application/pdf" and pdf.content.startswith(b"%PDF")
    message = Message.objects.get(direction="out", kind="document")
    assert bytes(message.raw) == body and message.state == "sent"
    delivery = Delivery.objects.get(message=message)
    assert delivery.state == "delivered" and delivery.answer["status_code"] == "01"
    assert [e.event for e in LogEntry.objects.all()] == ["built", "delivered"]
    [row] = recipient_progress(document=issued)
    assert (row.code, row.delivery) == (REMOTE_CODE, "delivered")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_peer_that_is_down_gets_the_message_once_it_is_back(issued, remote):
    _point_peer_to(remote, f"http://127.0.0.1:{_free_port()}/exchange/v1")
    deliver_all()
    delivery = Delivery.objects.get()
    assert delivery.state == "queued"
    assert delivery.attempts == 1 and "Không kết nối được" in delivery.last_error
    [row] = recipient_progress(document=issued)
    assert row.delivery == "queued" and row.attempts == 1 and "Đang thử lại" in row.delivery_label
    assert delivery.next_attempt_at > delivery.updated_at  # waits with back-off
    with PeerServer() as peer:
        _point_peer_to(remote, peer.url)
        deliver_all()  # not due yet: the back-off holds it
        assert peer.received == []
        deliver_all(later_minutes=1)
        deliver_all(later_minutes=60)
        assert len(peer.received) == 1
    delivery.refresh_from_db()
    assert delivery.state == "delivered"


def test_after_the_last_try_the_delivery_is_failed_and_shown_first(issued, remote, settings, world):
    from tinhso.exchange.selectors import exchange_overview

    settings.TINHSO_EXCHANGE_MAX_ATTEMPTS = 3
    _point_peer_to(remote, f"http://127.0.0.1:{_free_port()}/exchange/v1")
    for minutes in (0, 60, 600, 6000):
        deliver_all(later_minutes=minutes)
    delivery = Delivery.objects.get()
    assert (delivery.state, delivery.attempts) == ("failed", 3)
    [row] = exchange_overview(actor=world.clerk).failed
    assert row.delivery == "failed" and "sau 3 lần" in row.delivery_label
    assert LogEntry.objects.filter(event="gave_up").count() == 1


def test_a_refusal_by_the_peer_ends_the_delivery_with_its_reason(issued, remote):
    answer = {"status": "refused", "status_code": "02", "code": "recipient_unknown", "reason": "Không có cơ quan nhận."}
    with PeerServer(answer=answer, status=422) as peer:
        _point_peer_to(remote, peer.url)
        deliver_all()
        deliver_all()
        assert len(peer.received) == 1
    delivery = Delivery.objects.get()
    assert delivery.state == "refused" and delivery.last_error == "Không có cơ quan nhận."


def test_a_clerk_resends_a_refused_delivery(issued, remote, world):
    from tinhso.exchange.sending import delivery_resend

    answer = {"status": "refused", "status_code": "02", "code": "x", "reason": "Tạm thời từ chối."}
    with PeerServer(answer=answer, status=422) as peer:
        _point_peer_to(remote, peer.url)
        deliver_all()
        peer.answer, peer.status = {"status": "accepted", "status_code": "01"}, 200
        delivery = Delivery.objects.get()
        from tinhso.core.errors import PermissionDenied

        with pytest.raises(PermissionDenied):
            delivery_resend(actor=world.dept_clerk, delivery=delivery)
        delivery_resend(actor=world.clerk, delivery=delivery)
        deliver_all()
        assert len(peer.received) == 2 and peer.received[0][1] == peer.received[1][1]  # same signed bytes
    delivery.refresh_from_db()
    assert delivery.state == "delivered"


def test_the_internal_recipient_is_not_sent_by_edxml(issued, remote):
    from tinhso.documents.models import IncomingDocument

    assert IncomingDocument.objects.filter(agency__code="H44.02", source="internal").count() == 1
    assert not Delivery.objects.filter(recipient_code="H44.02").exists()


def test_a_peer_that_polls_lists_fetches_and_answers(client, issued, remote):
    """The VXP-style pull: what waits for the caller, one package as it travelled, a status for it."""
    from tinhso.exchange.tests.conftest import REMOTE_CREDENTIAL

    remote.peer.endpoint = ""  # it has no address we could call: it polls
    remote.peer.save()
    outbox_deliver()  # the issued document is packaged and queued
    auth = {"HTTP_AUTHORIZATION": f"Bearer {REMOTE_CREDENTIAL}"}
    listing = client.get("/exchange/v1/messages?since=2026-01-01T00:00:00", **auth)
    assert listing.status_code == 200
    [item] = listing.json()["items"]
    sent = Message.objects.get(direction="out", kind="document")
    assert (item["id"], item["to"], item["kind"]) == (sent.message_id, REMOTE_CODE, "document")
    fetched = client.get(f"/exchange/v1/messages/{sent.message_id}", **auth)
    assert fetched.status_code == 200 and fetched.content == bytes(sent.raw)
    assert Delivery.objects.get(message=sent).state == "delivered"  # taken by the peer that polls
    assert client.get(f"/exchange/v1/messages/{sent.message_id}").status_code == 401
    assert client.get("/exchange/v1/messages/khong-co", **auth).status_code == 404
    rf = edxml.ResponseFor("H44.12", issued.notation, issued.issued_on, sent.document_id)
    status = edxml.StatusPackage(sender=edxml.Organization(REMOTE_CODE, "Sở Nội vụ tỉnh Thái Bình"),
                                 recipient=edxml.Organization("H44.12"), response_for=rf, status_code="03")
    data = remote.sign(edxml.status_build(status, now=issued.issued_at))
    answer = client.post(f"/exchange/v1/messages/{sent.message_id}/status", data=data,
                         content_type="application/xml", **auth)
    assert answer.status_code == 200, answer.content
    [row] = recipient_progress(document=issued)
    assert [s.code for s in row.statuses] == ["03"]
    assert client.get("/exchange/v1/messages?since=nay", **auth).status_code == 400
