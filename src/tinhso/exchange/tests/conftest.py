"""A remote province's system (its own CA, TSA and agency certificate, kept in memory as another
machine would) known to ours through the directory and the trust store; our commune and department
come from the documents fixtures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from tinhso.documents.tests.conftest import act, draft, flow, person, pki, unsigned, world  # noqa: F401
from tinhso.exchange import edxml, xmlsig
from tinhso.signing import pki as pkilib
from tinhso.signing.testing import fast_keys  # noqa: F401
from tinhso.signing.tsa import LocalTimeStamper, TimestampAuthority

REMOTE_CODE = "H36.05"
REMOTE_CREDENTIAL = "khoa-lien-thong-thai-binh-2026"


@dataclass
class Remote:
    ca: pkilib.KeyMaterial
    tsa: pkilib.KeyMaterial
    agency: pkilib.KeyMaterial
    stranger: pkilib.KeyMaterial  # a valid certificate of the same CA, of another agency
    peer: object

    @property
    def timestamper(self):
        return LocalTimeStamper(TimestampAuthority(material=self.tsa))

    def sign(self, root, *, material=None) -> bytes:
        return xmlsig.sign(root, material=material or self.agency, timestamper=self.timestamper)


@pytest.fixture
def remote(db, world, fast_keys):  # noqa: F811
    from tinhso.exchange.peers import peer_save
    from tinhso.signing.pki import certificates_to_pem
    from tinhso.signing.services.authorities import trust_anchor_add

    ca = pkilib.ca_create(subject=pkilib.name_build(common_name="CA thử nghiệm tỉnh Thái Bình"))
    tsa = pkilib.certificate_issue(issuer=ca, subject=pkilib.name_build(common_name="TSA Thái Bình"), purpose="tsa")
    agency = pkilib.certificate_issue(issuer=ca, subject=pkilib.name_build(
        common_name="Sở Nội vụ tỉnh Thái Bình", organization="Sở Nội vụ tỉnh Thái Bình"))
    stranger = pkilib.certificate_issue(issuer=ca, subject=pkilib.name_build(common_name="Công ty ABC"))
    trust_anchor_add(actor=None, certificate_pem=certificates_to_pem([ca.certificate]), name="CA Thái Bình")
    peer = peer_save(actor=None, code_pattern=REMOTE_CODE, name="Sở Nội vụ tỉnh Thái Bình",
                     endpoint="http://127.0.0.1:9/exchange/v1",
                     certificate_pem=certificates_to_pem([agency.certificate]), accept_credential=REMOTE_CREDENTIAL,
                     send_credential="khoa-gui-sang-thai-binh")
    return Remote(ca=ca, tsa=tsa, agency=agency, stranger=stranger, peer=peer)


def sample_pdf(text: str = "Công văn thử nghiệm liên thông: Đắk Lắk, Thừa Thiên Huế.") -> bytes:
    from weasyprint import HTML

    from tinhso.core.pdf import font_face_css

    return HTML(string=f"<style>{font_face_css()} body{{font-family:'Tinos'}}</style><p>{text}</p>").write_pdf()


def document_package(*, to: str = "H44.02", subject: str = "Về việc phối hợp chứng thực", **extra):
    pdf = extra.pop("pdf", None)
    if pdf is None:
        pdf = sample_pdf()
    values = dict(sender=edxml.Organization(REMOTE_CODE, "Sở Nội vụ tỉnh Thái Bình"),
                  recipients=[edxml.Organization(to, "Sở Tư pháp tỉnh Phú Thọ")], code_number="215",
                  code_notation="SNV-VP", place="Thái Bình", promulgation_date=date(2026, 12, 4),
                  type_name="Công văn", type_code="CV", subject=subject, signer_position="Giám đốc",
                  signer_name="Nguyễn Văn Nam", priority=1,
                  attachments=[edxml.Attachment("215-SNV-VP.pdf", "application/pdf", pdf)])
    values.update(extra)
    return edxml.DocumentPackage(**values)


def built(pkg) -> object:
    return edxml.document_build(pkg, now=datetime(2026, 12, 4, 9, 30))
