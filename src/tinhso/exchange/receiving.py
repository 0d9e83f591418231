"""Receiving a package from a peer: check it, archive it exactly as it came, answer, and act.

Order of the checks (each refusal is archived with its code and answered with status 02):
size → XML → message id → schema (unknown elements set aside) → signature and timestamp → the signer's
chain at the timestamp's time → the sender's code against the directory's certificates → a recipient
served here (or relayed, on the hub). Receiving is idempotent by message id: the same package again
gets the stored answer and changes nothing.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from tinhso.exchange import edxml, schema, xmlsig
from tinhso.exchange.errors import ExchangeError
from tinhso.exchange.log import log_append
from tinhso.exchange.models import Delivery, Message, Peer
from tinhso.exchange.peers import peer_for, signer_allowed
from tinhso.org.models import Agency

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Answer:
    http_status: int
    body: dict


def _accepted(**extra) -> dict:
    return {"status": "accepted", **extra}


def _refused(code: str, reason: str, message_id: str) -> dict:
    return {"status": "refused", "status_code": "02", "code": str(code), "reason": reason, "message_id": message_id}


def _archive_refusal(*, data: bytes, sha: str, message_id: str, code: str, reason: str, caller: Peer | None,
                     parsed: edxml.Parsed | None = None, check: xmlsig.SignatureCheck | None = None,
                     trace: list | None = None) -> Answer:
    body = _refused(code, reason, message_id)
    with transaction.atomic():
        message, created = Message.objects.get_or_create(
            message_id=message_id, direction=Message.Direction.IN, local_code="",
            defaults=dict(kind=parsed.kind if parsed else Message.Kind.DOCUMENT, state=Message.State.REFUSED,
                          from_code=parsed.sender.organ_id[:35] if parsed else "",
                          from_name=parsed.sender.name[:255] if parsed else "",
                          to_codes=[r.organ_id for r in parsed.recipients] if parsed else [],
                          document_id=parsed.document_id[:200] if parsed else "", raw=data, sha256=sha,
                          refusal_code=code, refusal_reason=reason, via_peer=caller, trace=trace or [],
                          signer=check.signer_name if check else "", signer_fingerprint=check.fingerprint if check else "",
                          answer=body))
        if created:
            log_append(event="refused", message=message, detail={"code": code, "reason": reason,
                                                                 "peer": caller.code_pattern if caller else ""})
    logger.warning("exchange: refused message %s from %s: %s %s", message_id, caller, code, reason)
    return Answer(422, body)


def _local_agencies(codes: list[str]) -> list[tuple[str, Agency]]:
    wanted = [c.upper() for c in codes if c]
    found = Agency.objects.filter(Q(code__in=wanted) | Q(identifier__in=wanted))
    by_code = {}
    for agency in found:
        for value in (agency.code, agency.identifier):
            if value:
                by_code[value.upper()] = agency
    return [(code, by_code[code]) for code in dict.fromkeys(wanted) if code in by_code]


def _previous(message_id: str) -> Message | None:
    return (Message.objects.filter(message_id=message_id, direction__in=[Message.Direction.IN, Message.Direction.RELAY])
            .order_by("created_at").first())


def message_receive(*, data: bytes, caller: Peer | None, trace: list | None = None) -> Answer:
    """Take one package from an authenticated peer and answer it (the ``POST /exchange/v1/messages`` body)."""
    sha = hashlib.sha256(data).hexdigest()
    if len(data) > settings.TINHSO_EXCHANGE_MAX_MESSAGE_MB * 1024 * 1024:
        return Answer(413, _refused(ExchangeError.TOO_LARGE, "Gói tin vượt quá dung lượng cho phép.", sha))
    try:
        root = edxml.parse_xml(data)
        parsed_id = edxml.parse(root).message_id
    except edxml.EdxmlError as exc:
        return _archive_refusal(data=data, sha=sha, message_id=sha, code=exc.code, reason=str(exc), caller=caller)
    if not parsed_id:
        return _archive_refusal(data=data, sha=sha, message_id=sha, code=ExchangeError.NO_MESSAGE_ID,
                                reason="Gói tin không có mã (TraceHeaderList/@id).", caller=caller)
    previous = _previous(parsed_id)
    if previous is not None:
        if previous.sha256 != sha:
            # Same id, other bytes: a replay that was changed on the way. Nothing is stored over the original.
            with transaction.atomic():
                log_append(event="replay_changed", message=previous, detail={"sha256": sha})
            return Answer(409, _refused(ExchangeError.SIGNATURE_INVALID,
                                        "Mã gói tin đã được dùng cho một nội dung khác.", parsed_id))
        return Answer(200, previous.answer or _accepted(message_id=parsed_id, duplicate=True))
    try:
        return _receive_checked(data=data, sha=sha, root=root, caller=caller, trace=trace or [])
    except IntegrityError:
        # The same package delivered twice at the same moment: the first one's answer stands.
        previous = _previous(parsed_id)
        if previous is None:
            raise
        return Answer(200, previous.answer)


def _receive_checked(*, data: bytes, sha: str, root, caller: Peer | None, trace: list) -> Answer:
    from tinhso.signing.selectors import trust_store_get

    parsed = edxml.parse(root)
    mid = parsed.message_id

    def refuse(code, reason, check=None):
        return _archive_refusal(data=data, sha=sha, message_id=mid, code=code, reason=reason, caller=caller,
                                parsed=parsed, check=check, trace=trace)

    try:
        ignored = schema.validate_received(root)
    except edxml.EdxmlError as exc:
        return refuse(exc.code, str(exc))
    check = xmlsig.verify(data, trust=trust_store_get())
    if not check.ok:
        return refuse(check.code, check.reason, check)
    sender = parsed.sender.organ_id
    if peer_for(sender) is None:
        return refuse(ExchangeError.SENDER_UNKNOWN, f"Cơ quan gửi {sender} không có trong danh bạ liên thông.", check)
    if not signer_allowed(sender, check.signer):
        return refuse(ExchangeError.SENDER_MISMATCH,
                      f"Chứng thư số ký gói tin ({check.signer_name}) không phải của cơ quan gửi {sender}.", check)
    if parsed.attachment_problems:
        return refuse(ExchangeError.ATTACHMENT_CHANGED, " ".join(parsed.attachment_problems), check)
    local = _local_agencies([r.organ_id for r in parsed.recipients])
    common = dict(raw=data, sha256=sha, from_code=sender[:35], from_name=parsed.sender.name[:255],
                  to_codes=[r.organ_id for r in parsed.recipients], document_id=parsed.document_id[:200],
                  signer=check.signer_name[:255], signer_fingerprint=check.fingerprint, signed_at=check.signed_at,
                  ignored_elements=ignored, trace=trace, via_peer=caller)
    if not local:
        if settings.TINHSO_EXCHANGE_IS_HUB:
            return _relay(parsed=parsed, common=common)
        return refuse(ExchangeError.RECIPIENT_UNKNOWN, "Không có cơ quan nhận nào thuộc hệ thống này.", check)
    if parsed.kind == "status":
        return _status_received(parsed=parsed, common=common, local=local)
    return _document_received(parsed=parsed, common=common, local=local)


@transaction.atomic
def _relay(*, parsed: edxml.Parsed, common: dict) -> Answer:
    """Hub mode: keep the package as it is, add this hop to the transport trace, pass it on."""
    from tinhso.exchange.sending import delivery_queue

    hop = {"hub": settings.PUBLIC_URL, "at": timezone.now().isoformat(timespec="seconds"),
           "from_peer": common["via_peer"].code_pattern if common["via_peer"] else ""}
    body = _accepted(message_id=parsed.message_id, relayed=True)
    message = Message.objects.create(message_id=parsed.message_id, direction=Message.Direction.RELAY,
                                     kind=parsed.kind, state=Message.State.ACCEPTED, answer=body,
                                     **{**common, "trace": [*common["trace"], hop]})
    log_append(event="relay_received", message=message, detail={"to": message.to_codes, "hop": hop})
    for code in message.to_codes:
        delivery_queue(Delivery.objects.create(message=message, recipient_code=code))
    return Answer(202, body)


@transaction.atomic
def _document_received(*, parsed: edxml.Parsed, common: dict, local: list[tuple[str, Agency]]) -> Answer:
    from tinhso.exchange.handling import recall_received
    from tinhso.exchange.sending import status_send_or_note

    doc = parsed.document
    assert doc is not None
    answers_doc = None
    if doc.response_for is not None and doc.response_for.document_id:
        original = Message.objects.filter(direction=Message.Direction.OUT, kind=Message.Kind.DOCUMENT,
                                          document_id=doc.response_for.document_id).first()
        answers_doc = original.outgoing if original else None
    body = _accepted(message_id=parsed.message_id, status_code="01")
    for code, agency in local:
        message = Message.objects.create(
            message_id=parsed.message_id, direction=Message.Direction.IN, kind=Message.Kind.DOCUMENT,
            state=Message.State.ARRIVED, local_code=code, agency=agency, subject=doc.subject[:500],
            business_type=doc.business_type, description=doc.business_reason, outgoing=answers_doc, answer=body,
            **common)
        log_append(event="received", message=message, detail={"agency": agency.code, "business": doc.business_type,
                                                               "ignored": common["ignored_elements"]})
        if doc.business_type == edxml.BUSINESS_RECALL:
            recall_received(message=message)
        else:
            # NĐ 30/2020 Điều 21.2.c: tell the sender the same day that the system has it (01).
            status_send_or_note(inbound=message, code="01")
    return Answer(200, body)


@transaction.atomic
def _status_received(*, parsed: edxml.Parsed, common: dict, local: list[tuple[str, Agency]]) -> Answer:
    status = parsed.status
    assert status is not None
    original = Message.objects.filter(direction=Message.Direction.OUT, kind=Message.Kind.DOCUMENT,
                                      document_id=status.response_for.document_id).order_by("created_at").first()
    body = _accepted(message_id=parsed.message_id)
    code, agency = local[0]
    message = Message.objects.create(
        message_id=parsed.message_id, direction=Message.Direction.IN, kind=Message.Kind.STATUS,
        state=Message.State.ACCEPTED, local_code=code, agency=agency, status_code=status.status_code,
        description=status.description[:2000], subject=original.subject if original else "",
        outgoing=original.outgoing if original else None, answer=body, **common)
    log_append(event="status_received", message=message,
               detail={"status": status.status_code, "document_id": status.response_for.document_id,
                       "known_document": original is not None})
    return Answer(200, body)
