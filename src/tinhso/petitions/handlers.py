"""Telling the sender what happened to their feedback, on each change they should hear about.

As for dossiers (``dossiers/notify``): the event payload carries no personal data, so the handler reads
the sender's contacts from the petition; ``notification_send`` is idempotent on the event id, so a
redelivered event sends each message once. Internal steps (assignment, drafts) are published with
``notify = false`` and send nothing.
"""

from __future__ import annotations

import logging

from django.conf import settings

from tinhso.core.errors import ValidationFailed
from tinhso.core.events import event_handler
from tinhso.notifications.messages import message_render, sms_render
from tinhso.notifications.models import Channel
from tinhso.notifications.services import notification_send
from tinhso.petitions.models import Petition

logger = logging.getLogger(__name__)

EVENTS = ("petition.received", "petition.accepted", "petition.transferred", "petition.info_requested",
          "petition.info_provided", "petition.refused", "petition.answered", "petition.published",
          "petition.reopened")


def _send(**kwargs):
    try:
        return notification_send(**kwargs)
    except ValidationFailed as exc:  # a mistyped contact cannot be fixed by retrying the event
        logger.warning("Not notifying petition sender on %s: %s", kwargs.get("channel"), exc.detail)
        return None


def sender_notify(*, event) -> list:
    payload = event.payload or {}
    if not payload.get("notify", True):
        return []
    petition = Petition.objects.select_related("agency", "sender_user").filter(pk=payload.get("petition_id")).first()
    if petition is None:
        return []
    context = {
        "site_name": getattr(settings, "TINHSO_SITE_NAME", "Tỉnh Số"), "code": petition.code,
        "sender_name": petition.sender_name, "subject": petition.subject, "label": payload.get("label", ""),
        "status_label": petition.get_status_display(), "agency_name": petition.agency.name,
        "note": payload.get("note", "") or petition.info_question if event.name == "petition.info_requested" else "",
        "reason": petition.refusal_reason if event.name == "petition.refused" else "",
        "answer": petition.answer if event.name == "petition.answered" else "",
        "lookup_url": f"{settings.PUBLIC_URL}/phan-anh/tra-cuu/?code={petition.code}",
    }
    common = {"event_id": event.id, "kind": event.name}
    message = message_render(template="petition_changed", context=context)
    sent = []
    if petition.sender_email:
        sent.append(_send(channel=Channel.EMAIL, recipient=petition.sender_email, subject=message.subject,
                          body=message.body, **common))
    if petition.sender_phone:
        sent.append(_send(channel=Channel.SMS, recipient=petition.sender_phone,
                          body=sms_render(template="petition_changed", context=context), **common))
    if petition.sender_user_id:
        sent.append(_send(channel=Channel.IN_APP, user=petition.sender_user, subject=message.subject,
                          body=message.body, **common))
    return [row for row in sent if row is not None]


@event_handler(*EVENTS, name="petitions.notify_sender")
def notify_sender(event) -> None:
    sender_notify(event=event)
