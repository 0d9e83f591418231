"""``/api/v1/documents/``: outgoing and incoming documents (issue #11 §9).

A document's public reference is ``di-<id>`` (văn bản đi) or ``den-<id>`` (văn bản đến). POSTs honour
``Idempotency-Key`` (``core.idempotency``); actions take ``expected_version`` (409
``document_stale_version`` when stale). Errors are problem+json with the codes of ``errors.py``.
"""

from __future__ import annotations

import json
from datetime import date

from django.http import FileResponse, HttpResponse, JsonResponse
from ninja import Query, Router, Schema
from pydantic import Field

from tinhso.core.auth import require_user
from tinhso.core.errors import NotFound, ValidationFailed
from tinhso.core.files import file_open
from tinhso.core.idempotency import HEADER, idempotency_run, request_fingerprint
from tinhso.documents import registers, selectors, shapes
from tinhso.documents.actions import incoming_perform, outgoing_perform
from tinhso.documents.errors import DocumentError
from tinhso.documents.models import IncomingDocument, OutgoingDocument
from tinhso.documents.services import incoming_register, outgoing_create
from tinhso.org.models import Agency

router = Router(tags=["Văn bản đến, đi"])


def _json(body: dict, status: int = 200, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _idempotent(request, user, run) -> JsonResponse:
    key = request.headers.get(HEADER)
    answer = idempotency_run(user=user, key=key, method=request.method, path=request.path,
                             fingerprint=request_fingerprint(request) if key else "", run=run)
    return _json(answer.body, answer.status, {"Idempotent-Replayed": "true"} if answer.replayed else None)


def _agency(code: str) -> Agency:
    agency = Agency.objects.filter(code=(code or "").strip().upper(), is_active=True).first()
    if agency is None:
        raise NotFound("Không tìm thấy cơ quan.", code="agency_not_found")
    return agency


class ActionFieldOut(Schema):
    name: str
    type: str
    required: bool
    label: str
    choices: list[dict] | None = None


class ActionOut(Schema):
    name: str
    label: str
    fields: list[ActionFieldOut]


class DocumentOut(Schema):
    ref: str
    kind: str
    agency: str
    doc_type: str
    type_name: str
    number: int | None
    notation: str
    subject: str
    status: str
    status_label: str
    urgency: str
    confidentiality: str
    date: str | None
    sender: str
    version: int
    due_at: str | None
    deadline_state: str


class TimelineOut(Schema):
    at: str
    action: str
    label: str
    actor: str
    note: str


class DocumentDetailOut(DocumentOut):
    available_actions: list[ActionOut]
    timeline: list[TimelineOut]
    recipients: list[dict] | None = None
    assignments: list[dict] | None = None
    body: str | None = None


class DocumentPage(Schema):
    count: int
    items: list[DocumentOut]


class RecipientIn(Schema):
    code: str = Field(title="Mã định danh cơ quan (QĐ 20/2020)")
    name: str = ""
    for_information: bool = False


class OutgoingIn(Schema):
    agency: str = Field(title="Mã cơ quan ban hành")
    doc_type: str = Field(title="Loại văn bản (QĐ, CV, TB…)")
    subject: str
    body: str = ""
    signer: str = Field(title="Tên đăng nhập người ký")
    signer_title: str
    authority: str = ""
    head_title: str = ""
    recipients: list[RecipientIn]
    unit_abbr: str = ""
    keep_unit: str = ""
    urgency: str = "normal"
    confidentiality: str = "normal"
    reply_due: date | None = None
    attachment_ids: list[str] = []
    uploaded_file_id: str | None = None
    reply_to: str | None = Field(None, title="Văn bản đến được trả lời (den-<id>)")
    number: str | None = Field(None, title="Không dùng: số do hệ thống cấp")
    notation: str | None = Field(None, title="Không dùng: ký hiệu do hệ thống cấp")


class IncomingIn(Schema):
    agency: str
    sender_name: str
    sender_code: str = ""
    their_notation: str
    their_date: date
    doc_type: str
    subject: str
    urgency: str = "normal"
    confidentiality: str = "normal"
    signer_name: str = ""
    page_count: int | None = None
    file_id: str | None = None
    metadata_only: bool = False
    arrival_number: int | None = Field(None, title="Không dùng: số đến do hệ thống cấp")


class Filters(Schema):
    q: str | None = None
    status: str | None = None
    doc_type: str | None = None
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    mine: bool = False
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0)


def _load(user, ref: str):
    parsed = shapes.parse_ref(ref)
    if parsed is None:
        raise NotFound("Không tìm thấy văn bản.", code=DocumentError.NOT_FOUND)
    model, pk = parsed
    return (selectors.outgoing_get if model is OutgoingDocument else selectors.incoming_get)(actor=user, pk=pk)


@router.post("/documents/outgoing", response={201: DocumentDetailOut}, summary="Soạn văn bản đi (dự thảo)",
             url_name="document_outgoing_create")
def outgoing_create_endpoint(request, body: OutgoingIn):
    user = require_user(request)

    def run():
        from tinhso.accounts.models import User

        signer = User.objects.filter(username=body.signer, is_active=True).first()
        if signer is None:
            raise ValidationFailed("Không tìm thấy người ký.", code=DocumentError.SIGNER_WITHOUT_AUTHORITY)
        reply_to = None
        if body.reply_to:
            reply_to = _load(user, body.reply_to)
            if not isinstance(reply_to, IncomingDocument):
                raise ValidationFailed("Chỉ trả lời được văn bản đến.", code=DocumentError.REPLY_INVALID)
        doc = outgoing_create(
            actor=user, agency=_agency(body.agency), doc_type=body.doc_type, subject=body.subject, body=body.body,
            signer=signer, signer_title=body.signer_title, authority=body.authority, head_title=body.head_title,
            recipients=[r.model_dump() for r in body.recipients], unit_abbr=body.unit_abbr, keep_unit=body.keep_unit,
            urgency=body.urgency, confidentiality=body.confidentiality, reply_due=body.reply_due,
            attachment_ids=body.attachment_ids, uploaded_file_id=body.uploaded_file_id, reply_to=reply_to,
            extra={"number": body.number, "notation": body.notation})
        return 201, shapes.detail(doc, actor=user)

    return _idempotent(request, user, run)


@router.post("/documents/incoming", response={201: DocumentDetailOut}, summary="Vào sổ văn bản đến",
             url_name="document_incoming_create")
def incoming_create_endpoint(request, body: IncomingIn):
    user = require_user(request)

    def run():
        doc = incoming_register(
            actor=user, agency=_agency(body.agency), sender_name=body.sender_name, sender_code=body.sender_code,
            their_notation=body.their_notation, their_date=body.their_date, doc_type=body.doc_type,
            subject=body.subject, urgency=body.urgency, confidentiality=body.confidentiality,
            signer_name=body.signer_name, page_count=body.page_count, file_id=body.file_id,
            metadata_only=body.metadata_only, extra={"arrival_number": body.arrival_number})
        return 201, shapes.detail(doc, actor=user)

    return _idempotent(request, user, run)


def _page(qs, filters: Filters) -> dict:
    count = qs.count()
    return {"count": count, "items": [shapes.summary(d) for d in qs[filters.offset:filters.offset + filters.limit]]}


@router.get("/documents/outgoing", response={200: DocumentPage}, summary="Văn bản đi trong phạm vi người gọi",
            url_name="document_outgoing_list")
def outgoing_list_endpoint(request, filters: Query[Filters]):
    user = require_user(request)
    qs = selectors.outgoing_list(actor=user, q=filters.q, status=filters.status, doc_type=filters.doc_type,
                                 date_from=filters.date_from, date_to=filters.date_to, awaiting_me=filters.mine)
    return _page(qs, filters)


@router.get("/documents/incoming", response={200: DocumentPage}, summary="Văn bản đến trong phạm vi người gọi",
            url_name="document_incoming_list")
def incoming_list_endpoint(request, filters: Query[Filters]):
    user = require_user(request)
    qs = selectors.incoming_list(actor=user, q=filters.q, status=filters.status, doc_type=filters.doc_type,
                                 date_from=filters.date_from, date_to=filters.date_to, mine=filters.mine)
    return _page(qs, filters)


class RegisterQuery(Schema):
    agency: str
    date_from: date = Field(alias="from")
    date_to: date = Field(alias="to")


@router.get("/documents/registers/{kind}.{fmt}", response={200: bytes}, summary="Sổ văn bản (PDF hoặc Excel)",
            url_name="document_register")
def register_endpoint(request, kind: str, fmt: str, query: Query[RegisterQuery]):
    """``kind``: ``di`` (sổ đăng ký văn bản đi), ``den`` (sổ đăng ký văn bản đến), ``theo-doi`` (sổ theo
    dõi giải quyết văn bản đến); ``fmt``: ``pdf`` or ``xlsx``."""
    user = require_user(request)
    if fmt not in ("pdf", "xlsx"):
        raise NotFound("Chỉ có định dạng pdf hoặc xlsx.", code=DocumentError.NOT_FOUND)
    sheet = registers.register_sheet(actor=user, agency=_agency(query.agency), kind=kind, first=query.date_from,
                                     last=query.date_to)
    if fmt == "pdf":
        content, mime = registers.register_pdf(sheet), "application/pdf"
    else:
        content = registers.register_xlsx(sheet)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = HttpResponse(content, content_type=mime)
    response["Content-Disposition"] = f'attachment; filename="so-van-ban-{kind}-{query.date_from}-{query.date_to}.{fmt}"'
    return response


class CountRowOut(Schema):
    key: str
    label: str
    count: int


class OutgoingCountsOut(Schema):
    total: int
    signed_electronically: int
    not_signed_electronically: int
    by_type: list[CountRowOut]
    by_unit: list[CountRowOut]


class IncomingCountsOut(Schema):
    total: int
    received_electronically: int
    with_valid_signature: int
    done_on_time: int
    done_late: int
    done_without_deadline: int
    open_in_time: int
    open_overdue: int
    on_time_rate: float | None


class StatisticsOut(Schema):
    agency: str
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    outgoing: OutgoingCountsOut
    incoming: IncomingCountsOut


@router.get("/documents/statistics", response={200: StatisticsOut}, by_alias=True,
            summary="Số liệu văn bản của cơ quan trong kỳ", url_name="document_statistics")
def statistics_endpoint(request, query: Query[RegisterQuery]):
    """Counts of the period: outgoing by type and unit, signed electronically or not; incoming by type,
    handled on time, late, still open (``documents.statistics``)."""
    from dataclasses import asdict

    from tinhso.documents.statistics import documents_statistics

    user = require_user(request)
    agency = _agency(query.agency)
    stats = documents_statistics(actor=user, agency=agency, first=query.date_from, last=query.date_to)
    incoming = asdict(stats.incoming) | {"on_time_rate": stats.incoming.on_time_rate}
    return {"agency": agency.code, "date_from": stats.first, "date_to": stats.last,
            "outgoing": asdict(stats.outgoing), "incoming": incoming}


@router.get("/documents/{ref}", response={200: DocumentDetailOut}, summary="Chi tiết văn bản và thao tác được phép",
            url_name="document_detail")
def document_detail(request, ref: str):
    user = require_user(request)
    return shapes.detail(_load(user, ref), actor=user)


@router.post("/documents/{ref}/actions/{action}", response={200: DocumentDetailOut},
             summary="Thực hiện một thao tác trên văn bản", url_name="document_action")
def document_action(request, ref: str, action: str):
    """Thao tác có trong ``available_actions``; thân yêu cầu theo ``fields`` của thao tác, cộng
    ``expected_version``. Hỗ trợ ``Idempotency-Key``."""
    user = require_user(request)
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed("Thân yêu cầu phải là JSON.", code="invalid_input") from None
    if not isinstance(body, dict):
        raise ValidationFailed("Thân yêu cầu phải là một đối tượng JSON.", code="invalid_input")
    doc = _load(user, ref)
    expected = body.get("expected_version")
    if expected is not None and not str(expected).isdigit():
        raise ValidationFailed("expected_version phải là số nguyên.", code="invalid_input")

    def run():
        perform = outgoing_perform if isinstance(doc, OutgoingDocument) else incoming_perform
        result = perform(actor=user, document=doc, name=action, data=body,
                         expected_version=int(expected) if expected is not None else None)
        fresh = _load(user, result.ref if hasattr(result, "ref") else ref)
        return 200, shapes.detail(fresh, actor=user)

    return _idempotent(request, user, run)


@router.get("/documents/{ref}/pdf", response={200: bytes}, summary="Bản PDF: bản đã ký, hoặc bản dự thảo hiện tại",
            url_name="document_pdf")
def document_pdf(request, ref: str):
    user = require_user(request)
    doc = _load(user, ref)
    stored = doc.signed_file if isinstance(doc, OutgoingDocument) else doc.file
    if stored is not None:
        return FileResponse(file_open(stored_file=stored), content_type="application/pdf",
                            filename=f"{ref}.pdf", as_attachment=False)
    if isinstance(doc, IncomingDocument):
        raise NotFound("Văn bản này chỉ được đăng ký thông tin, không có tệp.", code=DocumentError.FILE_NOT_FOUND)
    from tinhso.documents.rendering import document_render

    return HttpResponse(document_render(doc), content_type="application/pdf")


@router.get("/documents/{ref}/phieu-giai-quyet.pdf", response={200: bytes}, summary="Phiếu giải quyết văn bản đến",
            url_name="document_slip")
def document_slip(request, ref: str):
    user = require_user(request)
    doc = _load(user, ref)
    if not isinstance(doc, IncomingDocument):
        raise NotFound("Phiếu giải quyết chỉ có cho văn bản đến.", code=DocumentError.NOT_FOUND)
    return HttpResponse(registers.processing_slip_pdf(actor=user, document=doc), content_type="application/pdf")
