"""The directory of peers: who serves an agency code, how to reach it, which certificates may sign for
it, and which credential a caller presents (docs/exchange.md "Directory")."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from fnmatch import fnmatchcase

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db import transaction

from tinhso.core.audit import audit_record
from tinhso.core.errors import NotFound, ValidationFailed
from tinhso.exchange.errors import ExchangeError
from tinhso.exchange.models import Peer
from tinhso.signing.keystore import secret_decrypt, secret_encrypt
from tinhso.signing.pki import certificates_from_pem


def credential_hash(credential: str) -> str:
    return hashlib.sha256(credential.encode("utf-8")).hexdigest()


def credential_new() -> str:
    return secrets.token_urlsafe(32)


def _specificity(pattern: str) -> tuple[int, int]:
    return (0 if "*" in pattern else 1, len(pattern.replace("*", "")))


def peer_for(code: str) -> Peer | None:
    """The active directory entry for ``code``: an exact code first, else the longest pattern."""
    matching = [p for p in Peer.objects.filter(is_active=True) if fnmatchcase(code.upper(), p.code_pattern.upper())]
    return max(matching, key=lambda p: _specificity(p.code_pattern), default=None)


def peer_authenticate(credential: str) -> Peer | None:
    if not credential:
        return None
    return Peer.objects.filter(is_active=True, accept_credential_hash=credential_hash(credential)).first()


@dataclass(frozen=True)
class Route:
    url: str
    credential: str
    peer: Peer | None
    via_hub: bool


def route_for(code: str) -> Route:
    """Where a message for ``code`` goes: the peer's own address, else the hub (``TINHSO_EXCHANGE_HUB_URL``)."""
    peer = peer_for(code)
    if peer is not None and peer.endpoint:
        return Route(url=peer.endpoint.rstrip("/"), credential=secret_decrypt(peer.send_credential), peer=peer, via_hub=False)
    if settings.TINHSO_EXCHANGE_HUB_URL:
        return Route(url=settings.TINHSO_EXCHANGE_HUB_URL.rstrip("/"),
                     credential=settings.TINHSO_EXCHANGE_HUB_CREDENTIAL, peer=peer, via_hub=True)
    raise ValidationFailed(f"Không có địa chỉ liên thông cho cơ quan {code} (danh bạ liên thông, trục tỉnh).",
                           code=ExchangeError.NO_ROUTE)


def signer_allowed(code: str, signer: x509.Certificate) -> bool:
    """Whether ``signer`` may sign for ``code``: it is, or was issued by, a certificate the directory lists."""
    peer = peer_for(code)
    if peer is None or not peer.certificate_pem:
        return False
    listed = certificates_from_pem(peer.certificate_pem)
    fingerprint = signer.fingerprint(hashes.SHA256())
    for cert in listed:
        if cert.fingerprint(hashes.SHA256()) == fingerprint:
            return True
        if cert.subject == signer.issuer:
            try:
                signer.verify_directly_issued_by(cert)
            except Exception:  # noqa: BLE001, S112 - any failure (wrong key, algorithm): not issued by it
                continue
            return True
    return False


def _certificate_clean(text: str) -> str:
    if not text.strip():
        return ""
    try:
        certificates_from_pem(text)
    except ValueError:
        raise ValidationFailed("Chứng thư số phải ở dạng PEM.", code=ExchangeError.CERTIFICATE_INVALID) from None
    return text.strip() + "\n"


@transaction.atomic
def peer_save(*, actor, code_pattern: str, name: str, endpoint: str = "", certificate_pem: str = "",
              send_credential: str = "", accept_credential: str = "", is_hub: bool = False) -> Peer:
    """Add or update a directory entry (admin, ``tinhso exchange peer add``)."""
    pattern = code_pattern.strip().upper()
    if not pattern or len(pattern) > 40 or any(c.isspace() for c in pattern):
        raise ValidationFailed("Mã định danh (mẫu) không hợp lệ.", code=ExchangeError.PEER_PATTERN_INVALID)
    if endpoint and not endpoint.startswith(("http://", "https://")):
        raise ValidationFailed("Địa chỉ liên thông phải bắt đầu bằng http:// hoặc https://.",
                               code=ExchangeError.PEER_ENDPOINT_INVALID)
    peer = Peer.objects.filter(code_pattern=pattern).first() or Peer(code_pattern=pattern)
    peer.name, peer.endpoint, peer.is_hub, peer.is_active = name.strip() or pattern, endpoint.strip(), is_hub, True
    if certificate_pem:
        peer.certificate_pem = _certificate_clean(certificate_pem)
    if send_credential:
        peer.send_credential = secret_encrypt(send_credential)
    if accept_credential:
        peer.accept_credential_hash = credential_hash(accept_credential)
    peer.save()
    audit_record(actor=actor, action="exchange.peer_saved", target=peer, data={"pattern": pattern, "endpoint": endpoint})
    return peer


@transaction.atomic
def peer_remove(*, actor, code_pattern: str) -> None:
    peer = Peer.objects.filter(code_pattern=code_pattern.strip().upper()).first()
    if peer is None:
        raise NotFound("Không có hệ thống này trong danh bạ liên thông.", code=ExchangeError.PEER_NOT_FOUND)
    peer.is_active = False
    peer.save(update_fields=["is_active"])
    audit_record(actor=actor, action="exchange.peer_removed", target=peer, data={"pattern": peer.code_pattern})
