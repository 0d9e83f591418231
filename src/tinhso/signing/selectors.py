"""Reads of the signing app: the trust store, the certificates a user may sign with, the authorities."""

from __future__ import annotations

import logging
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from tinhso.core.errors import NotFound
from tinhso.org.selectors import agencies_for
from tinhso.signing.keystore import private_key_decrypt
from tinhso.signing.models import Authority, Certificate, SignatureRecord, TrustAnchor
from tinhso.signing.pades import pdf_open
from tinhso.signing.pki import KeyMaterial, TrustStore, certificates_from_pem

logger = logging.getLogger(__name__)

# vn-standards §7.5: the agency's key is kept by the văn thư, who signs documents already signed by
# the competent person; a leader may also apply it (issue #6).
AGENCY_SIGNER_ROLES = ("clerk", "leader")


def _is_user(actor) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False) and getattr(actor, "is_active", False)


def _configured_roots() -> list[x509.Certificate]:
    roots: list[x509.Certificate] = []
    for path in settings.TINHSO_TRUST_ROOTS:
        try:
            roots.extend(certificates_from_pem(Path(path).read_bytes()))
        except (OSError, ValueError):
            # A missing or broken file must not make every signature untrusted silently.
            logger.error("TINHSO_TRUST_ROOTS: cannot read PEM certificates from %s", path)
    return roots


def trust_store_get() -> TrustStore:
    """Active trust anchors, the roots in ``TINHSO_TRUST_ROOTS`` and the CRL of the built-in CA."""
    roots = _configured_roots()
    for pem in TrustAnchor.objects.filter(is_active=True).values_list("certificate_pem", flat=True):
        roots.extend(certificates_from_pem(pem))
    crls = []
    ca = Authority.objects.filter(purpose=Authority.Purpose.ROOT_CA).first()
    if ca is not None and ca.crl_der:
        crls.append(x509.load_der_x509_crl(bytes(ca.crl_der)))
    unique = {c.fingerprint(hashes.SHA256()): c for c in roots}
    return TrustStore(
        roots=tuple(unique.values()), crls=tuple(crls), allow_fetching=settings.TINHSO_SIGNING_FETCH_REVOCATION
    )


def authority_get(*, purpose: str) -> Authority | None:
    return Authority.objects.filter(purpose=purpose).first()


def authority_material(authority: Authority) -> KeyMaterial:
    certs = certificates_from_pem(authority.certificate_pem)
    return KeyMaterial(
        certificate=certs[0],
        private_key=private_key_decrypt(authority.private_key_encrypted),
        chain=tuple(certificates_from_pem(authority.chain_pem)),
    )


def certificate_material(certificate: Certificate) -> KeyMaterial:
    """The certificate with its decrypted key, for signing only (never leaves the process)."""
    return KeyMaterial(
        certificate=certificates_from_pem(certificate.certificate_pem)[0],
        private_key=private_key_decrypt(certificate.private_key_encrypted),
        chain=tuple(certificates_from_pem(certificate.chain_pem)),
    )


def certificate_list_for(*, actor, include_unusable: bool = False) -> QuerySet[Certificate]:
    """Certificates ``actor`` may sign with: their own, and their agencies' where they are văn thư or leader.

    Revoked and expired certificates are left out unless ``include_unusable``.
    """
    if not _is_user(actor):
        return Certificate.objects.none()
    agencies = agencies_for(user=actor, role=AGENCY_SIGNER_ROLES)
    certificates = Certificate.objects.filter(Q(owner_user=actor) | Q(owner_agency__in=agencies))
    if not include_unusable:
        certificates = certificates.filter(revoked_at__isnull=True, not_after__gt=timezone.now())
    return certificates.select_related("owner_agency", "owner_user").order_by("owner_agency__code", "-not_after", "id")


def certificate_get(*, ref: str | int) -> Certificate:
    """A certificate by id or SHA-256 fingerprint; whether the caller may use it is the service's call."""
    text = str(ref).strip().lower().replace(":", "")
    certificates = Certificate.objects.select_related("owner_agency", "owner_user")
    found = None
    if text.isdigit():
        found = certificates.filter(pk=int(text)).first()
    elif len(text) == 64:
        found = certificates.filter(fingerprint_sha256=text).first()
    if found is None:
        raise NotFound("Không tìm thấy chứng thư số.", code="certificate_not_found")
    return found


def certificate_current(*, user=None, agency=None) -> Certificate | None:
    """The certificate a person (``user``) or an agency signs with now: not revoked, valid today, the
    one that stays valid longest. ``None`` when there is none (the caller decides whether that blocks)."""
    if (user is None) == (agency is None):
        raise ValueError("certificate_current needs exactly one of user, agency")
    now = timezone.now()
    owner = {"owner_user": user} if user is not None else {"owner_agency": agency}
    return (Certificate.objects.filter(revoked_at__isnull=True, not_before__lte=now, not_after__gt=now, **owner)
            .select_related("owner_agency", "owner_user").order_by("-not_after", "-id").first())


def signature_kinds_on(*, sha256: str) -> list[str]:
    """Kinds of the signatures the platform added to the document with this SHA-256, oldest first.

    Each signature is an incremental update whose record keeps the hashes before and after, so the
    chain is followed back from the current bytes. Signatures made elsewhere (an uploaded PDF signed
    with a token) are not in it: count them with :func:`pdf_signature_count`.
    """
    kinds: list[str] = []
    seen: set[str] = set()
    current = sha256
    while current and current not in seen:
        seen.add(current)
        record = (SignatureRecord.objects.filter(document_sha256_after=current)
                  .values("kind", "document_sha256_before").first())
        if record is None:
            break
        kinds.append(record["kind"])
        current = record["document_sha256_before"]
    return list(reversed(kinds))


def pdf_signature_count(*, pdf: bytes) -> int:
    """How many signatures (not document timestamps) a PDF carries, without validating them."""
    return len(pdf_open(pdf).embedded_regular_signatures)
