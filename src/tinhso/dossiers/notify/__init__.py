"""Telling the applicant what happened to their dossier (docs/notifications.md "Hồ sơ").

One event handler for the dossier events an applicant must hear about. It lives in ``dossiers``,
not in ``notifications``: the event payload carries no personal data (``payload_base``), so the
handler reads the applicant's e-mail and phone from the dossier, which ``notifications`` (a lower
layer) may not import. Messages are the templates ``notifications/dossier_*/…``; sending is
``notifications.services.notification_send``, idempotent on the event id, so an event delivered
twice sends each message once.

For online dossiers the form the event issued (Mẫu 01 receipt, 02 supplement request, 03 refusal,
04 apology, the stop notice) is attached to the e-mail as PDF: the electronic delivery of
vn-standards §4.3 step 2 and §4.2 "Mẫu 04".

The SMS is one segment (160 unaccented characters; with diacritics the budget of
``notifications.sms.sms_max_segments``): the code, what happened, the date that matters and the
tracking link, never the list of missing papers. Each ``sms.txt`` is tried with the full link, the
short link (``sms_fallbacks``), then ``brief`` (without the reason or agency name, but still the code
and the link or the agency's phone), then ``no_link`` ("Tra cứu tại Cổng DVC" for a portal address
too long to fit), and the first that fits is sent; the e-mail keeps every detail.
"""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone

from tinhso.core.errors import ValidationFailed
from tinhso.core.events import event_handler
from tinhso.core.money import format_vnd
from tinhso.dossiers.models import Dossier, DossierDocument, DossierPayment, FormIssue
from tinhso.dossiers.printing import SLUGS, form_issue_pdf_file
from tinhso.dossiers.printing.context import moment
from tinhso.dossiers.status import Channel, ReturnMethod
from tinhso.dossiers.tracking import tracking_url
from tinhso.notifications.messages import message_render, sms_render
from tinhso.notifications.models import Channel as NotifyChannel
from tinhso.notifications.models import Notification
from tinhso.notifications.services import notification_send

__all__ = ["EVENTS", "applicant_notify"]

logger = logging.getLogger(__name__)

# event → (message template, the form the event issues)
EVENTS: dict[str, tuple[str, str | None]] = {
    "dossier.received": ("dossier_received", FormIssue.Kind.RECEIPT),
    "dossier.supplement_requested": ("dossier_supplement_requested", FormIssue.Kind.SUPPLEMENT_REQUEST),
    "dossier.refused": ("dossier_refused", FormIssue.Kind.REFUSAL),
    "dossier.apology_issued": ("dossier_apology_issued", FormIssue.Kind.APOLOGY),
    "dossier.stopped": ("dossier_stopped", FormIssue.Kind.STOP),
    "dossier.payment_requested": ("dossier_payment_requested", None),
    "dossier.resolved": ("dossier_resolved", None),
    "dossier.returned": ("dossier_returned", None),
    "dossier.withdrawn": ("dossier_withdrawn", FormIssue.Kind.WITHDRAWAL),
}

SMS_PROCEDURE_CHARS = 60


def tracking_link_short() -> str:
    """The tracking page without scheme and query ("dichvucong.phutho.gov.vn/tra-cuu"): phones still
    make it a link, and the code is in the SMS already."""
    parts = urlsplit(settings.PUBLIC_URL)
    return f"{parts.netloc}{parts.path.rstrip('/')}/tra-cuu" if parts.netloc else f"{settings.PUBLIC_URL}/tra-cuu/"


def sms_fallbacks() -> list[dict]:
    """Shorter variants of an SMS, tried in turn until one fits the segment budget. The last has no
    link at all ("Tra cứu tại Cổng DVC"): a province's portal address can be long enough that no
    text with it fits one segment, and the code alone finds the dossier on the portal."""
    short = {"tracking_url": tracking_link_short()}
    return [short, {"brief": True}, {**short, "brief": True}, {**short, "brief": True, "no_link": True}]


def _when(value) -> str:
    """``dd/mm/yyyy HH:MM`` in Vietnam time."""
    at = moment(value)
    return timezone.localtime(at).strftime("%d/%m/%Y %H:%M") if at is not None else ""


def _day(value) -> str:
    at = moment(value)
    return timezone.localtime(at).strftime("%d/%m/%Y") if at is not None else ""


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _context(event, dossier: Dossier, form: FormIssue | None) -> dict:
    payload = event.payload
    data = form.data if form is not None else {}
    receiving = dossier.receiving_agency
    agency = (data.get("agency") or {}) if data else {}
    procedure_name = dossier.procedure_version.name
    receipt = dossier.forms.filter(kind=FormIssue.Kind.RECEIPT).order_by("-issued_at", "-id").first()
    return {
        "site_name": getattr(settings, "TINHSO_SITE_NAME", "Tỉnh Số"),
        "portal_url": settings.PUBLIC_URL,
        "tracking_url": tracking_url(dossier.code),
        "code": dossier.code,
        "applicant_name": dossier.applicant_name,
        "procedure_name": procedure_name,
        "procedure_short": _short(procedure_name, SMS_PROCEDURE_CHARS),
        "agency_name": agency.get("name") or receiving.name,
        "agency_phone": agency.get("phone") or receiving.phone,
        "receiving_agency_name": receiving.name,
        "receiving_agency_address": receiving.address,
        "received_text": _when(payload.get("received_at") or dossier.received_at),
        "received_date": _day(dossier.received_at),
        "due_text": _when(payload.get("due_at") or dossier.due_at),
        "old_due_text": _when(payload.get("old_due_at")),
        "new_due_text": _when(payload.get("new_due_at")),
        "reason": payload.get("reason") or data.get("reason", ""),
        # The SMS goes on after the reason ("Lý do: …. Tra cứu: …"): without its own full stop.
        "reason_clause": " ".join((payload.get("reason") or data.get("reason", "")).split()).rstrip(" .;:"),
        "items": data.get("items") or [],
        "stage": payload.get("stage") or data.get("stage", ""),
        "contact_phone": data.get("contact_phone", ""),
        "outcome": payload.get("outcome") or dossier.outcome,
        "return_by_post": bool(receipt and receipt.data.get("return_at") == "post"),
        "electronic_result": dossier.channel == Channel.ONLINE
        and dossier.documents.filter(role=DossierDocument.Role.RESULT).exists(),
        "method_label": ReturnMethod(payload["method"]).label if payload.get("method") in ReturnMethod.values else "",
        "returned_text": _when(payload.get("returned_at") or dossier.returned_at),
        "closed_text": _when(payload.get("closed_at")),
        "rating_url": _rating_url(event, dossier),
        **_payment(payload),
    }


def _rating_url(event, dossier: Dossier) -> str:
    """The invitation to rate a returned dossier: a signed link to its rating page (docs/ratings.md)."""
    if event.name != "dossier.returned":
        return ""
    from tinhso.ratings.tokens import rating_token

    return f"{settings.PUBLIC_URL}/danh-gia/{rating_token(dossier.pk)}/"


def _payment(payload: dict) -> dict:
    """The amount and its items of a payment request, money as ``1.250.000 đ``."""
    payment_id = payload.get("payment_id")
    payment = DossierPayment.objects.filter(pk=payment_id).first() if payment_id else None
    if payment is None:
        return {"amount_text": "", "payment_items": []}
    items = [{"name": item.get("name", ""), "amount_text": format_vnd(item.get("amount") or 0)}
             for item in payment.items or []]
    return {"amount_text": format_vnd(payment.amount), "payment_items": items}


def _send(**kwargs) -> Notification | None:
    try:
        return notification_send(**kwargs)
    except ValidationFailed as exc:
        # A contact the applicant typed wrong cannot be fixed by retrying the event.
        logger.warning("Not notifying %s on %s: %s", kwargs.get("recipient"), kwargs.get("channel"), exc.detail)
        return None


def applicant_notify(*, event) -> list[Notification]:
    """Send the applicant the message of ``event`` by e-mail (with the form's PDF for online
    dossiers), SMS and in-app — each where the dossier has that contact. Returns what was queued."""
    template, form_kind = EVENTS[event.name]
    payload = event.payload or {}
    dossier_id = payload.get("dossier_id")
    dossier = (Dossier.objects.select_related("procedure", "procedure_version", "receiving_agency", "owner")
               .filter(pk=dossier_id).first()) if dossier_id is not None else None
    if dossier is None:
        return []
    form = None
    if form_kind is not None and payload.get("form_issue_id"):
        form = FormIssue.objects.filter(pk=payload["form_issue_id"], dossier=dossier).select_related("pdf").first()
    context = _context(event, dossier, form)
    common = {"event_id": event.id, "kind": event.name}
    sent: list[Notification | None] = []
    if dossier.applicant_email:
        attachments = []
        if form is not None and dossier.channel == Channel.ONLINE:
            attachments = [(f"{dossier.code}-{SLUGS[form.kind]}.pdf", form_issue_pdf_file(form=form))]
        message = message_render(template=template, context={**context, "has_attachment": bool(attachments)})
        sent.append(_send(channel=NotifyChannel.EMAIL, recipient=dossier.applicant_email, subject=message.subject,
                          body=message.body, attachments=attachments, **common))
    message = message_render(template=template, context={**context, "has_attachment": False})
    if dossier.applicant_phone:
        sms = sms_render(template=template, context={**context, "has_attachment": False}, fallbacks=sms_fallbacks())
        sent.append(_send(channel=NotifyChannel.SMS, recipient=dossier.applicant_phone, body=sms, **common))
    if dossier.owner_id:
        sent.append(_send(channel=NotifyChannel.IN_APP, user=dossier.owner, subject=message.subject,
                          body=message.body, **common))
    return [row for row in sent if row is not None]


@event_handler(*EVENTS, name="dossiers.notify_applicant")
def notify_applicant(event) -> None:
    applicant_notify(event=event)
