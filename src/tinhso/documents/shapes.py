"""JSON shapes of documents for the API and the pages (one place, so both show the same thing)."""

from __future__ import annotations

from django.utils import timezone

from tinhso.documents.actions import incoming_actions, outgoing_actions
from tinhso.documents.models import IncomingDocument, OutgoingDocument


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def summary(doc) -> dict:
    if isinstance(doc, OutgoingDocument):
        return {"ref": doc.ref, "kind": "outgoing", "agency": doc.agency.code, "doc_type": doc.doc_type,
                "type_name": doc.get_doc_type_display(), "number": doc.number, "notation": doc.notation,
                "subject": doc.subject, "status": doc.status, "status_label": doc.get_status_display(),
                "urgency": doc.urgency, "confidentiality": doc.confidentiality, "date": doc.issued_on.isoformat()
                if doc.issued_on else None, "sender": doc.agency.name, "version": doc.version,
                "due_at": None, "deadline_state": ""}
    return {"ref": doc.ref, "kind": "incoming", "agency": doc.agency.code, "doc_type": doc.doc_type,
            "type_name": doc.get_doc_type_display(), "number": doc.arrival_number, "notation": doc.their_notation,
            "subject": doc.subject, "status": doc.status, "status_label": doc.get_status_display(),
            "urgency": doc.urgency, "confidentiality": doc.confidentiality, "date": doc.their_date.isoformat(),
            "sender": doc.sender_name, "version": doc.version, "due_at": _iso(doc.due_at),
            "deadline_state": doc.deadline_state}


def detail(doc, *, actor) -> dict:
    registry = outgoing_actions if isinstance(doc, OutgoingDocument) else incoming_actions
    context = registry.context(actor, doc)
    events = [{"at": _iso(e.at), "action": e.action, "label": e.label, "actor": e.actor_label, "note": e.note}
              for e in doc.events.all()]
    out = {**summary(doc), "available_actions": [s.as_dict() for s in registry.available(context)],
           "timeline": events}
    if isinstance(doc, OutgoingDocument):
        out.update({
            "body": doc.body, "authority": doc.authority, "signer": doc.signer.username,
            "signer_name": doc.signer.display_name, "signer_title": doc.signer_title,
            "drafted_by": doc.drafted_by.display_name, "reviewer": doc.reviewer.display_name if doc.reviewer_id else "",
            "recipients": [{"code": r.code, "name": r.name, "internal": r.agency_id is not None,
                            "for_information": r.for_information} for r in doc.recipients.all()],
            "reply_due": doc.reply_due.isoformat() if doc.reply_due else None,
            "reply_to": doc.reply_to.ref if doc.reply_to_id else None,
            "versions": [{"number": v.number, "subject": v.subject, "at": _iso(v.created_at)} for v in doc.versions.all()],
            "comments": [{"author": c.author.display_name, "text": c.text, "version": c.version_number,
                          "at": _iso(c.created_at)} for c in doc.comments.select_related("author")],
            "signed": bool(doc.signed_file_id), "recall_reason": doc.recall_reason,
        })
    else:
        out.update({
            "arrived_at": _iso(doc.arrived_at), "sender_code": doc.sender_code, "signer_name": doc.signer_name,
            "page_count": doc.page_count, "source": doc.source, "metadata_only": doc.metadata_only,
            "signature_summary": doc.signature_summary,
            "signature_label": _verdict_label((doc.signature_summary or {}).get("verdict", "")),
            "duplicate_of": doc.duplicate_of.ref if doc.duplicate_of_id else None,
            "instruction": doc.instruction, "result_note": doc.result_note,
            "reply": doc.reply.ref if doc.reply_id else None,
            "assignments": [{"role": a.role, "department": a.department.code if a.department_id else None,
                             "user": a.user.username if a.user_id else None, "due_at": _iso(a.due_at),
                             "instruction": a.instruction} for a in doc.assignments.select_related("department", "user")],
            "progress": [{"author": n.author.display_name, "text": n.text, "at": _iso(n.created_at)}
                         for n in doc.progress_notes.select_related("author")],
        })
    return out


def parse_ref(ref: str) -> tuple[type, int] | None:
    kind, _, number = (ref or "").partition("-")
    model = {"di": OutgoingDocument, "den": IncomingDocument}.get(kind)
    return (model, int(number)) if model and number.isdigit() else None


def _verdict_label(verdict: str) -> str:
    """The signature check in words (the stored verdict is a code: ``valid``, ``unsigned`` …)."""
    from tinhso.signing.verify import VERDICT_LABELS

    return VERDICT_LABELS.get(verdict, verdict)
