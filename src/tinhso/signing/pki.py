"""Certificates without the database: the demo CA, leaf and TSA certificates, PKCS#12, CRLs, checks.

Everything here works on ``cryptography`` objects so that the services, the management command, the
tests and the benchmark share one implementation. Errors are ``ValidationFailed`` with stable codes.
"""

from __future__ import annotations

import asyncio
import secrets
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from asn1crypto import crl as asn1_crl
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from pyhanko_certvalidator import errors as cv_errors

from tinhso.core.errors import ValidationFailed
from tinhso.signing.loops import outside_event_loop
from tinhso.signing.timefmt import vn_datetime

PrivateKey = rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey

# Key usages that allow a key to sign documents (RFC 5280 §4.2.1.3; nonRepudiation is now called
# contentCommitment). One of them is enough: national CAs set both, some set only one.
SIGNING_KEY_USAGES = ("digital_signature", "content_commitment")
RSA_KEY_SIZE = 2048


@dataclass(frozen=True)
class KeyMaterial:
    """A certificate, its private key (None for a bare certificate) and the chain above it."""

    certificate: x509.Certificate
    private_key: PrivateKey | None = None
    chain: tuple[x509.Certificate, ...] = ()


@dataclass(frozen=True)
class CertificateInfo:
    """What the registry and the UI show about a certificate."""

    common_name: str
    organization: str
    subject: str
    issuer: str
    issuer_common_name: str
    serial_number: str  # upper-case hex, as certificate viewers print it
    not_before: datetime
    not_after: datetime
    key_usage: tuple[str, ...]
    fingerprint_sha256: str  # lower-case hex
    is_ca: bool


@dataclass(frozen=True)
class RevokedEntry:
    serial_number: int
    revoked_at: datetime
    reason: x509.ReasonFlags = x509.ReasonFlags.unspecified


@dataclass(frozen=True)
class TrustStore:
    """Roots a chain must end in, plus the CRLs known locally (no network fetching by default)."""

    roots: tuple[x509.Certificate, ...] = ()
    crls: tuple[x509.CertificateRevocationList, ...] = ()
    allow_fetching: bool = False
    extra_certs: tuple[x509.Certificate, ...] = field(default=())


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


# --- Building -----------------------------------------------------------------------------------


def key_generate() -> PrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=RSA_KEY_SIZE)


def name_build(
    *,
    common_name: str,
    organization: str = "",
    organizational_unit: str = "",
    locality: str = "",
    province: str = "",
    email: str = "",
    country: str = "VN",
) -> x509.Name:
    """An X.509 name; Vietnamese values go in as NFC UTF8String (the ``cryptography`` default)."""
    parts = [x509.NameAttribute(NameOID.COUNTRY_NAME, country)]
    for oid, value in (
        (NameOID.STATE_OR_PROVINCE_NAME, province),
        (NameOID.LOCALITY_NAME, locality),
        (NameOID.ORGANIZATION_NAME, organization),
        (NameOID.ORGANIZATIONAL_UNIT_NAME, organizational_unit),
        (NameOID.COMMON_NAME, common_name),
        (NameOID.EMAIL_ADDRESS, email),
    ):
        if value:
            parts.append(x509.NameAttribute(oid, nfc(value)))
    return x509.Name(parts)


def _serial() -> int:
    # RFC 5280 allows 20 octets; 16 random bytes with the top bit cleared stay positive.
    return secrets.randbits(127) | 1


def ca_create(
    *,
    subject: x509.Name,
    valid_from: datetime | None = None,
    days: int = 3650,
    key: PrivateKey | None = None,
) -> KeyMaterial:
    """A self-signed root CA (for the demo province and tests)."""
    key = key or key_generate()
    start = (valid_from or datetime.now(UTC)) - timedelta(minutes=5)
    ski = x509.SubjectKeyIdentifier.from_public_key(key.public_key())
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(_serial())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(ski, critical=False)
        .sign(key, hashes.SHA256())
    )
    return KeyMaterial(certificate=cert, private_key=key)


def certificate_issue(
    *,
    issuer: KeyMaterial,
    subject: x509.Name,
    purpose: str = "signing",
    valid_from: datetime | None = None,
    days: int = 730,
    key: PrivateKey | None = None,
    key_usage: Sequence[str] | None = None,
    crl_url: str = "",
) -> KeyMaterial:
    """A leaf certificate signed by ``issuer``.

    ``purpose`` is ``"signing"`` (a person or an agency: digitalSignature + nonRepudiation) or
    ``"tsa"`` (RFC 3161 §2.3: a *critical* extended key usage with only timeStamping).
    ``key_usage`` overrides the usages, which tests use to build a certificate that may not sign.
    """
    if issuer.private_key is None:
        raise ValueError("the issuer's private key is needed to issue a certificate")
    key = key or key_generate()
    start = valid_from or (datetime.now(UTC) - timedelta(minutes=5))
    usages = set(key_usage if key_usage is not None else (
        ("digital_signature",) if purpose == "tsa" else SIGNING_KEY_USAGES
    ))
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject)
        .public_key(key.public_key())
        .serial_number(_serial())
        .not_valid_before(start)
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature="digital_signature" in usages,
                content_commitment="content_commitment" in usages,
                key_encipherment="key_encipherment" in usages,
                data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
                encipher_only=False, decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.certificate.public_key()),
            critical=False,
        )
    )
    if purpose == "tsa":
        builder = builder.add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
    if crl_url:
        builder = builder.add_extension(
            x509.CRLDistributionPoints([
                x509.DistributionPoint(
                    full_name=[x509.UniformResourceIdentifier(crl_url)], relative_name=None,
                    reasons=None, crl_issuer=None,
                )
            ]),
            critical=False,
        )
    cert = builder.sign(issuer.private_key, hashes.SHA256())
    return KeyMaterial(certificate=cert, private_key=key, chain=(issuer.certificate, *issuer.chain))


def crl_issue(
    *,
    issuer: KeyMaterial,
    revoked: Iterable[RevokedEntry],
    number: int,
    this_update: datetime | None = None,
    valid_days: int = 7,
) -> x509.CertificateRevocationList:
    """A complete CRL (RFC 5280 §5) signed by ``issuer``; reissued whenever a certificate is revoked."""
    if issuer.private_key is None:
        raise ValueError("the issuer's private key is needed to issue a CRL")
    now = this_update or datetime.now(UTC)
    builder = (
        x509.CertificateRevocationListBuilder()
        .issuer_name(issuer.certificate.subject)
        .last_update(now - timedelta(minutes=1))
        .next_update(now + timedelta(days=valid_days))
        .add_extension(x509.CRLNumber(number), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(issuer.certificate.public_key()),
            critical=False,
        )
    )
    for entry in revoked:
        item = (
            x509.RevokedCertificateBuilder()
            .serial_number(entry.serial_number)
            .revocation_date(entry.revoked_at)
        )
        if entry.reason != x509.ReasonFlags.unspecified:
            item = item.add_extension(x509.CRLReason(entry.reason), critical=False)
        builder = builder.add_revoked_certificate(item.build())
    return builder.sign(issuer.private_key, hashes.SHA256())


# --- Serialising --------------------------------------------------------------------------------


def certificates_to_pem(certs: Iterable[x509.Certificate]) -> str:
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode("ascii") for c in certs)


def certificates_from_pem(text: str | bytes) -> list[x509.Certificate]:
    data = text.encode("ascii") if isinstance(text, str) else text
    return x509.load_pem_x509_certificates(data) if data.strip() else []


def private_key_to_der(key: PrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )


def private_key_from_der(data: bytes, *, trusted: bool = False) -> PrivateKey:
    """Load a PKCS#8 key. ``trusted`` skips the RSA consistency check (~0.1 s per load), for keys that
    come out of our own authenticated encryption (``keystore.py``) and were checked when stored."""
    key = serialization.load_der_private_key(data, password=None, unsafe_skip_rsa_key_validation=trusted)
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValidationFailed("Chỉ hỗ trợ khóa RSA hoặc ECDSA.", code="unsupported_key_type")
    return key


def to_asn1_certificate(cert: x509.Certificate) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER))


def to_asn1_crl(crl: x509.CertificateRevocationList) -> asn1_crl.CertificateList:
    return asn1_crl.CertificateList.load(crl.public_bytes(serialization.Encoding.DER))


def pkcs12_write(*, material: KeyMaterial, password: str, friendly_name: str = "") -> bytes:
    """A password-protected PKCS#12 file (what a CA hands out), used by tests and exports."""
    if material.private_key is None:
        raise ValueError("a PKCS#12 file for signing needs the private key")
    return pkcs12.serialize_key_and_certificates(
        name=nfc(friendly_name).encode("utf-8") or None,
        key=material.private_key,
        cert=material.certificate,
        cas=list(material.chain) or None,
        encryption_algorithm=serialization.BestAvailableEncryption(password.encode("utf-8")),
    )


def pkcs12_read(*, data: bytes, password: str) -> KeyMaterial:
    """Open a PKCS#12 file; a wrong password or a file without key or certificate is refused clearly."""
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, password.encode("utf-8") if password else None)
    except ValueError as exc:
        message = str(exc).lower()
        if "password" in message or "mac" in message or "decrypt" in message:
            raise ValidationFailed(
                "Mật khẩu của tệp chứng thư số (PKCS#12) không đúng.", code="pkcs12_wrong_password"
            ) from exc
        raise ValidationFailed(
            "Tệp tải lên không phải là tệp chứng thư số PKCS#12 (.p12, .pfx) hợp lệ.", code="pkcs12_invalid"
        ) from exc
    if cert is None or key is None:
        raise ValidationFailed(
            "Tệp PKCS#12 phải chứa cả chứng thư số và khóa bí mật để dùng cho việc ký.", code="pkcs12_no_key"
        )
    if not isinstance(key, rsa.RSAPrivateKey | ec.EllipticCurvePrivateKey):
        raise ValidationFailed("Chỉ hỗ trợ khóa RSA hoặc ECDSA.", code="unsupported_key_type")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():
        raise ValidationFailed(
            "Khóa bí mật trong tệp không khớp với chứng thư số.", code="pkcs12_key_mismatch"
        )
    return KeyMaterial(certificate=cert, private_key=key, chain=tuple(extra))


# --- Reading ------------------------------------------------------------------------------------


def _name_value(name: x509.Name, oid) -> str:
    values = name.get_attributes_for_oid(oid)
    if not values:
        return ""
    value = values[0].value
    return nfc(value if isinstance(value, str) else value.decode("utf-8", "replace"))


def name_display(name: x509.Name) -> str:
    """``CN=…, O=…`` in a reader's order (most specific first), Vietnamese kept as is."""
    labels = {
        NameOID.COMMON_NAME: "CN", NameOID.ORGANIZATIONAL_UNIT_NAME: "OU", NameOID.ORGANIZATION_NAME: "O",
        NameOID.LOCALITY_NAME: "L", NameOID.STATE_OR_PROVINCE_NAME: "ST", NameOID.COUNTRY_NAME: "C",
    }
    parts = []
    for oid, label in labels.items():
        value = _name_value(name, oid)
        if value:
            parts.append(f"{label}={value}")
    return ", ".join(parts) or name.rfc4514_string()


def key_usage_names(cert: x509.Certificate) -> tuple[str, ...]:
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return ()
    names = []
    for attr in ("digital_signature", "content_commitment", "key_encipherment", "data_encipherment",
                 "key_agreement", "key_cert_sign", "crl_sign"):
        if getattr(ku, attr):
            names.append(attr)
    return tuple(names)


def is_ca(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def fingerprint(cert: x509.Certificate) -> str:
    return cert.fingerprint(hashes.SHA256()).hex()


def certificate_describe(cert: x509.Certificate) -> CertificateInfo:
    return CertificateInfo(
        common_name=_name_value(cert.subject, NameOID.COMMON_NAME),
        organization=_name_value(cert.subject, NameOID.ORGANIZATION_NAME),
        subject=name_display(cert.subject),
        issuer=name_display(cert.issuer),
        issuer_common_name=_name_value(cert.issuer, NameOID.COMMON_NAME),
        serial_number=f"{cert.serial_number:X}",
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        key_usage=key_usage_names(cert),
        fingerprint_sha256=fingerprint(cert),
        is_ca=is_ca(cert),
    )


# --- Checking -----------------------------------------------------------------------------------


def _fmt(moment: datetime) -> str:
    return vn_datetime(moment)


def certificate_check_dates(cert: x509.Certificate, *, at: datetime) -> None:
    if at < cert.not_valid_before_utc:
        raise ValidationFailed(
            f"Chứng thư số chưa đến thời hạn sử dụng (có hiệu lực từ {_fmt(cert.not_valid_before_utc)}).",
            code="certificate_not_yet_valid",
        )
    if at > cert.not_valid_after_utc:
        raise ValidationFailed(
            f"Chứng thư số đã hết hạn từ {_fmt(cert.not_valid_after_utc)}; không thể dùng để ký.",
            code="certificate_expired",
        )


def certificate_check_signing_usage(cert: x509.Certificate) -> None:
    if is_ca(cert):
        raise ValidationFailed(
            "Đây là chứng thư số của tổ chức cung cấp dịch vụ chứng thực, không dùng để ký văn bản.",
            code="certificate_no_signing_usage",
        )
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return  # RFC 5280: no KeyUsage extension means no restriction
    if not (ku.digital_signature or ku.content_commitment):
        raise ValidationFailed(
            "Chứng thư số không có mục đích sử dụng ký số (digitalSignature/nonRepudiation); "
            "không thể dùng để ký văn bản.",
            code="certificate_no_signing_usage",
        )


@outside_event_loop
def certificate_check_chain(
    cert: x509.Certificate, *, chain: Sequence[x509.Certificate], trust: TrustStore, at: datetime
) -> None:
    """The certificate chains to a root of ``trust`` and is not revoked on a CRL known to us.

    Revocation is "soft-fail": a certificate whose CA publishes no CRL we hold is not refused here (the
    registry's own ``revoked_at`` flag is checked by the caller); a CRL that lists it is decisive.
    """
    context = ValidationContext(
        trust_roots=[to_asn1_certificate(c) for c in trust.roots],
        other_certs=[to_asn1_certificate(c) for c in (*chain, *trust.extra_certs)],
        crls=[to_asn1_crl(c) for c in trust.crls],
        moment=at,
        allow_fetching=trust.allow_fetching,
        revocation_mode="soft-fail",
    )
    validator = CertificateValidator(to_asn1_certificate(cert), validation_context=context)
    try:
        asyncio.run(validator.async_validate_path())
    except cv_errors.RevokedError as exc:
        raise ValidationFailed(
            f"Chứng thư số đã bị thu hồi từ {_fmt(exc.revocation_dt)}; không thể dùng để ký.",
            code="certificate_revoked",
        ) from exc
    except cv_errors.ExpiredError as exc:
        raise ValidationFailed(
            "Một chứng thư số trong chuỗi chứng thực đã hết hạn.", code="certificate_chain_expired"
        ) from exc
    except (cv_errors.PathBuildingError, cv_errors.PathValidationError, cv_errors.ValidationError) as exc:
        raise ValidationFailed(
            "Chứng thư số không được cấp bởi tổ chức chứng thực nằm trong danh sách tin cậy của hệ thống.",
            code="certificate_untrusted",
        ) from exc


def certificate_check_usable(
    material: KeyMaterial, *, trust: TrustStore, at: datetime | None = None
) -> None:
    """Everything that must hold before a certificate may sign: dates, usage, chain, revocation."""
    moment = at or datetime.now(UTC)
    certificate_check_dates(material.certificate, at=moment)
    certificate_check_signing_usage(material.certificate)
    certificate_check_chain(material.certificate, chain=material.chain, trust=trust, at=moment)
