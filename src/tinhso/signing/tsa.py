"""The built-in RFC 3161 time-stamp authority, usable in-process and over HTTP (``POST /tsa``).

pyHanko's ``DummyTimeStamper`` is a test device (SHA-1 ESS identifiers, RSA only, no request checks).
This authority follows RFC 3161 with RFC 5816 (ESSCertIDv2): it checks the request (hash algorithm,
imprint length, policy, extensions), echoes the nonce, includes its certificate only when asked
(``certReq``) and answers a rejection with a PKIFailureInfo instead of raising.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Callable
from datetime import UTC, datetime

from asn1crypto import algos, cms, core, tsp, x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from pyhanko.sign.general import as_signing_certificate_v2, simple_cms_attribute
from pyhanko.sign.timestamps import HTTPTimeStamper, TimeStamper

from tinhso.signing.pki import KeyMaterial, to_asn1_certificate

logger = logging.getLogger(__name__)

# A UUID-derived OID (ITU-T X.667, arc 2.25) needs no registration; it names this platform's policy.
DEFAULT_POLICY_OID = "2.25.214863844648457044067789772247938161472"
CONTENT_TYPE_QUERY = "application/timestamp-query"
CONTENT_TYPE_REPLY = "application/timestamp-reply"

_DIGEST_SIZES = {"sha256": 32, "sha384": 48, "sha512": 64, "sha3_256": 32, "sha3_384": 48, "sha3_512": 64}
_CRYPTO_HASHES = {"sha256": hashes.SHA256, "sha384": hashes.SHA384, "sha512": hashes.SHA512}


class TimeStampResponse(core.Sequence):
    """RFC 3161 TimeStampResp. asn1crypto marks ``timeStampToken`` mandatory, but a rejection has none."""

    _fields = [
        ("status", tsp.PKIStatusInfo),
        ("time_stamp_token", cms.ContentInfo, {"optional": True}),
    ]


class TimestampAuthority:
    """Issues time-stamp tokens with one TSA certificate (critical EKU timeStamping, RFC 3161 §2.3)."""

    def __init__(
        self,
        *,
        material: KeyMaterial,
        policy_oid: str = DEFAULT_POLICY_OID,
        clock: Callable[[], datetime] | None = None,
        accuracy_seconds: int = 1,
    ):
        if material.private_key is None:
            raise ValueError("a time-stamp authority needs its private key")
        self.material = material
        self.policy_oid = policy_oid
        self.clock = clock or (lambda: datetime.now(UTC))
        self.accuracy_seconds = accuracy_seconds
        self._cert = to_asn1_certificate(material.certificate)
        self._chain = [to_asn1_certificate(c) for c in material.chain]
        # The parts that never change, encoded once: asn1crypto re-encodes nested structures on
        # every dump(), which made a token cost ~0.15 s; objects loaded from DER dump their bytes as is.
        self._ess_attribute_der = simple_cms_attribute(
            "signing_certificate_v2", as_signing_certificate_v2(self._cert, "sha256")
        ).dump()
        self._sid_der = cms.SignerIdentifier({
            "issuer_and_serial_number": cms.IssuerAndSerialNumber({
                "issuer": self._cert.issuer, "serial_number": self._cert.serial_number,
            })
        }).dump()
        self._certs_der = [c.dump() for c in (self._cert, *self._chain)]

    # --- the protocol ---------------------------------------------------------------------------

    def respond_der(self, data: bytes) -> bytes:
        """DER TimeStampResp for a DER TimeStampReq; malformed input gets a ``badDataFormat`` rejection."""
        try:
            request = tsp.TimeStampReq.load(data, strict=True)
            request.native  # force a full parse: asn1crypto parses lazily  # noqa: B018
        except (ValueError, TypeError) as exc:
            logger.info("TSA: malformed request (%s)", exc)
            return self._rejection("bad_data_format", "Malformed TimeStampReq").dump()
        return self.respond(request).dump()

    def respond(self, request: tsp.TimeStampReq) -> TimeStampResponse:
        imprint: tsp.MessageImprint = request["message_imprint"]
        algorithm = imprint["hash_algorithm"]["algorithm"].native
        if request["version"].native != "v1":
            return self._rejection("bad_request", "Unsupported request version")
        if algorithm not in _DIGEST_SIZES:
            return self._rejection("bad_alg", f"Unsupported hash algorithm {algorithm}")
        if len(imprint["hashed_message"].native) != _DIGEST_SIZES[algorithm]:
            return self._rejection("bad_data_format", "Message imprint length does not match the algorithm")
        policy = request["req_policy"].native
        if policy is not None and request["req_policy"].dotted != self.policy_oid:
            return self._rejection("unaccepted_policy", "Requested policy is not supported")
        if request["extensions"].native:
            return self._rejection("unaccepted_extensions", "Request extensions are not supported")

        gen_time = self.clock().astimezone(UTC)
        tst_info = tsp.TSTInfo({
            "version": "v1",
            "policy": self.policy_oid,
            "message_imprint": imprint,
            "serial_number": secrets.randbits(127) | 1,
            "gen_time": gen_time,
            "accuracy": {"seconds": self.accuracy_seconds},
            "nonce": request["nonce"].native,
            "tsa": x509.GeneralName(name="directory_name", value=self._cert.subject),
        })
        token = self._sign(tst_info.dump(), gen_time, include_certs=bool(request["cert_req"].native))
        return TimeStampResponse({"status": {"status": "granted"}, "time_stamp_token": token})

    # --- internals ------------------------------------------------------------------------------

    @staticmethod
    def _rejection(fail_info: str, text: str) -> TimeStampResponse:
        return TimeStampResponse({
            "status": {"status": "rejection", "status_string": [text], "fail_info": {fail_info}},
        })

    def _sign(self, tst_info_der: bytes, gen_time: datetime, *, include_certs: bool) -> cms.ContentInfo:
        signed_attrs = cms.CMSAttributes([
            simple_cms_attribute("content_type", "tst_info"),
            simple_cms_attribute("signing_time", cms.Time({"utc_time": core.UTCTime(gen_time)})),
            cms.CMSAttribute.load(self._ess_attribute_der),
            simple_cms_attribute("message_digest", hashlib.sha256(tst_info_der).digest()),
        ])
        key = self.material.private_key
        to_sign = signed_attrs.dump()
        if isinstance(key, rsa.RSAPrivateKey):
            signature = key.sign(to_sign, padding.PKCS1v15(), hashes.SHA256())
            sig_algorithm = "sha256_rsa"
        elif isinstance(key, ec.EllipticCurvePrivateKey):
            signature = key.sign(to_sign, ec.ECDSA(hashes.SHA256()))
            sig_algorithm = "sha256_ecdsa"
        else:  # pragma: no cover - KeyMaterial only carries RSA or EC keys
            raise TypeError("unsupported TSA key type")
        digest_algorithm = algos.DigestAlgorithm({"algorithm": "sha256"})
        signer_info = cms.SignerInfo({
            "version": "v1",
            "sid": cms.SignerIdentifier.load(self._sid_der),
            "digest_algorithm": digest_algorithm,
            "signed_attrs": signed_attrs,
            "signature_algorithm": algos.SignedDigestAlgorithm({"algorithm": sig_algorithm}),
            "signature": signature,
        })
        signed_data = {
            "version": "v3",
            "digest_algorithms": [digest_algorithm],
            "encap_content_info": {"content_type": "tst_info", "content": cms.ParsableOctetString(tst_info_der)},
            "signer_infos": [signer_info],
        }
        if include_certs:
            signed_data["certificates"] = [
                cms.CertificateChoices({"certificate": x509.Certificate.load(der)}) for der in self._certs_der
            ]
        return cms.ContentInfo({"content_type": "signed_data", "content": cms.SignedData(signed_data)})


class LocalTimeStamper(TimeStamper):
    """pyHanko's TimeStamper interface over an in-process :class:`TimestampAuthority`."""

    def __init__(self, authority: TimestampAuthority):
        super().__init__(include_nonce=True)
        self.authority = authority

    async def async_request_tsa_response(self, req: tsp.TimeStampReq) -> tsp.TimeStampResp:
        return tsp.TimeStampResp.load(self.authority.respond(req).dump())


def http_timestamper(url: str, *, timeout: int = 10) -> TimeStamper:
    """An RFC 3161 client for an external authority (``TINHSO_TSA_URL``)."""
    return HTTPTimeStamper(url, timeout=timeout)
