"""Fixtures of the form tests: the dossier app's world (province, centre, people, procedure) and helpers
to read PDFs back."""

from __future__ import annotations

import io
import unicodedata

import pypdf
import pytest

from tinhso.dossiers.tests import factories as f
from tinhso.dossiers.tests.conftest import (  # noqa: F401
    World,
    clock,
    events,
    received,
    signing_not_required,
    submit,
    world,
)

APPLICANT = "Nguyễn Thị Ánh Tuyết"


def pdf_text(pdf: bytes) -> str:
    """Extracted text, NFC, whitespace collapsed (justification and line breaks become one space)."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = " ".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def pdf_page_size(pdf: bytes, page: int = 0) -> tuple[float, float]:
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[page].mediabox
    return float(box.width), float(box.height)


@pytest.fixture
def applicant():
    return f.applicant(full_name=APPLICANT, email="tuyet@example.vn")
