"""Writes on the certificate registry: import from PKCS#12, issue from the demo CA, revoke, set the image."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from PIL import Image, UnidentifiedImageError

from tinhso.core.audit import audit_record
from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.org.selectors import actor_has_role
from tinhso.signing import pki
from tinhso.signing.keystore import private_key_encrypt
from tinhso.signing.models import Certificate
from tinhso.signing.selectors import trust_store_get
from tinhso.signing.services.authorities import crl_refresh, demo_issue

# Who may manage (import, revoke, change the image of) an agency's certificate.
AGENCY_MANAGER_ROLES = ("admin", "clerk")
MAX_IMAGE_BYTES = 2 * 1024 * 1024


def _is_system(actor) -> bool:
    # Management commands and the demo loader act as the system (actor None), as in core.audit.
    return actor is None


def _owner_check(*, owner_agency, owner_user) -> None:
    if (owner_agency is None) == (owner_user is None):
        raise ValidationFailed(
            "Chứng thư số phải thuộc về đúng một chủ sở hữu: một cơ quan hoặc một cán bộ.",
            code="certificate_owner_required",
        )


def _may_manage(actor, *, owner_agency, owner_user) -> bool:
    if _is_system(actor):
        return True
    if not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", False):
        return False
    if actor.is_superuser:
        return True
    if owner_user is not None:
        return owner_user.pk == actor.pk
    return actor_has_role(user=actor, agency=owner_agency, roles=AGENCY_MANAGER_ROLES)


def _manage_check(actor, *, owner_agency, owner_user) -> None:
    if not _may_manage(actor, owner_agency=owner_agency, owner_user=owner_user):
        raise PermissionDenied(
            "Bạn không có quyền quản lý chứng thư số của chủ sở hữu này.", code="certificate_manage_forbidden"
        )


def image_png_check(*, data: bytes) -> bytes:
    """A PNG image (the signature or the seal) with an alpha channel; refused otherwise."""
    if not data:
        raise ValidationFailed("Chưa chọn tệp ảnh.", code="image_empty")
    if len(data) > MAX_IMAGE_BYTES:
        raise ValidationFailed("Ảnh chữ ký / con dấu không được lớn hơn 2 MB.", code="image_too_large")
    try:
        image = Image.open(io.BytesIO(data))
        image.verify()
        image = Image.open(io.BytesIO(data))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationFailed("Tệp tải lên không phải là ảnh PNG hợp lệ.", code="image_invalid") from exc
    if image.format != "PNG":
        raise ValidationFailed("Ảnh chữ ký / con dấu phải ở định dạng PNG.", code="image_not_png")
    if "A" not in image.getbands() and "transparency" not in image.info:
        # NĐ 30/2020 Phụ lục I (vn-standards §7.5): images on a transparent background.
        raise ValidationFailed("Ảnh chữ ký / con dấu phải có nền trong suốt (PNG có kênh alpha).",
                               code="image_not_transparent")
    return data


def _store(
    *, actor, material: pki.KeyMaterial, owner_agency, owner_user, source: str, image_png: bytes | None,
    seal_diameter_mm: Decimal | float | None = None,
) -> Certificate:
    info = pki.certificate_describe(material.certificate)
    certificate = Certificate(
        owner_agency=owner_agency,
        owner_user=owner_user,
        common_name=info.common_name or info.subject,
        organization=info.organization,
        subject=info.subject,
        issuer=info.issuer,
        serial_number=info.serial_number,
        not_before=info.not_before,
        not_after=info.not_after,
        key_usage=",".join(info.key_usage),
        fingerprint_sha256=info.fingerprint_sha256,
        certificate_pem=pki.certificates_to_pem([material.certificate]),
        chain_pem=pki.certificates_to_pem(material.chain),
        private_key_encrypted=private_key_encrypt(material.private_key),
        image_png=image_png,
        source=source,
        created_by=actor,
    )
    if seal_diameter_mm is not None:
        certificate.seal_diameter_mm = Decimal(str(seal_diameter_mm))
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError as exc:
        raise Conflict("Chứng thư số này đã có trong hệ thống.", code="certificate_exists") from exc
    audit_record(
        actor=actor, action=f"signing.certificate_{source}", target=certificate,
        data={"fingerprint_sha256": info.fingerprint_sha256, "subject": info.subject, "issuer": info.issuer,
              "owner_agency": getattr(owner_agency, "code", None), "owner_user": getattr(owner_user, "pk", None)},
    )
    return certificate


def certificate_import_pkcs12(
    *, actor, data: bytes, password: str, owner_agency=None, owner_user=None, image_png: bytes | None = None,
    seal_diameter_mm: float | None = None,
) -> Certificate:
    """Register a certificate from a password-protected PKCS#12 file (.p12/.pfx).

    Refused unless it is valid today, may sign (key usage) and chains to the trust store without being
    on a known CRL. The private key is stored encrypted (``keystore.py``).
    """
    _owner_check(owner_agency=owner_agency, owner_user=owner_user)
    _manage_check(actor, owner_agency=owner_agency, owner_user=owner_user)
    material = pki.pkcs12_read(data=data, password=password)
    pki.certificate_check_usable(material, trust=trust_store_get())
    if image_png is not None:
        image_png_check(data=image_png)
    with transaction.atomic():
        return _store(
            actor=actor, material=material, owner_agency=owner_agency, owner_user=owner_user,
            source=Certificate.Source.IMPORTED, image_png=image_png, seal_diameter_mm=seal_diameter_mm,
        )


def certificate_generate_demo(
    *, actor, owner_agency=None, owner_user=None, common_name: str = "", organization: str = "",
    days: int = 730, valid_from: datetime | None = None, key_usage: list[str] | None = None,
    image_png: bytes | None = None,
) -> Certificate:
    """Issue a certificate from the demo CA (demo province, training, tests).

    The subject defaults to the agency's name or the person's full name, C=VN. ``valid_from``,
    ``days`` and ``key_usage`` let tests build expired or non-signing certificates.
    """
    _owner_check(owner_agency=owner_agency, owner_user=owner_user)
    _manage_check(actor, owner_agency=owner_agency, owner_user=owner_user)
    if owner_agency is not None:
        cn = common_name or owner_agency.name
        org = organization or owner_agency.name
    else:
        cn = common_name or owner_user.full_name or owner_user.get_username()
        org = organization
    material = demo_issue(
        subject=pki.name_build(common_name=cn, organization=org), days=days,
        valid_from=valid_from or datetime.now(UTC), key_usage=key_usage,
    )
    if image_png is not None:
        image_png_check(data=image_png)
    with transaction.atomic():
        return _store(
            actor=actor, material=material, owner_agency=owner_agency, owner_user=owner_user,
            source=Certificate.Source.GENERATED, image_png=image_png,
        )


def certificate_revoke(*, actor, certificate: Certificate, reason: str) -> Certificate:
    """Stop a certificate from signing; the demo CA's CRL is reissued so verifiers learn of it too."""
    _manage_check(actor, owner_agency=certificate.owner_agency, owner_user=certificate.owner_user)
    reason = pki.nfc(reason or "")
    if not reason:
        raise ValidationFailed("Cần nêu lý do thu hồi chứng thư số.", code="revocation_reason_required")
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.revoked_at is not None:
            raise Conflict("Chứng thư số đã bị thu hồi trước đó.", code="certificate_already_revoked")
        locked.revoked_at = timezone.now()
        locked.revocation_reason = reason[:255]
        locked.save(update_fields=["revoked_at", "revocation_reason"])
        if locked.source == Certificate.Source.GENERATED:
            crl_refresh(force=True)
        audit_record(actor=actor, action="signing.certificate_revoked", target=locked,
                     data={"reason": locked.revocation_reason, "fingerprint_sha256": locked.fingerprint_sha256})
    return locked


def certificate_image_set(*, actor, certificate: Certificate, image_png: bytes) -> Certificate:
    """Replace the signature image (person) or the seal image (agency) shown in the stamp."""
    _manage_check(actor, owner_agency=certificate.owner_agency, owner_user=certificate.owner_user)
    image_png_check(data=image_png)
    with transaction.atomic():
        certificate.image_png = image_png
        certificate.save(update_fields=["image_png"])
        audit_record(actor=actor, action="signing.certificate_image_set", target=certificate,
                     data={"bytes": len(image_png)})
    return certificate
