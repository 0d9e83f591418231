"""Test helpers for any app that signs (the one-stop shop, documents): a ready PKI in one call.

    from tinhso.signing.testing import fast_keys, signing_setup

    def test_result_is_signed(db, fast_keys):
        pki = signing_setup(agency=agency, leader=leader, clerk=clerk)
        signed = pdf_sign(actor=leader, pdf=pdf, certificate=pki.personal, kind="personal", reason="…")

RSA key generation takes 50–200 ms; ``fast_keys`` makes ``pki.key_generate`` hand out keys from a small
pool generated once per test session, which keeps suites that build many certificates fast.
"""

from __future__ import annotations

import itertools
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from tinhso.signing import pki

KEY_POOL_SIZE = 12


@lru_cache(maxsize=1)
def _key_pool() -> tuple:
    return tuple(pki.rsa.generate_private_key(public_exponent=65537, key_size=pki.RSA_KEY_SIZE)
                 for _ in range(KEY_POOL_SIZE))


_next_key = itertools.cycle(range(KEY_POOL_SIZE))


def pooled_key():
    return _key_pool()[next(_next_key)]


@pytest.fixture
def fast_keys(monkeypatch):
    """Hand out pre-generated RSA keys (distinct within any run of 12 consecutive certificates)."""
    monkeypatch.setattr(pki, "key_generate", pooled_key)


@dataclass(frozen=True)
class SigningSetup:
    personal: object | None  # Certificate of the leader
    agency: object | None  # Certificate of the agency


def signing_setup(*, agency=None, leader=None, clerk=None) -> SigningSetup:
    """Demo CA + TSA, and demo certificates for ``leader`` (personal) and ``agency`` (with its seal).

    ``clerk`` is only documentation: the văn thư uses the agency certificate through their role.
    """
    from tinhso.signing.services import certificate_generate_demo
    from tinhso.signing.services.authorities import authority_demo_ca_ensure, authority_tsa_ensure
    from tinhso.signing.stamps import seal_image_generate, signature_image_generate

    authority_demo_ca_ensure(actor=None, organization="UBND tỉnh Thử Nghiệm")
    authority_tsa_ensure(actor=None, organization="UBND tỉnh Thử Nghiệm")
    personal = agency_cert = None
    if leader is not None:
        name = leader.full_name or leader.get_username()
        personal = certificate_generate_demo(
            actor=None, owner_user=leader, organization=agency.name if agency else "",
            image_png=signature_image_generate(name=name),
        )
    if agency is not None:
        agency_cert = certificate_generate_demo(
            actor=None, owner_agency=agency, image_png=seal_image_generate(agency_name=agency.name)
        )
    return SigningSetup(personal=personal, agency=agency_cert)


@dataclass(frozen=True)
class PdfsigResult:
    returncode: int
    output: str

    @property
    def all_valid_and_trusted(self) -> bool:
        signatures = self.output.count("Signature #")
        return (
            signatures > 0
            and self.output.count("Signature Validation: Signature is Valid.") == signatures
            and self.output.count("Certificate Validation: Certificate is Trusted.") == signatures
        )


def pdfsig_check(pdf: bytes, *, trusted_roots_pem: list[str]) -> PdfsigResult:
    """Ask poppler's ``pdfsig`` (an independent implementation, NSS underneath) about ``pdf``.

    The roots are installed as trusted CAs in a throw-away NSS database (stack-notes §5).
    """
    pdfsig, certutil = shutil.which("pdfsig"), shutil.which("certutil")
    if not pdfsig or not certutil:
        message = "pdfsig/certutil missing: apt install poppler-utils libnss3-tools (.ci/run installs them)"
        # `make test` on a machine with only Python skips the independent check; CI requires it.
        if os.environ.get("TINHSO_REQUIRE_SYSTEM_TOOLS"):
            raise RuntimeError(message)
        import pytest

        pytest.skip(message)
    with tempfile.TemporaryDirectory(prefix="tinhso-nss-") as tmp:
        db = f"sql:{tmp}"
        subprocess.run([certutil, "-N", "--empty-password", "-d", db], check=True, capture_output=True)  # noqa: S603
        for index, pem in enumerate(trusted_roots_pem):
            root = Path(tmp) / f"root{index}.pem"
            root.write_text(pem)
            subprocess.run(  # noqa: S603
                [certutil, "-A", "-n", f"root{index}", "-t", "CT,C,C", "-i", str(root), "-d", db],
                check=True, capture_output=True,
            )
        target = Path(tmp) / "document.pdf"
        target.write_bytes(pdf)
        done = subprocess.run([pdfsig, "-nssdir", db, str(target)], capture_output=True, text=True)  # noqa: S603
        return PdfsigResult(returncode=done.returncode, output=done.stdout + done.stderr)
