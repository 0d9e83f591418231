"""The clerk's page: a document that arrived by edXML is registered or refused there; the sender's
document page shows each external recipient's delivery and statuses."""

from __future__ import annotations

import pytest

from tinhso.documents.models import IncomingDocument
from tinhso.exchange.models import Message
from tinhso.exchange.tests.conftest import REMOTE_CREDENTIAL, built, document_package


@pytest.fixture
def arrived(client, remote, world, fast_keys):
    from tinhso.signing.testing import signing_setup

    signing_setup(agency=world.department, leader=world.director)
    data = remote.sign(built(document_package()))
    response = client.post("/exchange/v1/messages", data=data, content_type="application/xml",
                           HTTP_AUTHORIZATION=f"Bearer {REMOTE_CREDENTIAL}")
    assert response.status_code == 200
    return Message.objects.get(direction="in", kind="document")


def test_the_clerk_registers_a_document_that_arrived(client, arrived, world):
    client.force_login(world.dept_clerk)
    page = client.get("/can-bo/lien-thong/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Về việc phối hợp chứng thực" in html and "215/SNV-VP" in html and "04/12/2026" in html
    assert "Vào sổ văn bản đến" in html and "Từ chối tiếp nhận" in html
    response = client.post(f"/can-bo/lien-thong/{arrived.pk}/thao-tac/register/",
                           {"register-expected_version": arrived.version, "register-note": ""})
    assert response.status_code == 302, response.status_code
    incoming = IncomingDocument.objects.get(source="edxml")
    assert response.status_code == 302 and response["Location"] == f"/can-bo/van-ban/{incoming.ref}/"
    assert incoming.their_notation == "215/SNV-VP" and incoming.sender_code == "H36.05"
    assert incoming.urgency == "khan"  # Priority 1
    assert Message.objects.filter(direction="out", kind="status", status_code="03").exists()


def test_a_refusal_needs_a_reason_and_is_sent_back(client, arrived, world):
    client.force_login(world.dept_clerk)
    url = f"/can-bo/lien-thong/{arrived.pk}/thao-tac/refuse/"
    again = client.post(url, {"refuse-expected_version": arrived.version, "refuse-reason": ""})
    assert again.status_code == 422 and "field-error" in again.content.decode()  # the form says why
    assert client.post(url, {"refuse-expected_version": arrived.version,
                             "refuse-reason": "Gửi nhầm cơ quan"}).status_code == 302
    status = Message.objects.get(direction="out", kind="status", status_code="02")
    assert status.description == "Gửi nhầm cơ quan"
    assert not IncomingDocument.objects.exists()


def test_another_agencys_clerk_sees_nothing_and_may_do_nothing(client, arrived, world):
    client.force_login(world.clerk)  # the commune's clerk: the package is for the department
    assert "Về việc phối hợp" not in client.get("/can-bo/lien-thong/").content.decode()
    response = client.post(f"/can-bo/lien-thong/{arrived.pk}/thao-tac/register/", {"register-expected_version": 1})
    assert response.status_code == 404
    assert not IncomingDocument.objects.exists()


def test_the_sender_sees_each_recipients_statuses(client, world, pki, remote, flow):
    from tinhso.exchange import edxml
    from tinhso.exchange.models import Delivery
    from tinhso.exchange.tests.conftest import REMOTE_CODE
    from tinhso.exchange.tests.peer_server import PeerServer
    from tinhso.exchange.tests.test_send import deliver_all

    doc = flow("issued", recipients=[{"code": REMOTE_CODE, "name": "Sở Nội vụ tỉnh Thái Bình"}])
    with PeerServer() as peer:
        remote.peer.endpoint = peer.url
        remote.peer.save()
        deliver_all()
    sent = Message.objects.get(direction="out", kind="document")
    rf = edxml.ResponseFor("H44.12", doc.notation, doc.issued_on, sent.document_id)
    for code in ("01", "03"):
        status = edxml.StatusPackage(sender=edxml.Organization(REMOTE_CODE, "Sở Nội vụ tỉnh Thái Bình"),
                                     recipient=edxml.Organization("H44.12"), response_for=rf, status_code=code)
        data = remote.sign(edxml.status_build(status, now=doc.issued_at))
        answer = client.post("/exchange/v1/messages", data=data, content_type="application/xml",
                             HTTP_AUTHORIZATION=f"Bearer {REMOTE_CREDENTIAL}")
        assert answer.status_code == 200, answer.content
    client.force_login(world.clerk)
    html = client.get(f"/can-bo/van-ban/{doc.ref}/").content.decode()
    assert "Liên thông: tình trạng ở từng nơi nhận" in html
    assert Delivery.objects.get().state == "delivered"
    assert "Đã chuyển đến" in html and "<strong>03</strong> Đã tiếp nhận, vào sổ" in html
