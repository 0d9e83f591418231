"""Signing and verifying PDFs: the one call other apps and the API use.

    signed = pdf_sign(actor=leader, pdf=result_pdf, certificate=cert, kind="personal",
                      reason="Phê duyệt kết quả", location="Phú Thọ", reference=dossier.code)
    sealed = pdf_sign(actor=clerk, pdf=signed, certificate=agency_cert, kind="agency",
                      reason="Phát hành kết quả", location="Phú Thọ", reference=dossier.code)
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence

from django.db import transaction
from pyhanko.sign.timestamps import TimestampRequestError

from tinhso.core.audit import audit_record
from tinhso.core.errors import NotAuthenticated, PermissionDenied, ValidationFailed
from tinhso.org.selectors import actor_has_role
from tinhso.signing import pades, pki
from tinhso.signing.errors import SigningUnavailable
from tinhso.signing.models import Certificate, SignatureRecord
from tinhso.signing.policy import automatic_seal_label
from tinhso.signing.selectors import AGENCY_SIGNER_ROLES, certificate_material, trust_store_get
from tinhso.signing.services.authorities import crl_refresh, timestamper_get
from tinhso.signing.stamps import BUNDLED_FONTS
from tinhso.signing.timefmt import vn_datetime
from tinhso.signing.uploads import pdf_check
from tinhso.signing.verify import VerificationReport, pdf_verify_bytes

logger = logging.getLogger(__name__)

KINDS = (Certificate.Kind.PERSONAL, Certificate.Kind.AGENCY)


def certificate_use_check(*, actor, certificate: Certificate) -> None:
    """May ``actor`` sign with ``certificate``? A personal one only by its owner; an agency one only by
    a văn thư or a leader of that agency (vn-standards §7.5). Nobody signs with a certificate not theirs.
    """
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        raise NotAuthenticated("Vui lòng đăng nhập để ký số.")
    if certificate.owner_user_id is not None:
        allowed = certificate.owner_user_id == actor.pk
    else:
        allowed = actor_has_role(user=actor, agency=certificate.owner_agency, roles=AGENCY_SIGNER_ROLES)
    if not allowed:
        raise PermissionDenied(
            "Bạn không được ký bằng chứng thư số này: chỉ chủ sở hữu (chữ ký cá nhân) hoặc văn thư, lãnh đạo "
            "của cơ quan (chữ ký cơ quan) mới được sử dụng.",
            code="certificate_not_yours",
        )


def _registry_check(certificate: Certificate) -> None:
    if certificate.revoked_at is not None:
        raise ValidationFailed(
            f"Chứng thư số đã bị thu hồi từ {vn_datetime(certificate.revoked_at)}"
            f"{' (' + certificate.revocation_reason + ')' if certificate.revocation_reason else ''}; "
            "không thể dùng để ký.",
            code="certificate_revoked",
        )


def _box(box: Sequence[float] | None) -> pades.Box | None:
    if box is None:
        return None
    if len(box) != 4:
        raise ValidationFailed("Vị trí chữ ký phải gồm 4 số: x1, y1, x2, y2 (điểm, gốc ở góc dưới trái).",
                               code="invalid_signature_box")
    x1, y1, x2, y2 = (float(v) for v in box)
    if x2 - x1 < 20 or y2 - y1 < 20 or min(x1, y1) < 0:
        raise ValidationFailed("Vị trí chữ ký không hợp lệ: khung phải nằm trong trang và đủ lớn (tối thiểu 20 điểm).",
                               code="invalid_signature_box")
    return (x1, y1, x2, y2)


def pdf_sign(
    *,
    actor,
    pdf: bytes,
    certificate: Certificate,
    kind: str,
    reason: str,
    location: str = "",
    page: int | None = None,
    box: Sequence[float] | None = None,
    reference: str = "",
) -> bytes:
    """Add one visible PAdES signature (B-T, or B-LT with the demo CA) and return the signed PDF.

    ``kind`` is ``"personal"`` (the person's stamp: signature image + name) or ``"agency"`` (the red seal
    over the left third of the person's signature, with agency name and signing time). ``page`` counts
    from 1 (``None``: the last page, or for the agency seal the page of the person's signature); ``box``
    is ``(x1, y1, x2, y2)`` in points from the page's bottom-left corner (``None``: NĐ 30/2020 layout).
    Writes a ``SignatureRecord`` and an audit entry.
    """
    if kind not in KINDS:
        raise ValidationFailed("Loại chữ ký phải là “personal” (cá nhân) hoặc “agency” (cơ quan).",
                               code="invalid_signature_kind")
    # Re-read: a revocation may have happened since the caller loaded its copy.
    certificate = Certificate.objects.select_related("owner_agency", "owner_user").get(pk=certificate.pk)
    certificate_use_check(actor=actor, certificate=certificate)
    return _sign(actor=actor, purpose="", pdf=pdf, certificate=certificate, kind=kind, reason=reason,
                 location=location, page=page, box=box, reference=reference)


def pdf_sign_system(
    *,
    pdf: bytes,
    certificate: Certificate,
    reason: str,
    purpose: str,
    location: str = "",
    page: int | None = None,
    over: Sequence[float] | None = None,
    reference: str = "",
) -> bytes:
    """The system applies an agency's seal without a person (ký số tự động), for a registered purpose only.

    Only agency certificates (the system never signs as a person) and only the purposes registered
    with :func:`tinhso.signing.policy.automatic_seal_register` (``automatic_seal_not_allowed``
    otherwise). The ``SignatureRecord`` has no signer and names the purpose; the audit entry's actor
    is the system. ``over`` is the signature block of the form (``x1, y1, x2, y2`` in points on
    ``page``, from the top of the officer's title to the name): the seal hangs from its top-left corner,
    covering the title and the left of the name as a paper seal covers the left of the signature
    (vn-standards §7.5), and its text goes under the name (``stamps.agency_box_form``).
    """
    label = automatic_seal_label(purpose)
    if label is None:
        raise PermissionDenied(
            f"Mục đích “{purpose}” không được phép ký số tự động; chỉ các biểu mẫu do hệ thống phát hành "
            "được đóng dấu số của cơ quan tự động.",
            code="automatic_seal_not_allowed",
        )
    certificate = Certificate.objects.select_related("owner_agency", "owner_user").get(pk=certificate.pk)
    if certificate.kind != Certificate.Kind.AGENCY:
        raise ValidationFailed("Ký số tự động chỉ dùng chứng thư số của cơ quan, không dùng chứng thư cá nhân.",
                               code="certificate_kind_mismatch")
    return _sign(actor=None, purpose=purpose, pdf=pdf, certificate=certificate, kind=Certificate.Kind.AGENCY,
                 reason=reason, location=location, page=page, box=None, reference=reference,
                 over=_box(over))


def _sign(*, actor, purpose: str, pdf: bytes, certificate: Certificate, kind: str, reason: str, location: str,
          page: int | None, box: Sequence[float] | None, reference: str,
          over: pades.Box | None = None) -> bytes:
    """The checks after "who may use the certificate", the signature, its record and audit entry."""
    if certificate.kind != kind:
        raise ValidationFailed(
            "Loại chữ ký không khớp với chứng thư số: chữ ký cá nhân dùng chứng thư của cán bộ, chữ ký cơ quan "
            "dùng chứng thư của cơ quan.",
            code="certificate_kind_mismatch",
        )
    _registry_check(certificate)
    pages = pdf_check(data=pdf)
    if page is not None and not (1 <= page <= pages):
        raise ValidationFailed(f"Tài liệu có {pages} trang; trang đặt chữ ký phải từ 1 đến {pages}.",
                               code="invalid_signature_page")
    rect = _box(box)
    material = certificate_material(certificate)
    crl_refresh()
    trust = trust_store_get()
    pki.certificate_check_usable(material, trust=trust)
    appearance = pades.Appearance(
        kind=kind,
        signer_name=certificate.common_name,
        agency_name=certificate.owner_agency.name if certificate.owner_agency_id else "",
        image_png=bytes(certificate.image_png) if certificate.image_png else None,
        seal_diameter_mm=float(certificate.seal_diameter_mm),
        fonts=BUNDLED_FONTS,
    )
    try:
        result = pades.pdf_sign_bytes(
            pdf=pdf, material=material, appearance=appearance, timestamper=timestamper_get(),
            reason=pki.nfc(reason), location=pki.nfc(location),
            page=None if page is None else page - 1, box=rect, trust=trust, over=over,
        )
    except (TimestampRequestError, OSError) as exc:  # pyHanko wraps aiohttp errors; timeouts are OSError
        logger.warning("timestamp authority unreachable: %s", exc)
        raise SigningUnavailable(
            "Không lấy được dấu thời gian từ máy chủ cấp dấu thời gian; vui lòng thử lại sau.",
            code="timestamp_unavailable",
        ) from exc
    with transaction.atomic():
        record = SignatureRecord.objects.create(
            certificate=certificate, signed_by=actor, purpose=purpose, kind=kind, field_name=result.field_name,
            reason=pki.nfc(reason)[:255], location=pki.nfc(location)[:255], reference=pki.nfc(reference)[:255],
            page=result.page + 1, document_sha256_before=hashlib.sha256(pdf).hexdigest(),
            document_sha256_after=hashlib.sha256(result.pdf).hexdigest(), long_term=result.long_term,
            timestamped=True, signed_at=result.signed_at,
        )
        audit_record(
            actor=actor, action="signing.pdf_signed", target=record,
            actor_label=None if actor is not None else "Hệ thống (ký số tự động)",
            data={"certificate": certificate.fingerprint_sha256, "kind": kind, "reference": record.reference,
                  "sha256_before": record.document_sha256_before, "sha256_after": record.document_sha256_after,
                  **({"system": True, "purpose": purpose} if actor is None else {})},
        )
    return result.pdf


def pdf_verify(*, pdf: bytes) -> VerificationReport:
    """Verify every signature in an uploaded PDF against the platform's trust store (anyone may ask)."""
    pdf_check(data=pdf)
    return pdf_verify_bytes(pdf=pdf, trust=trust_store_get())
