"""The exchange follows the documents (registered on import by ``CoreConfig.ready``, docs/events.md):
an issued or recalled document goes to its recipients outside this instance (queued: ``delivery.py``
sends it outside the transaction), and the handling of a document that came by edXML answers its
sender with 04, 05 and 06."""

from tinhso.core.events import event_handler
from tinhso.documents.models import IncomingDocument, OutgoingDocument
from tinhso.exchange.handling import PROGRESS_STATUS
from tinhso.exchange.models import Message
from tinhso.exchange.sending import document_send, recall_send, status_send


@event_handler("documents.outgoing_issued", name="exchange.send_issued")
def send_issued(event) -> None:
    document = OutgoingDocument.objects.filter(pk=(event.payload or {}).get("id")).first()
    if document is not None:
        document_send(document=document)


@event_handler("documents.outgoing_recalled", name="exchange.send_recall")
def send_recall(event) -> None:
    payload = event.payload or {}
    document = OutgoingDocument.objects.filter(pk=payload.get("id")).first()
    if document is not None:
        recall_send(document=document, reason=payload.get("reason", ""))


@event_handler("documents.incoming_progressed", name="exchange.progress_status")
def progress_status(event) -> None:
    payload = event.payload or {}
    code = PROGRESS_STATUS.get(payload.get("status"))
    inbound = (Message.objects.filter(direction=Message.Direction.IN, kind=Message.Kind.DOCUMENT,
                                      incoming_id=payload.get("id")).select_related("agency", "incoming").first())
    if code is None or inbound is None:
        return
    last = (Message.objects.filter(direction=Message.Direction.OUT, kind=Message.Kind.STATUS, incoming=inbound.incoming)
            .order_by("-created_at").values_list("status_code", flat=True).first())
    if last == code:
        return  # a second progress note is not a new status for the sender
    incoming: IncomingDocument = inbound.incoming
    description = incoming.result_note if code == "06" and incoming.result_note else ""
    status_send(inbound=inbound, code=code, description=description)
