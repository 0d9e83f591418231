"""XML signature of an edXML package (XML-DSig, enveloped, RSA-SHA256, exclusive c14n) with an RFC 3161
timestamp, and its verification. No database here: keys, trust and the timestamper come in.

- Signing and canonicalisation are signxml's; timestamp tokens are pyHanko's (the same TSA as the PDF
  signatures). Nothing here hand-rolls either.
- The whole package is signed (``URI=""``): header, trace, manifest and the base64 attachments, so a
  byte changed anywhere breaks the signature.
- The timestamp covers the SignatureValue (as XAdES ``SignatureTimeStamp`` does) and sits in a
  ``ds:Object`` inside the signature, which the enveloped transform leaves out of the digest.
- ``KeyInfo`` carries the signer's certificate and its chain, so a message verifies years later on a
  machine that only has the trust roots.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import inspect
from dataclasses import dataclass
from datetime import UTC, datetime

from asn1crypto import cms, tsp
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from lxml import etree
from pyhanko_certvalidator import CertificateValidator, ValidationContext
from signxml import CanonicalizationMethod, DigestAlgorithm, SignatureMethod, XMLSigner, XMLVerifier
from signxml.exceptions import InvalidInput, InvalidSignature
from signxml.verifier import SignatureConfiguration

from tinhso.exchange.edxml import DSIG, NS
from tinhso.signing.loops import outside_event_loop
from tinhso.signing.pki import KeyMaterial, TrustStore, to_asn1_certificate, to_asn1_crl

TIMESTAMP_TAG = f"{{{NS}}}SignatureTimeStamp"


@dataclass(frozen=True)
class SignatureCheck:
    ok: bool
    code: str = ""  # stable, for the refusal and the log: "" when ok
    reason: str = ""  # Vietnamese, for the status 02 description and the clerk
    signer: x509.Certificate | None = None
    signed_at: datetime | None = None  # the timestamp's time (UTC)

    @property
    def signer_name(self) -> str:
        if self.signer is None:
            return ""
        attrs = self.signer.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(attrs[0].value) if attrs else self.signer.subject.rfc4514_string()

    @property
    def fingerprint(self) -> str:
        from cryptography.hazmat.primitives import hashes

        return self.signer.fingerprint(hashes.SHA256()).hex() if self.signer is not None else ""


def _run(value):
    return asyncio.run(value) if inspect.isawaitable(value) else value


def _signature_value_digest(signature: etree._Element) -> bytes:
    value = signature.find(f"{{{DSIG}}}SignatureValue")
    return hashlib.sha256(base64.b64decode("".join((value.text or "").split()))).digest()


@outside_event_loop  # pyHanko's timestamp and path validation run their own event loop
def sign(root: etree._Element, *, material: KeyMaterial, timestamper) -> bytes:
    """Sign ``root`` (built with a ``ds:Signature Id="placeholder"``) and return the bytes to send."""
    signer = XMLSigner(signature_algorithm=SignatureMethod.RSA_SHA256, digest_algorithm=DigestAlgorithm.SHA256,
                       c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0)
    pems = [c.public_bytes(serialization.Encoding.PEM).decode() for c in (material.certificate, *material.chain)]
    signed = signer.sign(root, key=material.private_key, cert=pems)
    signature = signed.find(f".//{{{DSIG}}}Signature")
    token = _run(timestamper.async_timestamp(_signature_value_digest(signature), "sha256"))
    obj = etree.SubElement(signature, f"{{{DSIG}}}Object")
    etree.SubElement(obj, TIMESTAMP_TAG).text = base64.b64encode(token.dump()).decode("ascii")
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


def _context(trust: TrustStore, moment: datetime, extra: list[x509.Certificate]) -> ValidationContext:
    return ValidationContext(
        trust_roots=[to_asn1_certificate(c) for c in trust.roots],
        other_certs=[to_asn1_certificate(c) for c in (*trust.extra_certs, *extra)],
        crls=[to_asn1_crl(c) for c in trust.crls], allow_fetching=trust.allow_fetching,
        revocation_mode="soft-fail", moment=moment)


def _certificates(signature: etree._Element) -> list[x509.Certificate]:
    found = []
    for node in signature.iter(f"{{{DSIG}}}X509Certificate"):
        found.append(x509.load_der_x509_certificate(base64.b64decode("".join((node.text or "").split()))))
    return found


def _timestamp_time(signature: etree._Element, trust: TrustStore, extra) -> datetime | None:
    """The verified time of the signature's timestamp, ``None`` when absent or not valid."""
    from pyhanko.sign.validation.generic_cms import validate_tst_signed_data

    node = signature.find(f"{{{DSIG}}}Object/{TIMESTAMP_TAG}")
    if node is None or not (node.text or "").strip():
        return None
    try:
        token = cms.ContentInfo.load(base64.b64decode("".join(node.text.split())))
        signed_data = token["content"]
        digest = _signature_value_digest(signature)
        status = _run(validate_tst_signed_data(signed_data, _context(trust, datetime.now(UTC), extra),
                                               lambda _alg: digest))
    except Exception:  # noqa: BLE001 - a broken or foreign token is "no valid timestamp", named by the caller
        return None
    intact, valid = ((status["intact"], status["valid"]) if isinstance(status, dict)
                     else (status.intact, status.valid))
    if not (intact and valid):
        return None
    info = tsp.TSTInfo.load(signed_data["encap_content_info"]["content"].parsed.dump())
    return info["gen_time"].native


@outside_event_loop
def verify(data: bytes, *, trust: TrustStore) -> SignatureCheck:
    """Check the package's signature, its timestamp and the signer's chain at the timestamp's time."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        return SignatureCheck(False, "edxml_not_xml", "Gói tin không phải XML hợp lệ.")
    # An empty ``ds:Signature`` (the builder's placeholder) is no signature.
    signatures = [s for s in root.iter(f"{{{DSIG}}}Signature") if s.find(f"{{{DSIG}}}SignedInfo") is not None]
    if not signatures:
        return SignatureCheck(False, "signature_missing", "Gói tin không có chữ ký số.")
    if len(signatures) > 1:
        return SignatureCheck(False, "signature_ambiguous", "Gói tin có nhiều hơn một chữ ký.")
    signature = signatures[0]
    certs = _certificates(signature)
    if not certs:
        return SignatureCheck(False, "signature_no_certificate", "Chữ ký không kèm chứng thư số.")
    signer = certs[0]
    # The signature is judged at the time its timestamp proves, not today: a package verifies years
    # later, after the agency's certificate has expired, as long as it was valid when it signed.
    signed_at = _timestamp_time(signature, trust, certs[1:])
    if signed_at is None:
        return SignatureCheck(False, "timestamp_invalid", "Chữ ký không có dấu thời gian hợp lệ.", signer)
    try:
        XMLVerifier().verify(data, x509_cert=signer.public_bytes(serialization.Encoding.PEM).decode(),
                             expect_config=SignatureConfiguration(verification_time=signed_at))
    except (InvalidSignature, InvalidInput) as exc:
        if "expired" in str(exc) or "not yet valid" in str(exc):
            return SignatureCheck(False, "certificate_expired",
                                  "Chứng thư số của cơ quan gửi đã hết hạn hoặc chưa có hiệu lực khi ký.", signer,
                                  signed_at)
        return SignatureCheck(False, "signature_invalid",
                              f"Chữ ký số không hợp lệ hoặc gói tin đã bị thay đổi sau khi ký ({exc}).", signer)
    validator = CertificateValidator(to_asn1_certificate(signer),
                                     intermediate_certs=[to_asn1_certificate(c) for c in certs[1:]],
                                     validation_context=_context(trust, signed_at, certs[1:]))
    try:
        _run(validator.async_validate_usage({"digital_signature"}))
    except Exception as exc:  # noqa: BLE001 - every path failure is a refusal; its kind is named below
        text = str(exc).lower()
        if "expired" in text or "not yet valid" in text or "not valid until" in text:
            return SignatureCheck(False, "certificate_expired",
                                  "Chứng thư số của cơ quan gửi đã hết hạn hoặc chưa có hiệu lực khi ký.", signer,
                                  signed_at)
        if "revoked" in text:
            return SignatureCheck(False, "certificate_revoked", "Chứng thư số của cơ quan gửi đã bị thu hồi.",
                                  signer, signed_at)
        return SignatureCheck(False, "certificate_untrusted",
                              "Chứng thư số của cơ quan gửi không thuộc nguồn tin cậy.", signer, signed_at)
    return SignatureCheck(True, signer=signer, signed_at=signed_at)
