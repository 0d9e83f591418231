"""JSON shapes of dossiers for the API (snake_case, times ISO 8601 with +07:00 via ``json_ready``).

Kept apart from the router so that other JSON producers (exports, webhooks) shape a dossier the
same way. Staff lists are masked (``selectors.mask_*``); the applicant's own data is not.
"""

from __future__ import annotations

from django.urls import reverse

from tinhso.core.serialization import json_ready
from tinhso.dossiers.models import Dossier, DossierDocument
from tinhso.dossiers.selectors import DossierDetail, mask_id_number, mask_phone, mask_tax_code
from tinhso.dossiers.status import (
    Channel,
    Outcome,
    ReturnMethod,
    Status,
    Verdict,
    national_channel,
    national_status,
)

FORM_SLUGS = {"receipt": "receipt", "supplement_request": "supplement-request", "refusal": "refusal",
              "apology": "apology", "stop": "stop", "withdrawal": "withdrawal",
              "handover_log": "handover-log"}


def _agency(agency) -> dict | None:
    return {"code": agency.code, "name": agency.name} if agency is not None else None


def _label(choices, value) -> str:
    return str(choices(value).label) if value else ""


def dossier_summary(dossier: Dossier, *, masked: bool) -> dict:
    """What a list row and every action answer show."""
    id_number = mask_id_number(dossier.applicant_id_number) if masked else dossier.applicant_id_number
    tax_code = mask_tax_code(dossier.applicant_tax_code) if masked else dossier.applicant_tax_code
    phone = mask_phone(dossier.applicant_phone) if masked else dossier.applicant_phone
    step = dossier.current_step
    return json_ready({
        "id": dossier.pk,
        "code": dossier.code,
        "reference": dossier.reference,
        "code_is_provisional": dossier.code_is_provisional,
        "status": dossier.status,
        "status_label": _label(Status, dossier.status),
        "national_status_code": national_status(dossier.status),
        "channel": dossier.channel,
        "national_channel_code": national_channel(dossier.channel),
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure_version.name,
                      "version": dossier.procedure_version.number},
        "receiving_agency": _agency(dossier.receiving_agency),
        "current_agency": _agency(dossier.current_agency),
        "current_step": {"code": step.code, "name": step.name} if step else None,
        "applicant": {"kind": dossier.applicant_kind, "full_name": dossier.applicant_name, "id_number": id_number,
                      "tax_code": tax_code, "phone": phone},
        "submitted_at": dossier.submitted_at,
        "received_at": dossier.received_at,
        "due_at": dossier.due_at,
        "resolved_at": dossier.resolved_at,
        "returned_at": dossier.returned_at,
        "outcome": dossier.outcome or None,
        "outcome_label": _label(Outcome, dossier.outcome),
        "verdict": dossier.verdict or None,
        "verdict_label": _label(Verdict, dossier.verdict),
        "paused": dossier.paused_since is not None,
        "version": dossier.version,
    })


def document_url(dossier: Dossier, document: DossierDocument) -> str:
    return reverse("api:dossier_document", kwargs={"code": dossier.code or "", "document_id": document.pk}) \
        if dossier.code else ""


def dossier_detail_shape(detail: DossierDetail) -> dict:
    dossier = detail.dossier
    body = dossier_summary(dossier, masked=False)
    body["applicant"].update({"email": dossier.applicant_email, "address": dossier.applicant_address,
                              "birth_date": dossier.applicant_birth_date})
    body.update({
        "channel_label": str(Channel(dossier.channel).label),
        "regulation": dossier.regulation.code if dossier.regulation_id else None,
        "document_case": dossier.document_case or None,
        "form_data": dossier.form_data,
        "original_due_at": dossier.original_due_at,
        "step_due_at": dossier.step_due_at,
        "paused_since": dossier.paused_since,
        "paused_minutes": dossier.paused_minutes,
        "supplement_count": dossier.supplement_count,
        "return_method": dossier.return_method or None,
        "return_method_label": _label(ReturnMethod, dossier.return_method),
        "assignee": ({"username": dossier.assignee.username, "full_name": dossier.assignee.display_name}
                     if dossier.assignee_id and detail.staff_view else None),
        "documents": [
            {"id": d.pk, "name": d.name, "role": d.role,
             "required_document": d.required_document.code if d.required_document_id else None,
             "is_digitised": d.is_digitised, "uploaded_at": d.uploaded_at,
             "file": {"id": str(d.file.pk), "name": d.file.original_name, "content_type": d.file.content_type,
                      "size": d.file.size, "sha256": d.file.sha256},
             "url": document_url(dossier, d)}
            for d in detail.documents
        ],
        "timeline": [
            {"at": e.at, "action": e.action, "label": e.label, "status": e.status_to,
             "national_status_code": national_status(e.status_to) if e.status_to else None,
             "agency": _agency(e.agency),
             **({"actor": e.actor_label, "note": e.note} if detail.staff_view else {})}
            for e in detail.timeline
        ],
        "forms": [
            {"kind": form.kind, "number": form.number, "year": form.year, "issued_at": form.issued_at,
             "seal": form.seal, "url": reverse("api:dossier_form", kwargs={"code": dossier.code, "kind": FORM_SLUGS[form.kind]})}
            for form in detail.forms
        ],
        "supplement_requests": [
            {"id": s.pk, "stage": s.stage, "items": s.items, "reason": s.reason, "requested_at": s.requested_at,
             "fulfilled_at": s.fulfilled_at}
            for s in detail.supplement_requests
        ],
        "payments": [
            {"id": p.pk, "amount": p.amount, "items": p.items, "state": p.state, "requested_at": p.requested_at,
             "settled_at": p.settled_at, "reference": p.reference}
            for p in detail.payments
        ],
        "consultations": [
            {"id": c.pk, "from_agency": _agency(c.from_agency), "to_agency": _agency(c.to_agency),
             "question": c.question, "requested_at": c.requested_at, "due_at": c.due_at, "answer": c.answer,
             "answered_at": c.answered_at}
            for c in detail.consultations
        ] if detail.staff_view else [],
        "available_actions": [action.as_dict() for action in detail.actions],
    })
    return json_ready(body)
