"""JSON shapes of petitions for the API (snake_case, times ISO 8601 with +07:00 via ``json_ready``).

The sender's personal data appears only in ``petition_detail_shape`` and only when the selector says
the reader may see it (``PetitionView.sender_visible``); lists mask it, the public list never has it.
"""

from __future__ import annotations

from tinhso.core.serialization import json_ready
from tinhso.petitions.models import Petition
from tinhso.petitions.selectors import PetitionView, flags, mask_name, mask_phone
from tinhso.petitions.status import Channel, Feedback, Kind, Status, group_of


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


def _ref(row) -> dict | None:
    return {"code": row.code, "name": row.name} if row is not None else None


def petition_summary(petition: Petition, *, masked: bool = True, thresholds: dict | None = None) -> dict:
    """A staff list row: the sender masked (name initials, phone ends)."""
    return json_ready({
        "code": petition.code,
        "kind": petition.kind, "kind_label": _label(Kind, petition.kind),
        "channel": petition.channel, "channel_label": _label(Channel, petition.channel),
        "status": petition.status, "status_label": _label(Status, petition.status),
        "group": group_of(petition.status),
        "subject": petition.subject,
        "agency": _ref(petition.agency),
        "sender": {"name": mask_name(petition.sender_name) if masked else petition.sender_name,
                   "phone": mask_phone(petition.sender_phone) if masked else petition.sender_phone},
        "assignee": petition.assignee.username if petition.assignee_id else None,
        "received_at": petition.received_at,
        "due_at": petition.due_at,
        **flags(petition, thresholds=thresholds),
        "version": petition.version,
    })


def petition_public_shape(petition: Petition) -> dict:
    """A published question and its answer, without anything about the sender."""
    return json_ready({
        "code": petition.code,
        "kind": petition.kind, "kind_label": _label(Kind, petition.kind),
        "subject": petition.subject,
        "content": petition.content,
        "answer": petition.answer,
        "agency": _ref(petition.agency),
        "sector": _ref(petition.sector),
        "answered_at": petition.answered_at,
        "published_at": petition.published_at,
    })


def petition_detail_shape(view: PetitionView) -> dict:
    p, context = view.petition, view.context
    staff = context.staff_here
    sender = None
    if view.sender_visible:
        sender = {"name": p.sender_name, "phone": p.sender_phone, "email": p.sender_email,
                  "address": p.sender_address, "phone_verified": p.phone_verified,
                  "has_account": p.sender_user_id is not None}
    return json_ready({
        "code": p.code,
        "kind": p.kind, "kind_label": _label(Kind, p.kind),
        "channel": p.channel, "channel_label": _label(Channel, p.channel),
        "status": p.status, "status_label": _label(Status, p.status),
        "group": group_of(p.status),
        "subject": p.subject,
        "content": p.content,
        "agency": _ref(p.agency),
        "commune": _ref(p.commune),
        "sector": _ref(p.sector),
        "procedure": {"code": p.procedure.code, "name": p.procedure.name} if p.procedure_id else None,
        "publish_consent": p.publish_consent,
        "is_personal": p.is_personal,
        "received_at": p.received_at,
        "refuse_due_at": p.refuse_due_at if staff else None,
        "info_due_at": p.info_due_at if staff else None,
        "due_at": p.due_at,
        **flags(p),
        "info_question": p.info_question,
        "info_answer": p.info_answer,
        "answer": p.answer if (staff or p.status in (Status.ANSWERED, Status.PUBLISHED)) else "",
        "answered_at": p.answered_at,
        "published_at": p.published_at,
        "refusal_reason": p.refusal_reason,
        "feedback": p.feedback or None, "feedback_label": _label(Feedback, p.feedback),
        "objected_at": p.objected_at,
        "reopened_count": p.reopened_count,
        "assignee": p.assignee.username if (staff and p.assignee_id) else None,
        "sender": sender,
        "attachments": [{"id": a.pk, "name": a.file.original_name, "content_type": a.file.content_type,
                         "size": a.file.size} for a in view.attachments],
        "timeline": [{"at": e.at, "action": e.action, "label": e.label,
                      "agency": _ref(e.agency), "actor": e.actor_label if staff else None,
                      "note": e.note if (e.is_public or staff) else ""} for e in view.events],
        "version": p.version,
        "available_actions": [a.as_dict() for a in view.actions],
    })
