"""The platform's own keys: the demo root CA (certificates, CRL) and the built-in time-stamp authority."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from pyhanko.sign.timestamps import TimeStamper

from tinhso.core.audit import audit_record
from tinhso.core.errors import ValidationFailed
from tinhso.signing import pki
from tinhso.signing.errors import SigningUnavailable
from tinhso.signing.keystore import private_key_encrypt
from tinhso.signing.models import Authority, Certificate, TrustAnchor
from tinhso.signing.selectors import authority_get, authority_material
from tinhso.signing.tsa import LocalTimeStamper, TimestampAuthority, http_timestamper

# Public URLs of the demo CA (served by signing/views.py, mounted in portal/urls.py).
DEMO_CRL_PATH = "/pki/crl/demo-root.crl"
DEMO_ROOT_PATH = "/pki/ca/demo-root.crt"
# The CRL is reissued on every revocation and refreshed when it is older than this.
CRL_REFRESH_AFTER = timedelta(days=1)
CRL_VALID_DAYS = 7


def crl_url() -> str:
    return f"{settings.PUBLIC_URL}{DEMO_CRL_PATH}"


def _authority_store(*, purpose: str, name: str, material: pki.KeyMaterial) -> Authority:
    return Authority.objects.create(
        purpose=purpose,
        name=pki.nfc(name),
        certificate_pem=pki.certificates_to_pem([material.certificate]),
        chain_pem=pki.certificates_to_pem(material.chain),
        private_key_encrypted=private_key_encrypt(material.private_key),
    )


def authority_demo_ca_ensure(*, actor=None, organization: str) -> tuple[Authority, bool]:
    """The demo root CA (created once), registered as an active trust anchor."""
    with transaction.atomic():
        existing = Authority.objects.select_for_update().filter(purpose=Authority.Purpose.ROOT_CA).first()
        if existing is not None:
            return existing, False
        name = "Tỉnh Số CA thử nghiệm"
        material = pki.ca_create(
            subject=pki.name_build(common_name=name, organization=f"{organization} (THỬ NGHIỆM)")
        )
        authority = _authority_store(purpose=Authority.Purpose.ROOT_CA, name=name, material=material)
        TrustAnchor.objects.get_or_create(
            fingerprint_sha256=pki.fingerprint(material.certificate),
            defaults={"name": name, "certificate_pem": authority.certificate_pem, "is_active": True},
        )
        _crl_write(authority, material)
        audit_record(actor=actor, action="signing.demo_ca_created", target=authority,
                     data={"fingerprint_sha256": pki.fingerprint(material.certificate)})
        return authority, True


def authority_tsa_ensure(*, actor=None, organization: str) -> tuple[Authority, bool]:
    """The built-in TSA's certificate, issued by the demo CA with a critical EKU timeStamping."""
    with transaction.atomic():
        existing = Authority.objects.select_for_update().filter(purpose=Authority.Purpose.TSA).first()
        if existing is not None:
            return existing, False
        ca = authority_get(purpose=Authority.Purpose.ROOT_CA)
        if ca is None:
            raise SigningUnavailable("Chưa có CA thử nghiệm; chạy “tinhso pki demo-init”.", code="demo_ca_missing")
        name = "Tỉnh Số - Máy chủ cấp dấu thời gian"
        material = pki.certificate_issue(
            issuer=authority_material(ca),
            subject=pki.name_build(common_name=name, organization=organization),
            purpose="tsa", days=3650, crl_url=crl_url(),
        )
        authority = _authority_store(purpose=Authority.Purpose.TSA, name=name, material=material)
        audit_record(actor=actor, action="signing.tsa_created", target=authority,
                     data={"fingerprint_sha256": pki.fingerprint(material.certificate)})
        return authority, True


def _crl_write(authority: Authority, material: pki.KeyMaterial) -> None:
    issuer_subject = pki.name_display(material.certificate.subject)
    revoked = [
        pki.RevokedEntry(serial_number=int(serial, 16), revoked_at=revoked_at)
        for serial, revoked_at in Certificate.objects.filter(
            source=Certificate.Source.GENERATED, issuer=issuer_subject, revoked_at__isnull=False
        ).values_list("serial_number", "revoked_at")
    ]
    number = authority.crl_number + 1
    crl = pki.crl_issue(issuer=material, revoked=revoked, number=number, valid_days=CRL_VALID_DAYS)
    authority.crl_number = number
    authority.crl_der = crl.public_bytes(serialization.Encoding.DER)
    authority.crl_updated_at = timezone.now()
    authority.save(update_fields=["crl_number", "crl_der", "crl_updated_at"])


def crl_refresh(*, force: bool = False) -> Authority | None:
    """Reissue the demo CA's CRL when forced (a revocation) or when it is older than a day."""
    with transaction.atomic():
        ca = Authority.objects.select_for_update().filter(purpose=Authority.Purpose.ROOT_CA).first()
        if ca is None:
            return None
        due = ca.crl_updated_at is None or timezone.now() - ca.crl_updated_at > CRL_REFRESH_AFTER
        if force or due:
            _crl_write(ca, authority_material(ca))
        return ca


def timestamper_get() -> TimeStamper:
    """``TINHSO_TSA_URL`` when set (RFC 3161 over HTTP), else the built-in authority in-process."""
    if settings.TINHSO_TSA_URL:
        return http_timestamper(settings.TINHSO_TSA_URL)
    tsa = authority_get(purpose=Authority.Purpose.TSA)
    if tsa is None:
        raise SigningUnavailable(
            "Chưa cấu hình máy chủ cấp dấu thời gian (TINHSO_TSA_URL) và chưa khởi tạo máy chủ dấu thời gian "
            "nội bộ (tinhso pki demo-init); không thể ký số.",
            code="tsa_not_configured",
        )
    return LocalTimeStamper(TimestampAuthority(material=authority_material(tsa)))


def tsa_respond(*, request_der: bytes) -> bytes:
    """The built-in authority's DER answer to a DER RFC 3161 request (the ``POST /tsa`` endpoint)."""
    tsa = authority_get(purpose=Authority.Purpose.TSA)
    if tsa is None:
        raise SigningUnavailable("Máy chủ cấp dấu thời gian nội bộ chưa được khởi tạo.", code="tsa_not_configured")
    return TimestampAuthority(material=authority_material(tsa)).respond_der(request_der)


def demo_ca_certificate_der() -> bytes | None:
    ca = authority_get(purpose=Authority.Purpose.ROOT_CA)
    if ca is None:
        return None
    return pki.certificates_from_pem(ca.certificate_pem)[0].public_bytes(serialization.Encoding.DER)


def demo_ca_crl_der() -> bytes | None:
    ca = authority_get(purpose=Authority.Purpose.ROOT_CA)
    return bytes(ca.crl_der) if ca is not None and ca.crl_der else None


def demo_issue(
    *, subject: x509.Name, days: int = 730, valid_from: datetime | None = None, key_usage=None
) -> pki.KeyMaterial:
    """A signing certificate from the demo CA (for the demo province and tests)."""
    ca = authority_get(purpose=Authority.Purpose.ROOT_CA)
    if ca is None:
        raise SigningUnavailable("Chưa có CA thử nghiệm; chạy “tinhso pki demo-init”.", code="demo_ca_missing")
    return pki.certificate_issue(
        issuer=authority_material(ca), subject=subject, days=days,
        valid_from=valid_from or (datetime.now(UTC) - timedelta(minutes=5)), key_usage=key_usage, crl_url=crl_url(),
    )


def trust_anchor_add(*, actor, certificate_pem: str, name: str = "") -> tuple[TrustAnchor, bool]:
    """Trust a root CA (e.g. the national root of the Ban Cơ yếu Chính phủ); idempotent by fingerprint."""
    try:
        certs = pki.certificates_from_pem(certificate_pem)
    except ValueError as exc:
        raise ValidationFailed("Tệp không chứa chứng thư số dạng PEM hợp lệ.", code="certificate_pem_invalid") from exc
    if len(certs) != 1:
        raise ValidationFailed("Cần đúng một chứng thư gốc trong tệp PEM.", code="certificate_pem_invalid")
    cert = certs[0]
    if not pki.is_ca(cert):
        raise ValidationFailed("Chứng thư này không phải chứng thư của tổ chức chứng thực (CA).",
                               code="trust_anchor_not_ca")
    info = pki.certificate_describe(cert)
    with transaction.atomic():
        anchor, created = TrustAnchor.objects.get_or_create(
            fingerprint_sha256=info.fingerprint_sha256,
            defaults={"name": pki.nfc(name) or info.common_name or info.subject,
                      "certificate_pem": pki.certificates_to_pem([cert]), "is_active": True},
        )
        if created:
            audit_record(actor=actor, action="signing.trust_anchor_added", target=anchor,
                         data={"fingerprint_sha256": info.fingerprint_sha256, "subject": info.subject})
    return anchor, created
