"""What the receiving clerk does with a package that arrived (vn-standards §7.7, §8.3), as actions of
the core registry: register it (status 03) or refuse it with a reason (02). The handling of the
registered document then sends 04, 05 and 06 back by itself (``handlers.py``); a recall is agreed to
(15) and takes the document out of the register's open work."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import Field

from tinhso.core.actions import Action, ActionInput, ActionRegistry
from tinhso.core.audit import audit_record
from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.documents.access import Actor, actor_load
from tinhso.documents.models import IncomingDocument
from tinhso.exchange import edxml
from tinhso.exchange.errors import ExchangeError
from tinhso.exchange.log import log_append
from tinhso.exchange.models import Message


@dataclass
class InboundCtx:
    actor: Actor
    message: Message

    @property
    def user(self):
        return self.actor.user


def _lock(message: Message) -> Message:
    return Message.objects.select_for_update(of=("self",)).select_related("agency").get(pk=message.pk)


def _stale(message: Message) -> Conflict:
    return Conflict("Gói tin vừa được người khác xử lý; tải lại trang.", code=ExchangeError.INVALID_STATE)


inbound_actions: ActionRegistry[Message, InboundCtx] = ActionRegistry(
    domain="exchange.inbound", context=lambda user, m: InboundCtx(actor_load(user), m), lock=_lock,
    version_of=lambda m: m.version, stale=_stale)


def _clerk_of_arrived(ctx: InboundCtx) -> None:
    message = ctx.message
    if message.agency_id is None or not ctx.actor.has(message.agency_id, "clerk"):
        raise PermissionDenied("Chỉ văn thư của cơ quan nhận được xử lý văn bản liên thông đến.",
                               code=ExchangeError.NOT_CLERK)
    if message.direction != Message.Direction.IN or message.kind != Message.Kind.DOCUMENT \
            or message.state != Message.State.ARRIVED:
        raise Conflict("Gói tin này không còn chờ văn thư xử lý.", code=ExchangeError.INVALID_STATE)


def _bump(message: Message, *fields: str) -> None:
    message.version += 1
    message.save(update_fields=[*fields, "version"])


class RegisterInput(ActionInput):
    note: str = Field("", max_length=1000, title="Ghi chú", json_schema_extra={"widget": "textarea"})


class RefuseInput(ActionInput):
    reason: str = Field(min_length=3, max_length=1000, title="Lý do từ chối", json_schema_extra={"widget": "textarea"})


def _pdf(doc: edxml.DocumentPackage) -> edxml.Attachment | None:
    return next((a for a in doc.attachments if a.content_type == "application/pdf" or a.name.lower().endswith(".pdf")),
                None)


@inbound_actions.register
class Register(Action[InboundCtx]):
    name, label, Input = "register", "Vào sổ văn bản đến", RegisterInput

    def check(self, ctx):
        _clerk_of_arrived(ctx)

    def execute(self, ctx, data: RegisterInput):
        from tinhso.documents.services import incoming_receive_external
        from tinhso.exchange.sending import status_send_or_note

        message = ctx.message
        doc = edxml.parse(bytes(message.raw)).document
        assert doc is not None
        pdf = _pdf(doc)
        if pdf is None:
            raise ValidationFailed("Gói tin không có tệp PDF của văn bản; hãy từ chối và báo cơ quan gửi.",
                                   code=ExchangeError.NO_PDF)
        urgency = {0: "normal", 1: "khan", 2: "thuong_khan", 3: "hoa_toc", 4: "hoa_toc"}.get(doc.priority, "normal")
        incoming = incoming_receive_external(
            actor=ctx.user, agency=message.agency, sender_code=message.from_code,
            sender_name=doc.sender.name or message.from_name, their_notation=f"{doc.code_number}/{doc.code_notation}",
            their_date=doc.promulgation_date, doc_type=doc.type_code, subject=doc.subject, urgency=urgency,
            signer_name=doc.signer_name, page_count=doc.page_amount, pdf=pdf.content, pdf_name=pdf.name)
        message.state, message.incoming = Message.State.REGISTERED, incoming
        _bump(message, "state", "incoming")
        log_append(event="registered", message=message, detail={"incoming": incoming.pk,
                                                                 "arrival_number": incoming.arrival_number})
        status_send_or_note(inbound=message, code="03", staff_name=ctx.user.display_name,
                    description=f"Đã vào sổ văn bản đến, số đến {incoming.arrival_number}.")
        audit_record(actor=ctx.user, action="exchange.inbound_registered", target=message,
                     data={"incoming": incoming.pk})
        return incoming


@inbound_actions.register
class Refuse(Action[InboundCtx]):
    name, label, Input = "refuse", "Từ chối tiếp nhận, trả lại nơi gửi", RefuseInput

    def check(self, ctx):
        _clerk_of_arrived(ctx)

    def execute(self, ctx, data: RefuseInput):
        from tinhso.exchange.sending import status_send

        message = ctx.message
        message.state, message.refusal_code, message.refusal_reason = Message.State.REFUSED, "clerk", data.reason
        _bump(message, "state", "refusal_code", "refusal_reason")
        log_append(event="refused_by_clerk", message=message, detail={"reason": data.reason})
        status_send(inbound=message, code="02", description=data.reason, staff_name=ctx.user.display_name)
        audit_record(actor=ctx.user, action="exchange.inbound_refused", target=message, data={"reason": data.reason})
        return message


def inbound_perform(*, actor, message: Message, name: str, data: dict | None = None,
                    expected_version: int | None = None):
    return inbound_actions.perform(actor=actor, target=message, name=name, data=data,
                                   expected_version=expected_version)


def recall_received(*, message: Message) -> None:
    """The sender recalls a document (business type 1): the copy that arrived but was not registered is
    closed; a registered one is marked recalled. The agreement (15) goes back at once (§7.6: the
    receiver deletes it and tells the sender)."""
    from tinhso.documents.services import incoming_recall_external
    from tinhso.exchange.sending import status_send_or_note

    earlier = Message.objects.filter(direction=Message.Direction.IN, kind=Message.Kind.DOCUMENT,
                                     document_id=message.document_id, local_code=message.local_code,
                                     business_type__in=[0, 3]).exclude(pk=message.pk)
    for original in earlier.select_for_update():
        if original.state == Message.State.ARRIVED:
            original.state, original.refusal_code = Message.State.REFUSED, "recalled"
            original.refusal_reason = message.description or "Cơ quan gửi thu hồi văn bản."
            _bump(original, "state", "refusal_code", "refusal_reason")
        elif original.incoming_id:
            incoming_recall_external(document=original.incoming, reason=message.description)
    message.state = Message.State.ACCEPTED
    message.save(update_fields=["state"])
    log_append(event="recall_agreed", message=message, detail={"documents": [m.pk for m in earlier]})
    status_send_or_note(inbound=message, code="15", description="Đồng ý thu hồi văn bản.")


# Which handling step of an incoming document sends which status back (§8.3).
PROGRESS_STATUS = {IncomingDocument.Status.ASSIGNED: "04", IncomingDocument.Status.IN_PROGRESS: "05",
                   IncomingDocument.Status.DONE: "06"}
