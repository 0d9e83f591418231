"""``/api/v1/petitions/``: feedback (phản ánh, kiến nghị) — sending (signed in, or with a phone confirmed
by a one-time code), staff intake, the staff queue, one petition with ``available_actions``, actions by
name through ``petitions.actions.registry``, the public list of answers, the counters, and the sender's
lookup by code and phone (issue #13).

Each handler parses, calls one service or selector and shapes the answer (``shapes.py``). Sending is
``multipart/form-data`` (the attachments travel with the text); POSTs honour ``Idempotency-Key`` for a
signed-in caller (``core.idempotency``). Errors are problem+json with the codes of ``errors.py``.
"""

from __future__ import annotations

import json
from datetime import date

from django.http import FileResponse, JsonResponse
from ninja import File, Form, Query, Router, Schema
from ninja.files import UploadedFile
from pydantic import Field

from tinhso.core.auth import require_user
from tinhso.core.errors import NotFound, ValidationFailed
from tinhso.core.files import file_open
from tinhso.core.idempotency import HEADER, idempotency_run, request_fingerprint
from tinhso.core.ratelimit import request_client_ip
from tinhso.petitions import selectors, shapes
from tinhso.petitions.actions import petition_action_perform
from tinhso.petitions.errors import PetitionError
from tinhso.petitions.permissions import SenderProof
from tinhso.petitions.services import PetitionDraft, petition_intake, petition_otp_request, petition_submit

router = Router(tags=["Phản ánh, kiến nghị"])


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


def _json_body(request) -> dict:
    try:
        body = json.loads(request.body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ValidationFailed("Thân yêu cầu phải là JSON.", code="invalid_input") from None
    if not isinstance(body, dict):
        raise ValidationFailed("Thân yêu cầu phải là một đối tượng JSON.", code="invalid_input")
    return body


# --- schemas -----------------------------------------------------------------------------------------------


class PetitionIn(Schema):
    """What the sender writes. Texts are checked by the service (coded errors: ``petition_text_required``,
    ``text_markup_not_allowed``, ``petition_text_too_long``), so they default to empty here."""

    kind: str = Field("", title="Phân loại: regulation, conduct hoặc other")
    subject: str = Field("", title="Tiêu đề")
    content: str = Field("", title="Nội dung")
    sender_name: str = Field("", title="Họ tên người gửi")
    sender_phone: str = Field("", title="Số điện thoại")
    sender_email: str = ""
    sender_address: str = ""
    commune_code: str = Field("", title="Mã xã, phường nơi xảy ra sự việc")
    sector_code: str = ""
    procedure_code: str = Field("", title="Mã thủ tục hành chính liên quan")
    dossier_code: str = Field("", title="Mã hồ sơ liên quan")
    named_officer: str = Field("", title="Tên đăng nhập cán bộ bị phản ánh (phản ánh về hành vi)")
    publish_consent: bool = Field(True, title="Đồng ý công khai nội dung trả lời")

    def draft(self) -> PetitionDraft:
        return PetitionDraft(**self.dict(include=set(PetitionIn.model_fields)))


class SubmitIn(PetitionIn):
    otp_code: str = Field("", title="Mã xác thực gửi tới điện thoại (người gửi không đăng nhập)")


class IntakeIn(PetitionIn):
    channel: str = Field("", title="Kênh tiếp nhận: hotline, post hoặc in_person")


class OtpIn(Schema):
    phone: str


class LookupIn(Schema):
    code: str
    phone: str


class CreatedOut(Schema):
    code: str
    status: str
    status_label: str
    agency: dict
    received_at: str
    due_at: str
    attachments: int


class QueueFilters(Schema):
    agency: str | None = None
    status: str | None = None
    flag: str | None = Field(None, title="overdue: chỉ phản ánh quá hạn")
    q: str | None = None
    mine: bool = False
    page: int = Field(1, ge=1)
    page_size: int = Field(selectors.PAGE_SIZE, ge=1, le=100)


class PublicFilters(Schema):
    q: str | None = Field(None, title="Tìm theo mã, tiêu đề, nội dung, trả lời (có hoặc không dấu)")
    agency: str | None = None
    sector: str | None = None
    date_from: date | None = Field(None, alias="from")
    date_to: date | None = Field(None, alias="to")
    page: int = Field(1, ge=1)
    page_size: int = Field(selectors.PAGE_SIZE, ge=1, le=100)


class CountersOut(Schema):
    agency: str | None
    answered: int
    in_progress: int
    refused: int


def _created(petition) -> tuple[int, dict]:
    body = shapes.petition_summary(petition, masked=False)
    return 201, {"code": body["code"], "status": body["status"], "status_label": body["status_label"],
                 "agency": body["agency"], "received_at": body["received_at"], "due_at": body["due_at"],
                 "attachments": petition.attachments.count()}


def _page(page, shape) -> dict:
    return {"items": [shape(p) for p in page.items], "count": page.count, "count_capped": page.capped,
            "page": page.page, "page_size": page.page_size, "pages": page.pages}


# --- sending -----------------------------------------------------------------------------------------------


@router.post("/petitions/otp", response={202: dict}, summary="Gửi mã xác thực tới số điện thoại của người gửi",
             url_name="petition_otp")
def otp_endpoint(request, body: OtpIn):
    """Cho người gửi không đăng nhập: mã 6 chữ số, hiệu lực 10 phút, dùng một lần khi gửi phản ánh."""
    petition_otp_request(phone=body.phone, client_ip=request_client_ip(request))
    return _json({"sent": True, "detail": "Đã gửi mã xác thực tới số điện thoại."}, 202)


@router.post("/petitions", response={201: CreatedOut}, summary="Gửi phản ánh, kiến nghị", url_name="petition_submit")
def submit_endpoint(request, body: Form[SubmitIn], files: File[list[UploadedFile]] = None):  # type: ignore[assignment]
    """``multipart/form-data``: các trường của phản ánh và ``files`` (ảnh JPG/PNG, PDF; kiểm tra như mọi tệp
    tải lên). Đã đăng nhập: gửi ngay; không đăng nhập: cần ``sender_phone`` và ``otp_code`` (xem
    ``POST /petitions/otp``). Hỗ trợ ``Idempotency-Key`` khi đã đăng nhập."""
    actor = request.auth

    def run():
        petition = petition_submit(actor=actor, draft=body.draft(), uploads=files or [], otp_code=body.otp_code,
                                   client_ip=request_client_ip(request))
        return _created(petition)

    return _idempotent(request, actor, run)


@router.post("/petitions/intake", response={201: CreatedOut}, summary="Cán bộ nhập phản ánh nhận qua đường dây nóng, "
             "bưu chính hoặc trực tiếp", url_name="petition_intake")
def intake_endpoint(request, body: Form[IntakeIn], files: File[list[UploadedFile]] = None):  # type: ignore[assignment]
    user = require_user(request)

    def run():
        return _created(petition_intake(actor=user, channel=body.channel, draft=body.draft(), uploads=files or []))

    return _idempotent(request, user, run)


# --- reading -----------------------------------------------------------------------------------------------


@router.get("/petitions/queue", summary="Phản ánh của các cơ quan người gọi làm việc (đang xử lý)",
            url_name="petition_queue")
def queue_endpoint(request, filters: Query[QueueFilters]):
    user = require_user(request)
    page = selectors.petition_queue(actor=user, **filters.dict())
    thresholds: dict = {}
    return _json(_page(page, lambda p: shapes.petition_summary(p, thresholds=thresholds)))


@router.get("/petitions/public", auth=None, summary="Phản ánh đã trả lời và công khai", url_name="petition_public")
def public_endpoint(request, filters: Query[PublicFilters]):
    """Câu hỏi và trả lời, không có thông tin cá nhân người gửi. Tìm có dấu hoặc không dấu; khi tìm,
    ``count`` đếm tối đa 1.000 kết quả (``count_capped`` = true: còn nhiều hơn)."""
    page = selectors.petition_public_list(**filters.dict())
    return _json(_page(page, shapes.petition_public_shape))


@router.get("/petitions/counters", auth=None, response={200: CountersOut},
            summary="Số phản ánh đã trả lời / đang xử lý / từ chối xử lý", url_name="petition_counters")
def counters_endpoint(request, agency: str | None = None):
    """Cả tỉnh, hoặc một cơ quan (``agency`` = mã định danh) — để cổng thông tin của cơ quan nhúng."""
    counts = selectors.petition_counters(agency=agency)
    return {"agency": agency.strip().upper() if agency else None, **counts}


@router.post("/petitions/lookup", auth=None, summary="Người gửi tra cứu phản ánh bằng mã và số điện thoại",
             url_name="petition_lookup")
def lookup_endpoint(request, body: LookupIn):
    """Số điện thoại đi trong thân yêu cầu (không nằm trên địa chỉ, nhật ký máy chủ). Giới hạn số lần
    tra cứu theo địa chỉ IP; sai mã hay sai số điện thoại đều trả lời như nhau."""
    view = selectors.petition_lookup(code=body.code, phone=body.phone, client_ip=request_client_ip(request))
    return _json(shapes.petition_detail_shape(view))


@router.get("/petitions/{code}", summary="Chi tiết phản ánh và các thao tác được phép", url_name="petition_detail")
def detail_endpoint(request, code: str):
    """Cán bộ của cơ quan đang xử lý (thông tin người gửi, mỗi lần xem được ghi nhật ký) hoặc người gửi."""
    user = require_user(request)
    view = selectors.petition_detail(actor=user, code=code)
    return _json(shapes.petition_detail_shape(view), headers={"ETag": f'"{view.petition.version}"'})


@router.get("/petitions/{code}/attachments/{attachment_id}", summary="Tải về tệp đính kèm của phản ánh",
            url_name="petition_attachment")
def attachment_endpoint(request, code: str, attachment_id: int):
    user = require_user(request)
    view = selectors.petition_detail(actor=user, code=code)
    found = next((a for a in view.attachments if a.pk == attachment_id), None)
    if found is None:
        raise NotFound("Không tìm thấy tệp đính kèm.", code=PetitionError.NOT_FOUND)
    return FileResponse(file_open(stored_file=found.file), content_type=found.file.content_type,
                        filename=found.file.original_name, as_attachment=False)


def _expected_version(body: dict) -> int | None:
    value = body.get("expected_version")
    if value in (None, ""):
        return None
    if not str(value).isdigit():
        raise ValidationFailed("expected_version phải là số nguyên.", code="invalid_input")
    return int(value)


@router.post("/petitions/{code}/actions/{action}", summary="Thực hiện một thao tác trên phản ánh",
             url_name="petition_action")
def action_endpoint(request, code: str, action: str):
    """Thao tác có trong ``available_actions``; thân yêu cầu theo ``fields`` của thao tác, cộng
    ``expected_version`` (409 ``petition_state_changed`` khi đã cũ). Người gửi không đăng nhập (đánh giá,
    không đồng ý, bổ sung thông tin) gửi kèm ``phone`` đã khai. Hỗ trợ ``Idempotency-Key``."""
    body = _json_body(request)
    expected = _expected_version(body)
    actor = request.auth
    if not getattr(actor, "is_authenticated", False) and body.get("phone"):
        # The anonymous sender proves the petition is theirs exactly as the lookup does (rate-limited).
        proof = selectors.petition_lookup(code=code, phone=str(body["phone"]), client_ip=request_client_ip(request))
        actor = SenderProof(petition_id=proof.petition.pk)
        view = proof
    else:
        require_user(request)
        view = selectors.petition_detail(actor=actor, code=code)

    def run():
        petition_action_perform(actor=actor, petition=view.petition, name=action, data=body,
                                expected_version=expected)
        fresh = selectors.petition_detail(actor=actor, code=view.petition.code)
        return 200, {**shapes.petition_detail_shape(fresh), "action": action}

    return _idempotent(request, actor, run)
