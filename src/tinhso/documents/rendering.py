"""The document as a PDF with the NĐ 30/2020 Phụ lục I layout (vn-standards §7.3), and the number
placed on it at issue.

A PAdES signature covers fixed bytes, so the number and date must be in the PDF before the leader
signs: the system takes the number (never typed) in the signing transaction and renders the final
layout with it; the văn thư's issue then applies the agency signature and dispatches
(docs/documents.md, "Numbering").
"""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from django.template.loader import select_template
from django.utils import timezone

from tinhso.core.text import place_date_line
from tinhso.documents.kinds import (
    CONFIDENTIALITY_MARK,
    URGENCY_MARK,
    DocumentType,
    SigningAuthority,
)
from tinhso.documents.models import DocumentProfile, OutgoingDocument
from tinhso.documents.numbering import agency_notation, notation_for

logger = logging.getLogger(__name__)

SIGNATURE_ANCHOR = "chu-ky"
NUMBER_ANCHOR = "so-van-ban"
DATE_ANCHOR = "ngay-ban-hanh"
MM = 72 / 25.4
SIGNATURE_AREA_PT = (62 * MM, 32 * MM)

TEMPLATES = {
    DocumentType.QUYET_DINH: "quyet_dinh", DocumentType.CONG_VAN: "cong_van", DocumentType.THONG_BAO: "thong_bao",
    DocumentType.TO_TRINH: "to_trinh", DocumentType.BAO_CAO: "bao_cao", DocumentType.KE_HOACH: "ke_hoach",
    DocumentType.GIAY_MOI: "giay_moi",
}


@dataclass(frozen=True)
class Anchor:
    page: int
    left: float
    top: float
    page_width: float


def anchor_find(pdf: bytes, name: str) -> Anchor | None:
    """Where the element with id ``name`` was laid out (WeasyPrint writes a named destination per id)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(pdf))
        destination = reader.named_destinations.get(name)
        if destination is None:
            return None
        index = reader.get_destination_page_number(destination)
        return Anchor(index + 1, float(destination.left), float(destination.top),
                      float(reader.pages[index].mediabox.width))
    except Exception:  # noqa: BLE001 - an uploaded PDF has no anchors; placement falls back
        logger.warning("named destination %r not readable", name, exc_info=True)
        return None


def _paragraphs(body: str) -> list[dict]:
    out = []
    for line in (body or "").replace("\r\n", "\n").split("\n"):
        text = line.strip()
        if text:
            # "QUYẾT ĐỊNH:" and similar all-capital lines stand centred and bold, as in Mẫu 1.2.
            out.append({"text": text, "lead": text.rstrip(":").isupper() and len(text) < 40})
    return out


def _profile(agency) -> DocumentProfile | None:
    return DocumentProfile.objects.filter(agency=agency).first()


def place_of(agency) -> str:
    profile = _profile(agency)
    if profile and profile.place:
        return profile.place
    unit = agency.administrative_unit
    return unit.name if unit else "Phú Thọ"


def document_context(document: OutgoingDocument, *, number: int | None = None, on=None, stamped: bool = False) -> dict:
    agency = document.agency
    profile = _profile(agency)
    governing = profile.governing_body if profile else (agency.parent.name if agency.parent_id else "")
    notation = notation_for(doc_type=document.doc_type, agency_abbr=agency_notation(agency),
                            unit_abbr=document.unit_abbr)
    is_cong_van = document.doc_type in (DocumentType.CONG_VAN, DocumentType.THU_CONG)
    recipients = list(document.recipients.all())
    lines = [r.name for r in recipients] + [f"Lưu: VT{', ' + document.keep_unit if document.keep_unit else ''}."]
    authority_line = ""
    if document.authority in (SigningAuthority.TM, SigningAuthority.KT, SigningAuthority.Q,
                              SigningAuthority.TL, SigningAuthority.TUQ):
        head = document.head_title or (agency.name if document.authority == SigningAuthority.TM else "")
        authority_line = f"{document.authority} {head}".strip()
    day = on or timezone.localdate()
    return {"doc": {
        "type_name": DocumentType(document.doc_type).label,
        "is_cong_van": is_cong_van,
        "governing_body": governing,
        "agency_name": agency.name,
        "notation": notation,
        "number_text": f"{number:02d}" if number else "",
        "notation_full": f"{number:02d}/{notation}" if number else notation,
        "place_date": place_date_line(place_of(agency), day) if number else f"{place_of(agency)}, ngày      tháng      năm {day.year}",
        "subject": document.subject,
        "subject_has_prefix": document.subject.lower().startswith(("về việc", "v/v")),
        "paragraphs": _paragraphs(document.body),
        "main_recipients": [r.name for r in recipients if not r.for_information],
        "recipient_lines": lines,
        "authority_line": authority_line,
        "signer_title": document.signer_title,
        "signer_name": document.signer.display_name,
        "stamped": stamped,
        "urgency_mark": URGENCY_MARK.get(document.urgency, ""),
        "confidentiality_mark": CONFIDENTIALITY_MARK.get(document.confidentiality, ""),
    }}


def document_render(document: OutgoingDocument, *, number: int | None = None, on=None, stamped: bool = False) -> bytes:
    """The draft (without number: blanks where the văn thư's number and date will go) as a PDF."""
    from tinhso.core.pdf import render_pdf

    name = TEMPLATES.get(document.doc_type, "base")
    template = select_template([f"documents/pdf/{name}.html", "documents/pdf/base.html"])
    return render_pdf(template_name=template.template.name, context=document_context(document, number=number, on=on, stamped=stamped))


def signature_box(pdf: bytes) -> tuple[int | None, tuple[float, float, float, float] | None]:
    anchor = anchor_find(pdf, SIGNATURE_ANCHOR)
    if anchor is None:
        return None, None
    width, height = SIGNATURE_AREA_PT
    return anchor.page, (anchor.left, anchor.top - height, anchor.left + width, anchor.top)
