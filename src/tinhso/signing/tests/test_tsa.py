"""The built-in RFC 3161 authority: protocol checks in-process, and a real HTTP round trip."""

from __future__ import annotations

import hashlib
import io

import pytest
from asn1crypto import algos, tsp
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import HTTPTimeStamper
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from tinhso.signing import pki
from tinhso.signing.pades import Appearance, pdf_sign_bytes
from tinhso.signing.tsa import (
    CONTENT_TYPE_QUERY,
    CONTENT_TYPE_REPLY,
    DEFAULT_POLICY_OID,
    TimestampAuthority,
    TimeStampResponse,
)


def _request(digest: bytes, algorithm: str = "sha256", *, nonce: int | None = 4242, cert_req: bool = True, **extra):
    fields = {
        "version": "v1",
        "message_imprint": tsp.MessageImprint({
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": algorithm}), "hashed_message": digest,
        }),
        "cert_req": cert_req,
        **extra,
    }
    if nonce is not None:
        fields["nonce"] = nonce
    return tsp.TimeStampReq(fields)


def test_granted_token_echoes_imprint_and_nonce(lib_pki):
    digest = hashlib.sha256(b"ho so").digest()
    response = TimestampAuthority(material=lib_pki.tsa).respond(_request(digest))
    assert response["status"]["status"].native == "granted"
    signed_data = response["time_stamp_token"]["content"]
    info = signed_data["encap_content_info"]["content"].parsed
    assert info["message_imprint"]["hashed_message"].native == digest
    assert info["nonce"].native == 4242
    assert info["policy"].dotted == DEFAULT_POLICY_OID
    # certReq honoured: the TSA certificate travels with the token (RFC 3161 §2.4.1)
    embedded = {c.chosen.sha256 for c in signed_data["certificates"]}
    assert pki.to_asn1_certificate(lib_pki.tsa.certificate).sha256 in embedded
    attrs = {a["type"].native for a in signed_data["signer_infos"][0]["signed_attrs"]}
    assert "signing_certificate_v2" in attrs  # RFC 5816, not the SHA-1 ESSCertID


def test_certificates_left_out_when_not_requested(lib_pki):
    response = TimestampAuthority(material=lib_pki.tsa).respond(_request(b"\0" * 32, cert_req=False))
    assert response["status"]["status"].native == "granted"
    assert not response["time_stamp_token"]["content"]["certificates"].native


@pytest.mark.parametrize(
    ("request_kwargs", "fail_info"),
    [
        ({"digest": b"\0" * 20, "algorithm": "sha1"}, "bad_alg"),
        ({"digest": b"\0" * 16}, "bad_data_format"),
        ({"digest": b"\0" * 32, "req_policy": "1.2.3.4"}, "unaccepted_policy"),
    ],
)
def test_bad_requests_are_rejected_with_failure_info(lib_pki, request_kwargs, fail_info):
    response = TimestampAuthority(material=lib_pki.tsa).respond(_request(**request_kwargs))
    assert response["status"]["status"].native == "rejection"
    assert fail_info in response["status"]["fail_info"].native
    assert not response["time_stamp_token"].native
    assert TimeStampResponse.load(response.dump())["status"]["status"].native == "rejection"


def test_garbage_bytes_get_a_rejection_not_an_exception(lib_pki):
    answer = TimeStampResponse.load(TimestampAuthority(material=lib_pki.tsa).respond_der(b"\x30\x03garbage"))
    assert answer["status"]["status"].native == "rejection"
    assert "bad_data_format" in answer["status"]["fail_info"].native


@pytest.mark.django_db(transaction=True)
def test_http_endpoint_serves_pyhanko_http_timestamper(live_server, fast_keys, result_pdf, lib_pki):
    from tinhso.signing.models import Authority
    from tinhso.signing.selectors import authority_material, trust_store_get
    from tinhso.signing.services.authorities import authority_demo_ca_ensure, authority_tsa_ensure

    authority_demo_ca_ensure(actor=None, organization="UBND tỉnh Phú Thọ")
    authority_tsa_ensure(actor=None, organization="UBND tỉnh Phú Thọ")
    trust = trust_store_get()
    ca = authority_material(Authority.objects.get(purpose=Authority.Purpose.ROOT_CA))
    signer = pki.certificate_issue(issuer=ca, subject=pki.name_build(common_name="Đào Thị Thời Gian"))

    signed = pdf_sign_bytes(
        pdf=result_pdf, material=signer, appearance=Appearance(kind="personal", signer_name="Đào Thị Thời Gian"),
        timestamper=HTTPTimeStamper(f"{live_server.url}/tsa"), trust=trust,
    ).pdf

    context = ValidationContext(trust_roots=[pki.to_asn1_certificate(r) for r in trust.roots])
    status = validate_pdf_signature(PdfFileReader(io.BytesIO(signed)).embedded_signatures[0], context)
    assert status.bottom_line
    tsa_cert = pki.certificates_from_pem(Authority.objects.get(purpose=Authority.Purpose.TSA).certificate_pem)[0]
    assert status.timestamp_validity.trusted
    assert status.timestamp_validity.signing_cert.sha256 == pki.to_asn1_certificate(tsa_cert).sha256


@pytest.mark.django_db
def test_http_endpoint_protocol_errors(client, fast_keys):
    from tinhso.signing.services.authorities import authority_demo_ca_ensure, authority_tsa_ensure

    assert client.post("/tsa", data=b"x", content_type=CONTENT_TYPE_QUERY).status_code == 503  # no TSA yet
    authority_demo_ca_ensure(actor=None, organization="UBND tỉnh Phú Thọ")
    authority_tsa_ensure(actor=None, organization="UBND tỉnh Phú Thọ")
    assert client.get("/tsa").status_code == 405
    assert client.post("/tsa", data=b"x", content_type="application/json").status_code == 415
    der = _request(hashlib.sha256(b"x").digest()).dump()
    response = client.post("/tsa", data=der, content_type=CONTENT_TYPE_QUERY)
    assert response.status_code == 200 and response["Content-Type"] == CONTENT_TYPE_REPLY
    assert tsp.TimeStampResp.load(response.content)["status"]["status"].native == "granted"
