"""API of the signing app: sign a PDF, verify a PDF, list the certificates the caller may use.

``POST /signatures`` answers with the signed PDF itself (``application/pdf``), so an integrator needs
one call; nothing is stored except the ``SignatureRecord`` audit row — unless the request carries an
``Idempotency-Key``: then the signed file is stored and a retry with the same key and body gets the
same bytes back instead of a second signature.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from tinhso.core.auth import require_user
from tinhso.core.errors import ValidationFailed
from tinhso.core.files import file_read, file_store_generated
from tinhso.core.idempotency import HEADER, idempotency_run, request_fingerprint
from tinhso.core.models_files import StoredFile
from tinhso.core.text import fold
from tinhso.signing import selectors, services
from tinhso.signing.timefmt import vn_iso
from tinhso.signing.verify import SignatureReport, VerificationReport

router = Router(tags=["Chữ ký số"])


class CertificateOut(Schema):
    id: int
    kind: str
    kind_label: str
    common_name: str
    organization: str
    issuer: str
    serial_number: str
    fingerprint_sha256: str
    not_before: str
    not_after: str
    owner_agency: str | None
    owner_user: str | None
    has_image: bool


class SignatureOut(Schema):
    field_name: str
    signer_common_name: str
    signer_organization: str
    signer_subject: str
    issuer: str
    serial_number: str
    certificate_not_before: str | None
    certificate_not_after: str | None
    signing_time: str | None
    timestamp_time: str | None
    timestamp_trusted: bool
    reason: str
    location: str
    intact: bool
    covers_whole_document: bool
    modified_after_signing: bool
    trusted: bool
    revoked: bool
    revoked_at: str | None
    expired: bool
    long_term: bool
    verdict: str
    verdict_label: str
    explanation: str


class VerificationOut(Schema):
    document_sha256: str
    verdict: str
    verdict_label: str
    summary: str
    signatures: list[SignatureOut]


def _iso(value):
    return vn_iso(value) if value is not None else None


def _certificate_out(c) -> dict:
    return {
        "id": c.pk, "kind": c.kind, "kind_label": c.get_kind_display(), "common_name": c.common_name,
        "organization": c.organization, "issuer": c.issuer, "serial_number": c.serial_number,
        "fingerprint_sha256": c.fingerprint_sha256, "not_before": vn_iso(c.not_before), "not_after": vn_iso(c.not_after),
        "owner_agency": c.owner_agency.code if c.owner_agency_id else None,
        "owner_user": c.owner_user.get_username() if c.owner_user_id else None,
        "has_image": bool(c.image_png),
    }


def _signature_out(s: SignatureReport) -> dict:
    return {
        "field_name": s.field_name, "signer_common_name": s.signer_common_name,
        "signer_organization": s.signer_organization, "signer_subject": s.signer_subject, "issuer": s.issuer,
        "serial_number": s.serial_number, "certificate_not_before": _iso(s.certificate_not_before),
        "certificate_not_after": _iso(s.certificate_not_after), "signing_time": _iso(s.signing_time),
        "timestamp_time": _iso(s.timestamp_time), "timestamp_trusted": s.timestamp_trusted, "reason": s.reason,
        "location": s.location, "intact": s.intact, "covers_whole_document": s.covers_whole_document,
        "modified_after_signing": s.modified_after_signing, "trusted": s.trusted, "revoked": s.revoked,
        "revoked_at": _iso(s.revoked_at), "expired": s.expired, "long_term": s.long_term, "verdict": s.verdict,
        "verdict_label": s.verdict_label, "explanation": s.explanation,
    }


def verification_out(report: VerificationReport) -> dict:
    return {
        "document_sha256": report.document_sha256, "verdict": report.verdict, "verdict_label": report.verdict_label,
        "summary": report.summary, "signatures": [_signature_out(s) for s in report.signatures],
    }


def upload_read(file: UploadedFile | None) -> bytes:
    """The uploaded bytes, refusing an oversized file before reading it into memory."""
    if file is None:
        raise ValidationFailed("Chưa chọn tệp PDF.", code="file_empty")
    limit = settings.TINHSO_MAX_UPLOAD_BYTES
    if file.size is not None and file.size > limit:
        raise ValidationFailed(
            f"Tệp quá lớn ({file.size / 1048576:.1f} MB); dung lượng tối đa là {limit / 1048576:.0f} MB.",
            code="file_too_large",
        )
    return file.read()


def _box(text: str | None) -> list[float] | None:
    if not text:
        return None
    try:
        return [float(part) for part in text.split(",")]
    except ValueError as exc:
        raise ValidationFailed("Vị trí chữ ký phải có dạng “x1,y1,x2,y2” (đơn vị điểm).",
                               code="invalid_signature_box") from exc


@router.get("/certificates", response=list[CertificateOut], summary="Chứng thư số người gọi được dùng để ký")
def certificate_list(request):
    user = require_user(request)
    return [_certificate_out(c) for c in selectors.certificate_list_for(actor=user)]


@router.post(
    "/signatures",
    summary="Ký số tệp PDF",
    description=(
        "Gửi tệp PDF (multipart, trường `file`) và chứng thư số (`certificate`: id hoặc dấu vân tay SHA-256). "
        "`kind`: `personal` (chữ ký cá nhân) hoặc `agency` (chữ ký cơ quan). `page` đếm từ 1 (mặc định trang "
        "cuối), `box` = `x1,y1,x2,y2` (điểm, gốc góc dưới trái; mặc định theo bố cục NĐ 30/2020). "
        "Trả về tệp PDF đã ký (`application/pdf`)."
    ),
    openapi_extra={"responses": {200: {
        "description": "Tệp PDF đã ký",
        "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
    }}},
)
def signature_create(
    request,
    file: UploadedFile = File(...),  # noqa: B008 - ninja's declaration style
    certificate: str = Form(...),
    kind: str = Form(...),
    reason: str = Form(""),
    location: str = Form(""),
    page: int | None = Form(None),
    box: str | None = Form(None),
    reference: str = Form(""),
):
    user = require_user(request)
    data = upload_read(file)
    name = f'{_ascii((file.name or "tai-lieu.pdf").rsplit(".", 1)[0])}-da-ky.pdf'

    def sign() -> bytes:
        return services.pdf_sign(
            actor=user, pdf=data, certificate=selectors.certificate_get(ref=certificate), kind=kind, reason=reason,
            location=location, page=page, box=_box(box), reference=reference,
        )

    key = request.headers.get(HEADER)
    replayed = False
    if key:
        # A retried request must not sign twice: the signed file is kept (the signer may also fetch it
        # with GET /files/{id}) and the stored answer names it, so a replay sends the same bytes.
        def run() -> tuple[int, dict]:
            stored = file_store_generated(name=name, content=sign(), created_by=user)
            return 200, {"file_id": str(stored.pk)}

        answer = idempotency_run(user=user, key=key, method=request.method, path=request.path,
                                 fingerprint=request_fingerprint(request), run=run)
        signed = file_read(stored_file=StoredFile.objects.get(pk=answer.body["file_id"]))
        replayed = answer.replayed
    else:
        signed = sign()
    response = HttpResponse(signed, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    if replayed:
        response["Idempotent-Replayed"] = "true"
    return response


@router.post(
    "/signatures/verify",
    response=VerificationOut,
    summary="Kiểm tra chữ ký số trong tệp PDF",
    description="Ai cũng có thể gửi tệp PDF (multipart, trường `file`) để xem từng chữ ký: người ký, đơn vị cấp, "
    "thời điểm ký, tài liệu có bị thay đổi sau khi ký không, chứng thư có thuộc nguồn tin cậy không.",
)
def signature_verify(request, file: UploadedFile = File(...)):  # noqa: B008
    return verification_out(services.pdf_verify(pdf=upload_read(file)))


def _ascii(name: str) -> str:
    cleaned = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in fold(name))
    return cleaned.strip("-")[:80] or "tai-lieu"
