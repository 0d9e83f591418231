"""A package from another province's system arrives: checked, archived, answered (01 or 02), once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from tinhso.documents.models import IncomingDocument
from tinhso.exchange.errors import ExchangeError
from tinhso.exchange.models import Delivery, LogEntry, Message
from tinhso.exchange.tests.conftest import REMOTE_CODE, REMOTE_CREDENTIAL, built, document_package
from tinhso.signing import pki as pkilib

URL = "/exchange/v1/messages"


@pytest.fixture
def receiver(world, fast_keys):
    """Our department, with its agency certificate (it signs the statuses it sends back)."""
    from tinhso.signing.testing import signing_setup

    return signing_setup(agency=world.department, leader=world.director)


def post(client, data: bytes, credential: str = REMOTE_CREDENTIAL):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {credential}"} if credential else {}
    return client.post(URL, data=data, content_type="application/xml", **headers)


def test_a_signed_package_arrives_and_the_sender_is_told_01(client, remote, receiver, world):
    pkg = document_package()
    data = remote.sign(built(pkg))
    response = post(client, data)
    assert response.status_code == 200, response.content
    assert response.json() == {"status": "accepted", "message_id": pkg.message_id, "status_code": "01"}
    inbound = Message.objects.get(direction="in", kind="document")
    assert (inbound.state, inbound.agency, inbound.from_code) == ("arrived", world.department, REMOTE_CODE)
    assert bytes(inbound.raw) == data  # kept exactly as it travelled
    assert inbound.signer == "Sở Nội vụ tỉnh Thái Bình" and inbound.signed_at is not None
    status = Message.objects.get(direction="out", kind="status")
    assert status.status_code == "01" and status.to_codes == [REMOTE_CODE]
    assert Delivery.objects.get(message=status).recipient_code == REMOTE_CODE
    assert not IncomingDocument.objects.exists()  # the clerk has not registered it yet
    assert list(LogEntry.objects.values_list("event", flat=True)) == ["received", "built"]


def test_the_same_package_twice_is_received_once_and_answered_the_same(client, remote, receiver):
    data = remote.sign(built(document_package()))
    first, second = post(client, data), post(client, data)
    assert first.json() == second.json()
    assert Message.objects.filter(direction="in").count() == 1
    assert Message.objects.filter(direction="out", kind="status").count() == 1


def _refused(response, code):
    assert response.status_code == 422, response.content
    body = response.json()
    assert body["status"] == "refused" and body["status_code"] == "02" and body["code"] == code
    assert body["reason"]
    assert not IncomingDocument.objects.exists()
    assert not Message.objects.filter(direction="in", state="arrived").exists()
    refused = Message.objects.get(direction="in", state="refused")
    assert refused.refusal_code == code
    assert LogEntry.objects.filter(event="refused", message_id=refused.message_id).exists()
    return body


def test_one_byte_changed_is_refused(client, remote, receiver):
    data = remote.sign(built(document_package(subject="Về việc phối hợp chứng thực")))
    tampered = data.replace("phối hợp".encode(), b"phoi hop", 1)
    _refused(post(client, tampered), ExchangeError.SIGNATURE_INVALID)


def test_a_changed_attachment_is_refused(client, remote, receiver):
    from tinhso.exchange import edxml

    data = remote.sign(built(document_package()))
    root = edxml.parse_xml(data)
    node = next(el for el in root.iter() if isinstance(el.tag, str) and el.tag.endswith("ContentTransferEncoded"))
    node.text = "JVBERi0xLjQK" + node.text[12:]
    _refused(post(client, edxml.to_bytes(root)), ExchangeError.SIGNATURE_INVALID)


def test_unsigned_is_refused(client, remote, receiver):
    from tinhso.exchange import edxml

    _refused(post(client, edxml.to_bytes(built(document_package()))), ExchangeError.SIGNATURE_MISSING)


def test_a_certificate_of_an_unknown_authority_is_refused(client, remote, receiver):
    other_ca = pkilib.ca_create(subject=pkilib.name_build(common_name="CA lạ"))
    intruder = pkilib.certificate_issue(issuer=other_ca, subject=pkilib.name_build(common_name="Sở Nội vụ tỉnh Thái Bình"))
    data = remote.sign(built(document_package()), material=intruder)
    _refused(post(client, data), ExchangeError.CERTIFICATE_UNTRUSTED)


def test_a_sender_its_certificate_does_not_match_is_refused(client, remote, receiver):
    """Trusted CA, valid certificate — of somebody else than the agency named in From."""
    data = remote.sign(built(document_package()), material=remote.stranger)
    body = _refused(post(client, data), ExchangeError.SENDER_MISMATCH)
    assert "Công ty ABC" in body["reason"] and REMOTE_CODE in body["reason"]


def test_an_expired_certificate_is_refused(client, remote, receiver):
    old = pkilib.certificate_issue(issuer=remote.ca, subject=pkilib.name_build(common_name="Sở Nội vụ (hết hạn)"),
                                   valid_from=datetime.now(UTC) - timedelta(days=40), days=10)
    remote.peer.certificate_pem += pkilib.certificates_to_pem([old.certificate])
    remote.peer.save()
    _refused(post(client, remote.sign(built(document_package()), material=old)), ExchangeError.CERTIFICATE_EXPIRED)


def test_an_unknown_sender_is_refused(client, remote, receiver):
    from tinhso.exchange import edxml

    pkg = document_package(sender=edxml.Organization("H99.01", "Cơ quan lạ"))
    _refused(post(client, remote.sign(built(pkg))), ExchangeError.SENDER_UNKNOWN)


def test_a_recipient_not_served_here_is_refused(client, remote, receiver):
    _refused(post(client, remote.sign(built(document_package(to="H77.01")))), ExchangeError.RECIPIENT_UNKNOWN)


def test_garbage_is_refused_and_archived(client, remote, receiver):
    response = post(client, b"<html>not edxml</html>")
    assert response.status_code == 422 and response.json()["code"] == "edxml_invalid"


def test_a_caller_without_credential_is_turned_away(client, remote, receiver):
    data = remote.sign(built(document_package()))
    for credential in ("", "sai-khoa"):
        response = post(client, data, credential=credential)
        assert response.status_code == 401
        assert response.json()["code"] == ExchangeError.NOT_AUTHENTICATED
    assert not Message.objects.exists()


@pytest.mark.parametrize("registered", [False, True])
def test_a_recall_by_the_sender_takes_the_document_back_and_is_agreed_15(client, remote, receiver, world, registered):
    from dataclasses import replace

    from tinhso.exchange import edxml
    from tinhso.exchange.handling import inbound_perform

    pkg = document_package()
    post(client, remote.sign(built(pkg)))
    inbound = Message.objects.get(direction="in", kind="document")
    if registered:
        inbound_perform(actor=world.dept_clerk, message=inbound, name="register", data={})
    recall = replace(pkg, business_type=edxml.BUSINESS_RECALL, business_reason="Ban hành nhầm, thu hồi.",
                     attachments=[], message_id=str(uuid.uuid4()))
    response = post(client, remote.sign(built(recall)))
    assert response.status_code == 200, response.content
    inbound.refresh_from_db()
    if registered:
        assert IncomingDocument.objects.get().status == "recalled"
    else:
        assert inbound.state == "refused" and inbound.refusal_code == "recalled"
        assert not IncomingDocument.objects.exists()
    answered = list(Message.objects.filter(direction="out", kind="status").values_list("status_code", flat=True)
                    .order_by("created_at"))
    assert answered[-1] == "15"
    assert LogEntry.objects.filter(event="recall_agreed").exists()


def test_an_agency_without_certificate_still_receives_and_the_log_says_01_was_not_sent(client, remote, world):
    """No ``receiver`` fixture: the department has no agency certificate to sign its statuses with."""
    response = post(client, remote.sign(built(document_package())))
    assert response.status_code == 200 and response.json()["status_code"] == "01"
    assert Message.objects.get(direction="in").state == "arrived"
    assert not Message.objects.filter(direction="out").exists()
    assert LogEntry.objects.filter(event="status_not_sent").exists()
