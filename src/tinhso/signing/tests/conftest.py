"""Shared fixtures: a model-free PKI built once per session, sample PDFs, and a database PKI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from tinhso.core.pdf import font_face_css
from tinhso.signing import pki
from tinhso.signing.pades import Appearance, pdf_sign_bytes
from tinhso.signing.stamps import seal_image_generate, signature_image_generate
from tinhso.signing.testing import fast_keys, pooled_key  # noqa: F401 - fixture re-exported
from tinhso.signing.tsa import LocalTimeStamper, TimestampAuthority

LEADER_NAME = "Nguyễn Văn Hùng"
# Never fetched (allow_fetching is off): pyhanko-certvalidator only consults CRLs for certificates
# that name a distribution point, as the demo CA's certificates do.
CRL_URL = "http://127.0.0.1:8000/pki/crl/demo-root.crl"
AGENCY_NAME = "Ủy ban nhân dân tỉnh Phú Thọ"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Factories hash a password per user; PBKDF2 at full strength costs over a second each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass(frozen=True)
class LibraryPki:
    root: pki.KeyMaterial
    tsa: pki.KeyMaterial
    leader: pki.KeyMaterial
    agency: pki.KeyMaterial
    crl: object
    trust: pki.TrustStore

    @property
    def root_pem(self) -> str:
        return pki.certificates_to_pem([self.root.certificate])

    def timestamper(self, **kwargs) -> LocalTimeStamper:
        return LocalTimeStamper(TimestampAuthority(material=self.tsa, **kwargs))


@pytest.fixture(scope="session")
def lib_pki() -> LibraryPki:
    root = pki.ca_create(
        subject=pki.name_build(common_name="Tỉnh Số CA thử nghiệm", organization="UBND tỉnh Phú Thọ (THỬ NGHIỆM)"),
        key=pooled_key(),
    )
    tsa = pki.certificate_issue(issuer=root, subject=pki.name_build(common_name="Tỉnh Số TSA"), purpose="tsa",
                                key=pooled_key(), crl_url=CRL_URL)
    leader = pki.certificate_issue(
        issuer=root, subject=pki.name_build(common_name=LEADER_NAME, organization=AGENCY_NAME), key=pooled_key(),
        crl_url=CRL_URL,
    )
    agency = pki.certificate_issue(
        issuer=root, subject=pki.name_build(common_name=AGENCY_NAME, organization=AGENCY_NAME), key=pooled_key(),
        crl_url=CRL_URL,
    )
    crl = pki.crl_issue(issuer=root, revoked=[], number=1)
    return LibraryPki(root=root, tsa=tsa, leader=leader, agency=agency, crl=crl,
                      trust=pki.TrustStore(roots=(root.certificate,), crls=(crl,)))


def result_html(pages: int = 2) -> str:
    paragraph = (
        "<p>Căn cứ Luật Tổ chức chính quyền địa phương; xét đề nghị của ông Nguyễn Văn Ấn về việc cấp giấy "
        "phép xây dựng nhà ở riêng lẻ tại phường Việt Trì, tỉnh Phú Thọ, Ủy ban nhân dân tỉnh quyết định "
        "chấp thuận hồ sơ với các điều kiện kèm theo.</p>"
    )
    body = "".join(
        f"<section style='page-break-after: {'always' if i < pages - 1 else 'auto'}'>"
        f"<h2>Điều {i + 1}.</h2>{paragraph * 6}</section>"
        for i in range(pages)
    )
    return (
        "<html><head><meta charset='utf-8'><style>@page{size:A4;margin:20mm 15mm 20mm 30mm}"
        "body{font-family:'Times New Roman',serif;font-size:13pt}</style></head><body>"
        "<p style='text-align:center'><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><br><b>Độc lập - Tự do - Hạnh phúc"
        f"</b></p><h1 style='text-align:center'>QUYẾT ĐỊNH</h1>{body}"
        "<p style='text-align:right;margin-right:25mm'><b>CHỦ TỊCH</b></p></body></html>"
    )


@pytest.fixture(scope="session")
def result_pdf() -> bytes:
    """A two-page A4 result with Vietnamese text, as the one-stop shop produces."""
    # The bundled fonts, as the one-stop shop renders: the system's fonts differ between machines.
    font_config = FontConfiguration()
    fonts = CSS(string=font_face_css(), font_config=font_config)
    return HTML(string=result_html(2)).write_pdf(stylesheets=[fonts], font_config=font_config)


@pytest.fixture(scope="session")
def signature_png() -> bytes:
    return signature_image_generate(name=LEADER_NAME)


@pytest.fixture(scope="session")
def seal_png() -> bytes:
    return seal_image_generate(agency_name=AGENCY_NAME)


@pytest.fixture(scope="session")
def leader_signed(lib_pki, result_pdf, signature_png) -> bytes:
    return pdf_sign_bytes(
        pdf=result_pdf, material=lib_pki.leader,
        appearance=Appearance(kind="personal", signer_name=LEADER_NAME, image_png=signature_png),
        timestamper=lib_pki.timestamper(), reason="Phê duyệt kết quả", location="Phú Thọ", trust=lib_pki.trust,
    ).pdf


@pytest.fixture(scope="session")
def both_signed(lib_pki, leader_signed, seal_png) -> bytes:
    return pdf_sign_bytes(
        pdf=leader_signed, material=lib_pki.agency,
        appearance=Appearance(kind="agency", agency_name=AGENCY_NAME, image_png=seal_png),
        timestamper=lib_pki.timestamper(), reason="Phát hành", location="Phú Thọ", trust=lib_pki.trust,
    ).pdf


def flip_byte(pdf: bytes, offset: int = 12) -> bytes:
    """One byte changed inside the first signed byte range (the binary comment after the header)."""
    data = bytearray(pdf)
    data[offset] ^= 0x01
    return bytes(data)


def days_ago(n: int) -> datetime:
    return datetime.now(UTC) - timedelta(days=n)
