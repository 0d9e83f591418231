"""Reception decisions (vn-standards §4.3): receive (Mẫu 01), request a supplement once (Mẫu 02),
refuse (Mẫu 03) — by the reception role of the receiving agency only — and the applicant's
supplement, which sends the dossier back to whoever asked for it."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from django.utils import timezone

from tinhso.core.actions import in_transaction
from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.core.money import format_vnd
from tinhso.core.text import clean_text
from tinhso.dossiers.deadlines import appointment_at
from tinhso.dossiers.inputs import DocumentInput
from tinhso.dossiers.models import Dossier, DossierDocument, FormIssue, SupplementRequest
from tinhso.dossiers.permissions import (
    ActorContext,
    acts_for_applicant,
    is_owner,
    is_reception,
    reception_require,
)
from tinhso.dossiers.regulations import dossier_code_next, regulation_in_force
from tinhso.dossiers.services.common import (
    action_perform,
    actor_label,
    dossier_search_text,
    form_issue,
    handover_close,
    state_require,
    transition_record,
)
from tinhso.dossiers.services.engine import clock_resume, first_step, queue_leave, reception_enter, step_enter
from tinhso.dossiers.services.validation import documents_clean
from tinhso.dossiers.status import Channel, Status
from tinhso.workdays.choices import TimeUnit


def _reason_require(reason: str, *, what: str) -> str:
    text = clean_text(reason)
    if not text:
        raise ValidationFailed(f"Vui lòng ghi rõ lý do {what}.", code="reason_required")
    return text


def receipt_documents(dossier: Dossier) -> list[dict]:
    """Thành phần hồ sơ of Mẫu 01 as received: name, bản chính/bản sao and quantity from the
    (immutable) catalogue component, the number of files as the fallback quantity."""
    rows: dict[str, dict] = {}
    documents = dossier.documents.filter(
        role__in=[DossierDocument.Role.SUBMITTED, DossierDocument.Role.SCAN, DossierDocument.Role.SUPPLEMENT]
    ).select_related("required_document").order_by("id")
    for document in documents:
        row = rows.setdefault(document.name, {"name": document.name, "files": 0, "copy": "", "quantity": None})
        row["files"] += 1
        component = document.required_document
        if component is not None:
            row["copy"] = component.get_original_or_copy_display() if component.original_or_copy else ""
            row["quantity"] = component.quantity or (component.original_qty + component.copy_qty) or None
    for row in rows.values():
        row["quantity"] = row["quantity"] or row["files"]
    return list(rows.values())


def receipt_fees(dossier: Dossier) -> list[dict]:
    """Phí, lệ phí (nếu có) of Mẫu 01: the version's fees for the dossier's channel, amount in VND
    (``amount``, and ``amount_text`` as printed) or the rule in words when the amount depends on it."""
    channels: dict[str, str] = {Channel.COUNTER: "counter", Channel.ONLINE: "online", Channel.POST: "post"}
    channel = channels[dossier.channel]
    return [
        {"name": fee.name or fee.get_kind_display(), "kind": fee.kind,
         "amount": int(fee.amount) if fee.amount is not None else None,
         "amount_text": format_vnd(fee.amount) if fee.amount is not None else "", "rule": fee.rule_text}
        for fee in dossier.procedure_version.fees.order_by("order", "id")
        if fee.channel in ("all", channel)
    ]


def code_issue_at_receipt(dossier: Dossier, *, at: datetime) -> None:
    """TT 01/2018 Điều 19: the code carries the day of receipt and the counter of dossiers received
    that day. An online dossier trades its provisional reference for it now (the reference stays in
    ``reference`` for tracking); the rule set is the one in force on the day of receipt (forms, code
    format). Counter intake was numbered a moment ago, in the same transaction."""
    if not dossier.code_is_provisional:
        return
    dossier.regulation = regulation_in_force(at)
    dossier.code = dossier_code_next(regulation=dossier.regulation, agency=dossier.receiving_agency, at=at)
    dossier.search_text = dossier_search_text(dossier)


def receive_apply(dossier: Dossier, *, actor, at: datetime, note: str = "") -> FormIssue:
    """Receive a locked dossier now: clock start, appointment, receipt, first process step.

    Shared by ``dossier_receive`` and ``dossier_intake`` (counter and post: created and received
    in one call). The caller has checked permission and state.

    Runs in the caller's transaction (asserted).
    """
    in_transaction("receiving a dossier")
    status_from = dossier.status
    agency = dossier.receiving_agency
    version = dossier.procedure_version
    dossier.received_at = at
    dossier.received_by = actor
    dossier.due_at = appointment_at(agency=agency, version=version, received_at=at)
    dossier.original_due_at = dossier.due_at
    dossier.status = Status.RECEIVED
    handover_close(dossier, at=at, action="receive", by=actor)
    step = first_step(dossier)
    if step is not None:
        step_enter(dossier, step=step, at=at, given_by=actor)
    else:  # a version without a process: the receiving agency keeps it (catalog refuses to publish these)
        reception_enter(dossier)
    code_issue_at_receipt(dossier, at=at)
    form = form_issue(dossier, kind=FormIssue.Kind.RECEIPT, agency=agency, actor=actor, at=at, data={
        "documents": receipt_documents(dossier),
        "fees": receipt_fees(dossier),
        "sets": 1,
        "processing_time": {
            "value": version.processing_time_value,
            "unit": version.processing_time_unit,
            "unit_label": TimeUnit(version.processing_time_unit).label if version.processing_time_unit else "",
            "text": version.processing_time_text,
        },
        "received_at": at,
        "due_at": dossier.due_at,
        "received_by": actor_label(actor),
        "return_at": "post" if dossier.channel == Channel.POST else "counter",
    })
    transition_record(
        dossier, actor=actor, action="receive", label="Được tiếp nhận", status_from=status_from, at=at,
        note=note, agency=agency, data={"due_at": dossier.due_at, "form": form.number},
        event="dossier.received",
        payload={"received_at": at, "due_at": dossier.due_at, "form_issue_id": form.pk, "reference": dossier.reference,
                 "step": dossier.current_step.code if dossier.current_step_id else None},
    )
    return form



def receive_require(roles: ActorContext, dossier: Dossier) -> None:
    """Reception role of the receiving agency (403 ``forbidden``), dossier ``submitted`` (409 ``invalid_state``)."""
    reception_require(roles, dossier, what="tiếp nhận hồ sơ")
    state_require(dossier, {Status.SUBMITTED}, what="tiếp nhận")


def dossier_receive(*, actor, dossier: Dossier, expected_version: int | None = None, note: str = "") -> Dossier:
    """Tiếp nhận: sets ``received_at``, computes ``due_at`` on the receiving agency's calendar,
    issues the receipt (Mẫu 01) and hands the dossier to the first process step.

    Reception role of the receiving agency only (403 ``forbidden``); the dossier must be
    ``submitted`` (409 ``invalid_state``; 409 ``dossier_state_changed`` when ``expected_version``
    is stale). Event ``dossier.received``. The action ``receive`` (``dossiers/actions``).
    """
    return action_perform("receive", actor=actor, dossier=dossier, data={"note": note},
                          expected_version=expected_version)


def supplement_limit_of(dossier: Dossier) -> int:
    """How many supplement requests the dossier's procedure allows over its whole life: one
    (NĐ 61/2018 Art. 19, NĐ 118/2025: once, fully, in writing) unless its process definition cites a
    text allowing more (``ProcessDefinition.supplement_limit``)."""
    process = getattr(dossier.procedure_version, "process", None)
    return max(1, process.supplement_limit) if process is not None else 1


def supplement_request_allowed(dossier: Dossier) -> bool:
    """Reception and processing share one count: a request at reception uses the dossier's one."""
    return dossier.supplement_count < supplement_limit_of(dossier)


def supplement_request_require(dossier: Dossier) -> None:
    if not supplement_request_allowed(dossier):
        raise Conflict(
            "Hồ sơ đã được yêu cầu bổ sung; theo quy định chỉ được hướng dẫn bổ sung một lần, đầy đủ, bằng văn "
            "bản trong suốt quá trình giải quyết. Hãy tiếp tục giải quyết, từ chối hoặc dừng xử lý hồ sơ.",
            code="supplement_already_requested",
        )


def supplement_items_clean(dossier: Dossier, items) -> list[dict]:
    """[{required_document?, name?, reason?}] → [{required_document_id, name, reason}]; at least one."""
    if not isinstance(items, list | tuple) or not items:
        raise ValidationFailed("Vui lòng liệt kê các giấy tờ, nội dung cần bổ sung.", code="supplement_items_required")
    components = {}
    for document in dossier.procedure_version.documents.all():
        components[document.code] = document
        components[str(document.pk)] = document
    cleaned = []
    for index, item in enumerate(items):
        item = item if isinstance(item, dict) else {"name": str(item)}
        key = str(item.get("required_document") or item.get("required_document_id") or "")
        component = components.get(key) if key else None
        if key and component is None:
            raise ValidationFailed(f"Thành phần hồ sơ “{key}” không thuộc thủ tục này.",
                                   code="unknown_required_document", errors=[{"field": f"items[{index}]"}])
        name = clean_text(item.get("name")) or (component.name if component else "")
        if not name:
            raise ValidationFailed("Mỗi nội dung cần bổ sung phải có tên.", code="supplement_items_required",
                                   errors=[{"field": f"items[{index}].name"}])
        cleaned.append({"required_document_id": component.pk if component else None,
                        "required_document": component.code if component else None,
                        "name": name, "reason": clean_text(item.get("reason"))})
    return cleaned


def supplement_request_apply(dossier: Dossier, *, actor, at: datetime, stage: str, items: list[dict], reason: str,
                             agency, resume_step=None) -> SupplementRequest:
    """Write the request and its form (Mẫu 02); the caller sets the status and records the transition.
    Runs in the caller's transaction (asserted)."""
    in_transaction("writing a supplement request")
    request = SupplementRequest.objects.create(
        dossier=dossier, stage=stage, items=items, reason=reason, requested_by=actor, requested_at=at,
        resume_step=resume_step,
    )
    form = form_issue(dossier, kind=FormIssue.Kind.SUPPLEMENT_REQUEST, agency=agency, actor=actor, at=at, data={
        "stage": stage, "items": items, "reason": reason, "requested_at": at, "requested_by": actor_label(actor),
        "contact_phone": agency.phone,
    })
    request.form = form
    request.save(update_fields=["form"])
    dossier.supplement_count += 1
    return request




def supplement_at_reception_require(roles: ActorContext, dossier: Dossier) -> None:
    """Reception of the receiving agency, dossier ``submitted``, and the dossier's one supplement
    not used yet — reception and processing share one count (409 ``supplement_already_requested``,
    ``supplement_request_allowed``)."""
    reception_require(roles, dossier, what="yêu cầu bổ sung hồ sơ khi tiếp nhận")
    state_require(dossier, {Status.SUBMITTED}, what="yêu cầu bổ sung khi tiếp nhận")
    supplement_request_require(dossier)


def supplement_at_reception_apply(dossier: Dossier, *, actor, items, reason: str) -> SupplementRequest:
    """Yêu cầu bổ sung at reception on the locked, checked dossier: what is missing and why (Mẫu 02).
    The dossier waits for the applicant (status ``supplement_requested``); the clock has not started.
    Event ``dossier.supplement_requested``."""
    in_transaction("supplement_at_reception_apply")
    reason = _reason_require(reason, what="yêu cầu bổ sung")
    cleaned = supplement_items_clean(dossier, items)
    at = timezone.now()
    status_from = dossier.status
    request = supplement_request_apply(dossier, actor=actor, at=at, stage=SupplementRequest.Stage.RECEPTION,
                                       items=cleaned, reason=reason, agency=dossier.receiving_agency)
    dossier.status = Status.SUPPLEMENT_REQUESTED
    dossier.acting_role = ""  # the applicant must act
    transition_record(
        dossier, actor=actor, action="request_supplement", label="Yêu cầu bổ sung giấy tờ", status_from=status_from,
        at=at, agency=dossier.receiving_agency, data={"items": cleaned, "reason": reason, "stage": "reception"},
        event="dossier.supplement_requested",
        payload={"supplement_request_id": request.pk, "stage": "reception", "form_issue_id": request.form_id},
    )
    return request


def dossier_request_supplement_at_reception(
    *, actor, dossier: Dossier, items, reason: str, expected_version: int | None = None,
) -> SupplementRequest:
    """Yêu cầu bổ sung at reception, at most ONCE per dossier (409 ``supplement_already_requested``).
    The action ``request_supplement`` on a ``submitted`` dossier."""
    return action_perform("request_supplement", actor=actor, dossier=dossier,
                          data={"items": items, "reason": reason}, expected_version=expected_version)


def refuse_require(roles: ActorContext, dossier: Dossier) -> None:
    reception_require(roles, dossier, what="từ chối tiếp nhận hồ sơ")
    state_require(dossier, {Status.SUBMITTED}, what="từ chối tiếp nhận")


def refuse_apply(dossier: Dossier, *, actor, reason: str) -> Dossier:
    """Từ chối tiếp nhận on the locked, checked dossier (Mẫu 03). Event ``dossier.refused``."""
    in_transaction("refuse_apply")
    reason = _reason_require(reason, what="từ chối tiếp nhận")
    at = timezone.now()
    status_from = dossier.status
    # A refused dossier takes no number (it keeps its reference), but its Mẫu 03 is the form of the
    # rule set in force on the day of the decision, like a receipt's.
    dossier.regulation = regulation_in_force(at)
    dossier.status = Status.REFUSED
    dossier.closed_at = at
    handover_close(dossier, at=at, action="refuse", by=actor, note=reason)
    queue_leave(dossier)
    form = form_issue(dossier, kind=FormIssue.Kind.REFUSAL, agency=dossier.receiving_agency, actor=actor, at=at,
                      data={"reason": reason, "refused_at": at, "refused_by": actor_label(actor)})
    transition_record(
        dossier, actor=actor, action="refuse", label="Không được tiếp nhận", status_from=status_from, at=at,
        agency=dossier.receiving_agency, data={"reason": reason, "form": form.number}, event="dossier.refused",
        payload={"reason": reason, "form_issue_id": form.pk},
    )
    return dossier


def dossier_refuse(*, actor, dossier: Dossier, reason: str, expected_version: int | None = None) -> Dossier:
    """Từ chối tiếp nhận with a written reason (Mẫu 03; never a technical code, vn-standards §4.2).

    Reception role of the receiving agency; status ``submitted``. Event ``dossier.refused``.
    The action ``refuse``."""
    return action_perform("refuse", actor=actor, dossier=dossier, data={"reason": reason},
                          expected_version=expected_version)


def supplement_submit_allowed(roles: ActorContext, dossier: Dossier) -> bool:
    """The owner (online) or, for a dossier without an online account behind it, the reception role
    of the receiving agency on the applicant's behalf."""
    return is_owner(roles, dossier) or (is_reception(roles, dossier) and acts_for_applicant(dossier))


def supplement_submit_require(roles: ActorContext, dossier: Dossier) -> None:
    if not supplement_submit_allowed(roles, dossier):
        raise PermissionDenied("Chỉ người nộp hồ sơ (hoặc Bộ phận Một cửa thay mặt người nộp) mới được bổ sung hồ sơ.",
                               code="forbidden")
    state_require(dossier, {Status.SUPPLEMENT_REQUESTED}, what="bổ sung giấy tờ")


def supplement_submit_apply(dossier: Dossier, *, actor, roles: ActorContext, documents, note: str = "") -> Dossier:
    """The applicant's supplement on the locked, checked dossier: new files (role ``supplement``)
    answering the open request. A reception-stage supplement sends the dossier back to reception
    (``submitted``); a processing-stage one restarts the clock and returns the dossier to the step
    named by the request. Event ``dossier.supplement_submitted``."""
    in_transaction("supplement_submit_apply")
    request = dossier.supplement_requests.filter(fulfilled_at__isnull=True).order_by("-requested_at").first()
    if request is None:  # pragma: no cover - the status says there is one
        raise Conflict("Hồ sơ không có yêu cầu bổ sung nào đang chờ.", code="invalid_state")
    cleaned = documents_clean(actor=actor, version=dossier.procedure_version,
                              documents=DocumentInput.list_from(documents))
    if not cleaned:
        raise ValidationFailed("Vui lòng tải lên giấy tờ bổ sung.", code="missing_required_document")
    at = timezone.now()
    DossierDocument.objects.bulk_create(
        DossierDocument(dossier=dossier, required_document=d.required_document, name=d.name, file=d.file,
                        role=DossierDocument.Role.SUPPLEMENT, supplement_request=request, uploaded_by=actor,
                        uploaded_at=at, is_digitised=not is_owner(roles, dossier))
        for d in cleaned
    )
    request.fulfilled_at = at
    request.fulfilled_by = actor
    request.save(update_fields=["fulfilled_at", "fulfilled_by"])
    status_from = dossier.status
    resumed = 0
    if request.stage == SupplementRequest.Stage.RECEPTION:
        dossier.status = Status.SUBMITTED
        reception_enter(dossier)
    else:
        resumed = clock_resume(dossier, at=at)
        dossier.status = Status.PROCESSING
        target = request.resume_step or dossier.current_step
        if target is not None and target.pk != dossier.current_step_id:
            handover_close(dossier, at=at, action="supplement_submitted", by=actor)
            step_enter(dossier, step=target, at=at, given_by=actor)
    transition_record(
        dossier, actor=actor, action="submit_supplement", label="Đã bổ sung giấy tờ", status_from=status_from, at=at,
        note=clean_text(note),
        data={"files": [str(d.file.pk) for d in cleaned], "supplement_request": request.pk, "paused_minutes": resumed},
        event="dossier.supplement_submitted",
        payload={"supplement_request_id": request.pk, "stage": request.stage, "due_at": dossier.due_at},
    )
    return dossier


def dossier_submit_supplement(
    *, actor, dossier: Dossier, documents, note: str = "", expected_version: int | None = None,
) -> Dossier:
    """The applicant's supplement (the action ``submit_supplement``): by the owner (online) or, for a
    dossier without an owner (counter, post, integrator), by reception on the applicant's behalf."""
    items = [dataclasses.asdict(d) if isinstance(d, DocumentInput) else d for d in (documents or [])]
    return action_perform("submit_supplement", actor=actor, dossier=dossier, data={"documents": items, "note": note},
                          expected_version=expected_version)
