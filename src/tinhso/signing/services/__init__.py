"""Writes of the signing app (see the modules): certificates, authorities, signing, the demo PKI."""

from tinhso.signing.services.authorities import (
    crl_refresh,
    demo_ca_certificate_der,
    demo_ca_crl_der,
    timestamper_get,
    trust_anchor_add,
    tsa_respond,
)
from tinhso.signing.services.certificates import (
    certificate_generate_demo,
    certificate_image_set,
    certificate_import_pkcs12,
    certificate_revoke,
)
from tinhso.signing.services.demo import PkiDemoSummary, pki_demo_init
from tinhso.signing.services.documents import certificate_use_check, pdf_sign, pdf_sign_system, pdf_verify

__all__ = [
    "PkiDemoSummary",
    "certificate_generate_demo",
    "certificate_image_set",
    "certificate_import_pkcs12",
    "certificate_revoke",
    "certificate_use_check",
    "crl_refresh",
    "demo_ca_certificate_der",
    "demo_ca_crl_der",
    "pdf_sign",
    "pdf_sign_system",
    "pdf_verify",
    "pki_demo_init",
    "timestamper_get",
    "trust_anchor_add",
    "tsa_respond",
]
