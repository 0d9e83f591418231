"""Registers and numbers (NĐ 30/2020 Điều 15, 22; vn-standards §7.2).

Numbers are never typed: ``number_take`` draws the next value of the register's ``core.sequences``
counter inside the issuing transaction (gapless, concurrent-safe). Each register belongs to one
year, so the series starts again at 01 on 1 January.
"""

from __future__ import annotations

import re

from tinhso.core.actions import in_transaction
from tinhso.core.errors import ValidationFailed
from tinhso.core.sequences import sequence_next
from tinhso.core.text import fold
from tinhso.documents.errors import DocumentError
from tinhso.documents.kinds import DocumentType, type_abbreviation
from tinhso.documents.models import DocumentProfile, DocumentRegister

Series = DocumentRegister.Series
_ABBR = re.compile(r"[A-ZĐ0-9]{1,20}")


def agency_notation(agency) -> str:
    """The agency's part of a ký hiệu: its profile's abbreviation, ``UBND`` for a people's committee,
    else the initials of its name (upper case, Đ kept)."""
    profile = DocumentProfile.objects.filter(agency=agency).only("notation").first()
    if profile and profile.notation:
        return profile.notation
    if agency.kind == "people_committee":
        return "UBND"
    words = [w for w in (agency.short_name or agency.name).split() if w[:1].isalpha()]
    return "".join(w[0].upper() for w in words)[:10] or "CQ"


def unit_abbr_clean(value: str) -> str:
    text = (value or "").strip().upper()
    if text and not _ABBR.fullmatch(text):
        raise ValidationFailed(
            f"Viết tắt đơn vị “{value}” chỉ gồm chữ in hoa và chữ số, không dấu cách (ví dụ VP, TP).",
            code=DocumentError.UNIT_ABBREVIATION_REQUIRED)
    return text


def doc_type_clean(value: str) -> str:
    """A known type code of Điều 7 (``QĐ``, ``CV``…); its name in Vietnamese is also accepted."""
    text = (value or "").strip()
    if text in DocumentType.values:
        return text
    folded = fold(text)
    for choice in DocumentType:
        if fold(choice.label) == folded:
            return choice.value
    raise ValidationFailed(f"“{value}” không phải một trong 29 loại văn bản hành chính của Điều 7 NĐ 30/2020.",
                           code=DocumentError.UNKNOWN_TYPE)


def notation_for(*, doc_type: str, agency_abbr: str, unit_abbr: str) -> str:
    """``QĐ-UBND`` for a type with an abbreviation, ``UBND-VP`` for a công văn (Phụ lục I)."""
    abbreviation = type_abbreviation(doc_type)
    if abbreviation is None:
        if not unit_abbr:
            raise ValidationFailed("Công văn cần viết tắt của đơn vị soạn thảo để ghi ký hiệu (ví dụ UBND-VP).",
                                   code=DocumentError.UNIT_ABBREVIATION_REQUIRED)
        return f"{agency_abbr}-{unit_abbr}"
    return f"{abbreviation}-{agency_abbr}"


def number_text(number: int, notation: str) -> str:
    """``05/QĐ-UBND``: numbers below 10 take a leading zero."""
    return f"{number:02d}/{notation}"


def outgoing_series(*, agency, doc_type: str, secret: bool) -> tuple[str, str]:
    if secret:
        return Series.SECRET, ""
    profile = DocumentProfile.objects.filter(agency=agency).only("separate_types").first()
    if profile and doc_type in (profile.separate_types or []):
        return Series.PER_TYPE, doc_type
    return Series.ADMINISTRATIVE, ""


def register_get(*, agency, year: int, kind: str, series: str, doc_type: str = "") -> DocumentRegister:
    register, _ = DocumentRegister.objects.get_or_create(agency=agency, year=year, kind=kind, series=series,
                                                         doc_type=doc_type)
    return register


def number_take(register: DocumentRegister) -> int:
    """The next number of ``register``; must run in the transaction that stores it."""
    in_transaction("number_take")
    return sequence_next(scope=register.scope_key, period=str(register.year))
