"""Sending: an issued document to its recipients outside this instance, a status back to a sender; each
package is signed, stored and queued here, in the caller's transaction, and sent by ``delivery.py``."""

from __future__ import annotations

import hashlib
import logging

from django.db import transaction
from django.utils import timezone

from tinhso.core.audit import audit_record
from tinhso.core.errors import PermissionDenied, ValidationFailed
from tinhso.core.files import file_read
from tinhso.documents.access import actor_load
from tinhso.documents.kinds import URGENCY_PRIORITY
from tinhso.documents.models import OutgoingDocument
from tinhso.exchange import edxml, schema, xmlsig
from tinhso.exchange.errors import ExchangeError
from tinhso.exchange.log import log_append
from tinhso.exchange.models import Delivery, Message
from tinhso.org.models import Agency

logger = logging.getLogger(__name__)



def _organization(agency: Agency) -> edxml.Organization:
    return edxml.Organization(organ_id=agency.code, name=agency.name)


def _sign(root, *, agency: Agency) -> bytes:
    from tinhso.signing.selectors import certificate_current, certificate_material
    from tinhso.signing.services.authorities import timestamper_get

    certificate = certificate_current(agency=agency)
    if certificate is None:
        raise ValidationFailed(f"{agency.name} chưa có chứng thư số còn hiệu lực để ký gói tin liên thông.",
                               code=ExchangeError.AGENCY_CERTIFICATE_MISSING)
    data = xmlsig.sign(root, material=certificate_material(certificate), timestamper=timestamper_get())
    schema.validate_sent(edxml.parse_xml(data))
    return data


def _emit(*, data: bytes, parsed: edxml.Parsed, agency: Agency, kind: str, recipients: list[str],
          outgoing: OutgoingDocument | None = None, subject: str = "", status_code: str = "",
          description: str = "", business_type: int = 0) -> Message:
    message = Message.objects.create(
        message_id=parsed.message_id, direction=Message.Direction.OUT, kind=kind, state=Message.State.QUEUED,
        from_code=agency.code, from_name=agency.name, to_codes=recipients, document_id=parsed.document_id,
        business_type=business_type, status_code=status_code, description=description, subject=subject, raw=data,
        sha256=hashlib.sha256(data).hexdigest(), agency=agency, outgoing=outgoing)
    log_append(event="built", message=message, detail={"kind": kind, "to": recipients, "status": status_code})
    for code in recipients:
        delivery = Delivery.objects.create(message=message, recipient_code=code)
        delivery_queue(delivery)
    return message


def delivery_queue(delivery: Delivery) -> None:
    """Queue the delivery; a worker sends it once this transaction commits (``delivery.py``: the network
    call happens outside any transaction)."""
    from functools import partial

    from tinhso.exchange.tasks import deliver_due

    delivery.state, delivery.next_attempt_at = Delivery.State.QUEUED, timezone.now()
    delivery.save(update_fields=["state", "next_attempt_at", "updated_at"])
    transaction.on_commit(partial(deliver_due.enqueue), robust=True)


def _attachments(document: OutgoingDocument) -> list[edxml.Attachment]:
    files = [document.signed_file, *document.attachments.all()]
    return [edxml.Attachment(name=f.original_name, content_type=f.content_type, content=file_read(stored_file=f))
            for f in files if f is not None]


def _response_for(document: OutgoingDocument) -> edxml.ResponseFor | None:
    incoming = document.reply_to
    if incoming is None:
        return None
    origin = Message.objects.filter(direction=Message.Direction.IN, kind=Message.Kind.DOCUMENT,
                                    incoming=incoming).first()
    if origin is None:
        return None
    return edxml.ResponseFor(organ_id=origin.from_code, code=incoming.their_notation,
                             promulgation_date=incoming.their_date, document_id=origin.document_id)


def _replaced_document_id(document: OutgoingDocument) -> str:
    if document.replaces_id is None:
        return ""
    sent = Message.objects.filter(direction=Message.Direction.OUT, kind=Message.Kind.DOCUMENT,
                                  outgoing_id=document.replaces_id).first()
    return sent.document_id if sent else ""


def external_recipients(document: OutgoingDocument) -> list:
    return [r for r in document.recipients.all() if r.agency_id is None]


@transaction.atomic
def document_send(*, document: OutgoingDocument) -> Message | None:
    """Send an issued document to its recipients outside this instance (one package, one delivery each).
    Idempotent: a document already sent is not sent again."""
    from tinhso.documents.rendering import place_of

    recipients = external_recipients(document)
    if not recipients or document.status != OutgoingDocument.Status.ISSUED:
        return None
    existing = Message.objects.filter(direction=Message.Direction.OUT, kind=Message.Kind.DOCUMENT,
                                      outgoing=document, business_type__in=[0, 3]).first()
    if existing is not None:
        return existing
    number, _, notation = document.notation.partition("/")
    replaces = _replaced_document_id(document)
    pkg = edxml.DocumentPackage(
        sender=_organization(document.agency), recipients=[edxml.Organization(r.code, r.name) for r in recipients],
        code_number=number, code_notation=notation, place=place_of(document.agency),
        promulgation_date=document.issued_on, type_name=document.get_doc_type_display(), type_code=document.doc_type,
        subject=document.subject, signer_competence=document.authority, signer_position=document.signer_title,
        signer_name=document.signer.display_name, due_date=document.reply_due, to_places=[r.name for r in recipients],
        priority=URGENCY_PRIORITY.get(document.urgency, 0), page_amount=document.signed_file.page_count,
        business_type=edxml.BUSINESS_REPLACE if replaces else edxml.BUSINESS_NEW, replaces_document_id=replaces,
        response_for=_response_for(document),
        staff=edxml.StaffInfo(staff=document.issued_by.display_name if document.issued_by else ""),
        attachments=_attachments(document))
    root = edxml.document_build(pkg, now=timezone.localtime())
    data = _sign(root, agency=document.agency)
    return _emit(data=data, parsed=edxml.parse(data), agency=document.agency, kind=Message.Kind.DOCUMENT,
                 recipients=[r.code for r in recipients], outgoing=document, subject=document.subject,
                 business_type=pkg.business_type)


@transaction.atomic
def recall_send(*, document: OutgoingDocument, reason: str) -> Message | None:
    """§7.6 thu hồi: the sender asks every external recipient to take the document back (business type 1)."""
    sent = Message.objects.filter(direction=Message.Direction.OUT, kind=Message.Kind.DOCUMENT, outgoing=document,
                                  business_type__in=[0, 3]).first()
    if sent is None:
        return None
    original = edxml.parse(bytes(sent.raw)).document
    assert original is not None
    pkg = edxml.DocumentPackage(
        sender=original.sender, recipients=original.recipients, code_number=original.code_number,
        code_notation=original.code_notation, place=original.place, promulgation_date=original.promulgation_date,
        type_name=original.type_name, type_code=original.type_code, subject=original.subject,
        signer_position=original.signer_position, signer_name=original.signer_name,
        business_type=edxml.BUSINESS_RECALL, business_reason=reason)
    data = _sign(edxml.document_build(pkg, now=timezone.localtime()), agency=document.agency)
    return _emit(data=data, parsed=edxml.parse(data), agency=document.agency, kind=Message.Kind.DOCUMENT,
                 recipients=list(sent.to_codes), outgoing=document, subject=document.subject,
                 business_type=edxml.BUSINESS_RECALL, description=reason)


@transaction.atomic
def status_send(*, inbound: Message, code: str, description: str = "", staff_name: str = "",
                department: str = "") -> Message:
    """Answer the sender of ``inbound`` with a status (§8.3), signed by the receiving agency."""
    agency = inbound.agency
    original = edxml.parse(bytes(inbound.raw))
    doc = original.document
    rf = edxml.ResponseFor(organ_id=inbound.from_code,
                           code=f"{doc.code_number}/{doc.code_notation}" if doc else "",
                           promulgation_date=doc.promulgation_date if doc else None, document_id=inbound.document_id)
    pkg = edxml.StatusPackage(sender=_organization(agency), recipient=edxml.Organization(inbound.from_code,
                                                                                         inbound.from_name),
                              response_for=rf, status_code=code,
                              description=description or edxml.STATUS_LABELS.get(code, ""),
                              staff=edxml.StaffInfo(department=department, staff=staff_name))
    data = _sign(edxml.status_build(pkg, now=timezone.localtime()), agency=agency)
    message = _emit(data=data, parsed=edxml.parse(data), agency=agency, kind=Message.Kind.STATUS,
                    recipients=[inbound.from_code], status_code=code, description=pkg.description,
                    subject=inbound.subject)
    message.incoming_id = inbound.incoming_id
    message.save(update_fields=["incoming"])
    return message


@transaction.atomic
def delivery_resend(*, actor, delivery: Delivery) -> Delivery:
    """A clerk sends again a delivery that failed or was refused (the same signed bytes, the same id)."""
    who = actor_load(actor)
    agency_id = delivery.message.agency_id
    if agency_id is None or not who.has(agency_id, "clerk"):
        raise PermissionDenied("Chỉ văn thư của cơ quan gửi được gửi lại gói tin.", code=ExchangeError.NOT_CLERK)
    delivery.attempts, delivery.last_error = 0, ""
    delivery.save(update_fields=["attempts", "last_error", "updated_at"])
    delivery_queue(delivery)
    log_append(event="resend", message=delivery.message, detail={"to": delivery.recipient_code,
                                                                  "by": getattr(actor, "username", "")})
    audit_record(actor=actor, action="exchange.delivery_resent", target=delivery.message,
                 data={"to": delivery.recipient_code})
    return delivery


def status_send_or_note(*, inbound: Message, code: str, **kwargs) -> Message | None:
    """``status_send``, except that an agency without a usable certificate does not undo what the status
    reports (the arrival, the registration): the sender is then not told, and the log and the server
    log say so, naming the agency, until it has a certificate and the next status goes out."""
    try:
        with transaction.atomic():
            return status_send(inbound=inbound, code=code, **kwargs)
    except ValidationFailed as exc:
        if exc.code != ExchangeError.AGENCY_CERTIFICATE_MISSING:
            raise
        logger.error("exchange: status %s for %s not sent: %s", code, inbound.message_id, exc)
        log_append(event="status_not_sent", message=inbound, detail={"status": code, "reason": str(exc)})
        return None
