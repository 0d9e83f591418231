"""The one-stop shop's JSON API (issue #4 §8, issue #5 §8). Paths are a contract for integrators.

Each handler parses, calls one service or selector, and shapes the answer (``shapes.py``). POSTs
honour ``Idempotency-Key`` (``core.idempotency``): a repeat with the same key and body replays the
first answer, with the header ``Idempotent-Replayed: true``.
"""

from __future__ import annotations

import json
from typing import Any

from django.http import FileResponse, HttpResponse, JsonResponse
from ninja import File, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import field_validator

from tinhso.core.auth import require_user
from tinhso.core.errors import ValidationFailed
from tinhso.core.files import ServiceUnavailable, file_get_owned, file_open, file_store
from tinhso.core.idempotency import HEADER, idempotency_run, request_fingerprint
from tinhso.core.ratelimit import request_client_ip
from tinhso.core.serialization import json_ready
from tinhso.dossiers import selectors
from tinhso.dossiers.inputs import ApplicantInput, DocumentInput
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.services import dossier_action_perform, dossier_available_actions, dossier_create
from tinhso.dossiers.shapes import FORM_SLUGS, dossier_detail_shape, dossier_summary
from tinhso.dossiers.tracking import tracking_lookup

router = Router(tags=["Hồ sơ một cửa"])


def _json(body: dict, status: int = 200, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _idempotent(request, user, run) -> JsonResponse:
    key = request.headers.get(HEADER)
    answer = idempotency_run(
        user=user, key=key, method=request.method, path=request.path,
        fingerprint=request_fingerprint(request) if key else "", run=run,
    )
    return _json(answer.body, answer.status, {"Idempotent-Replayed": "true"} if answer.replayed else None)


def _file_shape(stored) -> dict:
    return {"id": str(stored.pk), "sha256": stored.sha256, "size": stored.size, "content_type": stored.content_type,
            "name": stored.original_name, "page_count": stored.page_count}


def _file_response(stored) -> FileResponse:
    return FileResponse(file_open(stored_file=stored), content_type=stored.content_type,
                        filename=stored.original_name, as_attachment=False)


# --- schemas (documentation of the bodies; the services validate the content) -----------------------------


class FileOut(Schema):
    id: str
    sha256: str
    size: int
    content_type: str
    name: str
    page_count: int | None = None


class ApplicantIn(Schema):
    kind: str = "citizen"
    full_name: str = ""
    id_number: str = ""
    tax_code: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    birth_date: str | None = None

    @field_validator("full_name", "id_number", "tax_code", "phone", "email", "address", mode="before")
    @classmethod
    def _null_is_empty(cls, value):
        # Integrators send JSON null for what they do not have (a business has no id_number).
        return "" if value is None else value


class DocumentIn(Schema):
    required_document: str = ""
    file_ids: list[str] = []
    name: str = ""


class DossierIn(Schema):
    procedure_code: str
    channel: str = "online"
    agency: str | None = None
    applicant: ApplicantIn
    form_data: dict[str, Any] = {}
    documents: list[DocumentIn] = []
    note: str = ""


class DossierCreated(Schema):
    id: int
    code: str
    status: str
    status_label: str
    national_status_code: int
    received_at: str | None = None
    due_at: str | None = None


class ListFilters(Schema):
    status: str | None = None
    q: str | None = None
    agency: str | None = None
    procedure: str | None = None
    page: int = 1
    page_size: int = selectors.PAGE_SIZE


class QueueFilters(Schema):
    agency: str | None = None
    status: str | None = None
    flag: str | None = None
    mine: bool = False
    q: str | None = None
    procedure: str | None = None
    step: str | None = None
    page: int = 1
    page_size: int = selectors.QUEUE_PAGE_SIZE


# --- files -----------------------------------------------------------------------------------------------


@router.post("/files", response={201: FileOut}, summary="Tải lên một tệp (PDF, JPG, PNG)", url_name="file_upload")
def file_upload(request, file: UploadedFile = File(...)):  # noqa: B008 - ninja declares parameters this way
    """Kiểm tra kích thước, định dạng thật (đọc được nội dung) và virus (nếu cấu hình ClamAV), rồi lưu.
    Trả về ``id`` để đính kèm vào hồ sơ."""
    user = require_user(request)
    return _idempotent(request, user, lambda: (201, _file_shape(file_store(uploaded_by=user, upload=file))))


@router.get("/files/{file_id}", summary="Tải về tệp do chính mình tải lên", url_name="file_download")
def file_download(request, file_id: str):
    user = require_user(request)
    return _file_response(file_get_owned(actor=user, file_id=file_id))


# --- dossiers --------------------------------------------------------------------------------------------


@router.post("/dossiers", response={201: DossierCreated}, summary="Nộp hồ sơ (trực tuyến) hoặc tiếp nhận tại quầy",
             url_name="dossier_create")
def dossier_create_endpoint(request, body: DossierIn):
    """``channel``: ``online`` (công dân, doanh nghiệp nộp cho chính mình; hệ thống tích hợp có quyền tiếp
    nhận), ``counter`` hoặc ``post`` (cán bộ Một cửa: tạo và tiếp nhận ngay). Hỗ trợ ``Idempotency-Key``."""
    user = require_user(request)

    def run():
        dossier = dossier_create(
            actor=user, procedure_code=body.procedure_code, channel=body.channel, agency_code=body.agency,
            applicant=ApplicantInput.from_mapping(body.applicant.dict()),
            form_data=body.form_data, documents=[DocumentInput.from_mapping(d.dict()) for d in body.documents],
            note=body.note,
        )
        return 201, dossier_summary(dossier, masked=False)

    return _idempotent(request, user, run)


@router.get("/dossiers", summary="Danh sách hồ sơ trong phạm vi của người gọi", url_name="dossier_list")
def dossier_list(request, filters: Query[ListFilters]):
    user = require_user(request)
    page = selectors.dossier_list_for(actor=user, **filters.dict())
    return _json({
        "items": [dossier_summary(d, masked=page.masked) for d in page.items],
        "count": page.count, "page": page.page, "page_size": page.page_size, "pages": page.pages,
    })


@router.get("/dossiers/{code}", summary="Chi tiết hồ sơ và các thao tác được phép", url_name="dossier_detail")
def dossier_detail(request, code: str):
    user = require_user(request)
    detail = selectors.dossier_detail(actor=user, code=code)
    return _json(dossier_detail_shape(detail), headers={"ETag": f'"{detail.dossier.version}"'})


def _expected_version(request, body: dict) -> int | None:
    if body.get("expected_version") not in (None, ""):
        return None  # the body wins; dossier_action_perform reads it
    value = (request.headers.get("If-Match") or "").strip().strip('"').removeprefix("W/").strip('"')
    if not value or value == "*":
        return None
    if not value.isdigit():
        raise ValidationFailed("If-Match phải là phiên bản của hồ sơ (ETag), ví dụ \"7\".", code="invalid_input")
    return int(value)


def _action_result(result) -> dict:
    """What a service returned besides the dossier (supplement request, payment, form, consultation)."""
    if isinstance(result, Dossier) or result is None:
        return {}
    kind = type(result).__name__
    fields = {
        "SupplementRequest": lambda r: {"id": r.pk, "stage": r.stage, "items": r.items, "reason": r.reason,
                                        "form_number": r.form.number if r.form_id else None},
        "DossierPayment": lambda r: {"id": r.pk, "amount": r.amount, "items": r.items, "state": r.state},
        "FormIssue": lambda r: {"kind": r.kind, "number": r.number, "year": r.year},
        "Consultation": lambda r: {"id": r.pk, "to_agency": r.to_agency.code, "answered_at": r.answered_at},
        "DossierDocument": lambda r: {"id": r.pk, "name": r.name, "file_id": str(r.file_id)},
    }
    shape = fields.get(kind)
    return {"result": json_ready({"type": kind, **shape(result)})} if shape else {}


@router.post("/dossiers/{code}/actions/{action}", summary="Thực hiện một thao tác trên hồ sơ",
             url_name="dossier_action")
def dossier_action(request, code: str, action: str):
    """Thao tác có trong ``available_actions`` của hồ sơ; thân yêu cầu theo ``fields`` của thao tác.
    ``expected_version`` (hoặc header ``If-Match``) để tránh thao tác trên trạng thái cũ (409
    ``dossier_state_changed``). Hỗ trợ ``Idempotency-Key``."""
    user = require_user(request)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed("Thân yêu cầu phải là JSON.", code="invalid_input") from None
    if not isinstance(body, dict):
        raise ValidationFailed("Thân yêu cầu phải là một đối tượng JSON.", code="invalid_input")
    dossier = selectors.dossier_get_for(actor=user, code=code)
    expected = _expected_version(request, body)

    def run():
        result = dossier_action_perform(actor=user, dossier=dossier, action=action, data=body,
                                        expected_version=expected)
        fresh = selectors.dossier_get_for(actor=user, code=code)
        answer = {**dossier_summary(fresh, masked=False), "action": action, **_action_result(result),
                  "available_actions": [a.as_dict() for a in dossier_available_actions(actor=user, dossier=fresh)]}
        return 200, answer

    return _idempotent(request, user, run)


@router.get("/dossiers/{code}/handovers", summary="Phiếu kiểm soát quá trình giải quyết hồ sơ",
            url_name="dossier_handovers")
def dossier_handovers(request, code: str):
    user = require_user(request)
    rows = selectors.dossier_handovers(actor=user, dossier=code)
    return _json(json_ready({
        "items": [
            {"seq": h.seq, "step_code": h.step_code, "step_name": h.step_name, "role": h.role,
             "from_agency": {"code": h.from_agency.code, "name": h.from_agency.name} if h.from_agency_id else None,
             "to_agency": {"code": h.to_agency.code, "name": h.to_agency.name},
             "given_by": h.given_by.display_name if h.given_by_id else None, "given_at": h.given_at,
             "taken_by": h.taken_by.display_name if h.taken_by_id else None, "planned_due_at": h.planned_due_at,
             "finished_at": h.finished_at, "finished_action": h.finished_action or None,
             "verdict": h.verdict or None, "note": h.note}
            for h in rows
        ],
        "agency_results": [
            {"agency": {"code": r.agency.code, "name": r.agency.name}, "verdict": r.verdict, "finished": r.finished}
            for r in selectors.dossier_agency_results(handovers=rows)
        ],
    }))


@router.get("/dossiers/{code}/forms/{kind}.pdf", summary="Bản PDF của phiếu (Mẫu 01–06)", url_name="dossier_form")
def dossier_form(request, code: str, kind: str):
    """``kind``: receipt, supplement-request, refusal, apology, stop, handover-log."""
    user = require_user(request)
    dossier, form = selectors.dossier_form_for(actor=user, code=code, kind=kind)
    try:
        from tinhso.dossiers.printing import render_form
    except ImportError:
        raise ServiceUnavailable("Chức năng in phiếu chưa được cài đặt.", code="forms_unavailable") from None
    form_kind = form.kind if form is not None else "handover_log"
    pdf = render_form(dossier=dossier, kind=form_kind)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{FORM_SLUGS[form_kind]}.pdf"'
    return response


@router.get("/dossiers/{code}/documents/{document_id}", summary="Tải về một giấy tờ của hồ sơ",
            url_name="dossier_document")
def dossier_document(request, code: str, document_id: int):
    user = require_user(request)
    return _file_response(selectors.dossier_document_for(actor=user, code=code, document_id=document_id).file)


@router.get("/dossiers/{code}/result", summary="Tải về kết quả giải quyết", url_name="dossier_result")
def dossier_result(request, code: str):
    user = require_user(request)
    return _file_response(selectors.dossier_result_for(actor=user, code=code).file)


# --- tracking and work queue ---------------------------------------------------------------------------


@router.get("/tracking/{code}", auth=None, summary="Tra cứu hồ sơ bằng mã hồ sơ và số điện thoại",
            url_name="dossier_tracking")
def tracking(request, code: str, phone: str = ""):
    """Công khai, không cần đăng nhập; không trả về thông tin cá nhân. Giới hạn số lần tra cứu theo địa chỉ IP."""
    result = tracking_lookup(code=code, phone=phone, client_ip=request_client_ip(request))
    return _json(json_ready({
        "code": result.code, "reference": result.reference or None,
        "procedure": {"code": result.procedure_code, "name": result.procedure_name},
        "receiving_agency": result.receiving_agency_name, "current_agency": result.current_agency_name,
        "channel": result.channel, "channel_label": result.channel_label,
        "status": result.status, "status_label": result.status_label,
        "national_status_code": result.national_status_code, "outcome_label": result.outcome_label or None,
        "submitted_at": result.submitted_at, "received_at": result.received_at, "due_at": result.due_at,
        "resolved_at": result.resolved_at, "returned_at": result.returned_at,
        "timeline": [{"at": e.at, "label": e.label, "status": e.status, "status_label": e.status_label,
                      "national_status_code": e.national_status_code, "agency": e.agency_name or None}
                     for e in result.timeline],
    }))


@router.get("/work-queue", summary="Hồ sơ đang chờ người gọi xử lý", url_name="work_queue")
def work_queue(request, filters: Query[QueueFilters]):
    user = require_user(request)
    page = selectors.work_queue(actor=user, **filters.dict())
    return _json(json_ready({
        "items": [
            {**dossier_summary(item.dossier, masked=True), "step_due_at": item.dossier.step_due_at,
             "assignee": item.dossier.assignee.username if item.dossier.assignee_id else None,
             "overdue": item.overdue, "at_risk": item.at_risk, "step_overdue": item.step_overdue,
             "waiting_applicant": item.waiting_applicant}
            for item in page.items
        ],
        "count": page.count, "page": page.page, "page_size": page.page_size, "pages": page.pages,
    }))
