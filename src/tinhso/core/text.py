"""Vietnamese text: NFC normalisation, search keys without diacritics, collation, dates in words.

All Vietnamese text is stored NFC (DESIGN §5.9). Searching folds both sides to a key without marks
("dang ky khai sinh" finds "Đăng ký khai sinh"); sorting follows the CLDR/ICU ``vi`` collation,
implemented here in pure Python (see docs/core.md for why not PyICU).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime

from django.utils import timezone

from tinhso.core.fields import NfcCharField, NfcFormCharField, NfcTextField

__all__ = [
    "NfcCharField",
    "NfcFormCharField",
    "NfcTextField",
    "clean_text",
    "date_words",
    "fold",
    "nfc",
    "place_date_line",
    "sort_key",
]

_WHITESPACE = re.compile(r"\s+")

# "ƣ" (U+01A3, Latin letter OI) shows up in data converted from legacy 8-bit fonts where "ư" was meant.
_LEGACY_LETTERS = str.maketrans({"\u01a3": "ư", "\u01a2": "Ư"})


def nfc(value: str | None) -> str:
    """Unicode NFC of ``value``; ``''`` for ``None``."""
    if value is None:
        return ""
    return unicodedata.normalize("NFC", str(value))


def clean_text(value: str | None) -> str:
    """NFC, trimmed, every run of whitespace (tabs, newlines, NBSP) collapsed to one space."""
    return _WHITESPACE.sub(" ", nfc(value)).strip()


def fold(value: str | None) -> str:
    """Search key: no diacritics, ``đ`` → ``d``, lower case, single spaces.

    ``fold("Đăng ký khai sinh") == "dang ky khai sinh"``. Both the stored copy and the query are
    folded with this function, so they always agree.
    """
    text = nfc(value).translate(_LEGACY_LETTERS)
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _WHITESPACE.sub(" ", stripped.lower()).strip()


# --- Collation --------------------------------------------------------------------------------
# CLDR's ``vi`` tailoring (the one ICU and PyICU apply):
#   &̀<<̉<<̃<<́<<̣                 tones are secondary: ngang < huyền < hỏi < ngã < sắc < nặng
#   &a<ă<<<Ă<â<<<Â  &d<đ<<<Đ  &e<ê<<<Ê  &o<ô<<<Ô<ơ<<<Ơ  &u<ư<<<Ư     (letters are primary)
# The tone order is also the one of Vietnamese dictionaries (Hoàng Phê, Từ điển tiếng Việt).
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_RANK = {letter: rank for rank, letter in enumerate(_ALPHABET)}
_LETTER_MARKS = frozenset("\u0306\u0302\u031b")  # breve, circumflex, horn: part of the letter
_TONE_RANK = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}  # huyền hỏi ngã sắc nặng

# Primary weight bands, in ICU's order: spaces, punctuation and symbols, digits, letters.
_BAND_SYMBOL = 0x0100000
_BAND_DIGIT = 0x0200000
_BAND_VI_LETTER = 0x0300000
_BAND_OTHER_LETTER = 0x0400000


def _clusters(text: str):
    """Yield (base character, combining marks) pairs of an NFD string."""
    base: str | None = None
    marks: list[str] = []
    for ch in text:
        if unicodedata.combining(ch) and base is not None:
            marks.append(ch)
            continue
        if base is not None:
            yield base, marks
        base, marks = ch, []
    if base is not None:
        yield base, marks


def _primary(letter: str, base: str) -> int:
    rank = _LETTER_RANK.get(letter)
    if rank is not None:
        return _BAND_VI_LETTER + rank
    if base.isspace():
        return 0
    if base.isdigit():
        return _BAND_DIGIT + ord(base)
    if base.isalpha():
        return _BAND_OTHER_LETTER + ord(letter)
    return _BAND_SYMBOL + ord(base)


def sort_key(value: str | None) -> tuple:
    """Key for ``sorted()`` that orders Vietnamese like ICU's ``vi_VN`` collator.

    Compared level by level over the whole string: letters (``a < ă < â < b … đ … ư …``), then
    tones (ngang < huyền < hỏi < ngã < sắc < nặng), then case (lower before upper).
    """
    text = unicodedata.normalize("NFD", clean_text(value).translate(_LEGACY_LETTERS))
    primary: list[int] = []
    secondary: list[tuple[int, ...]] = []
    tertiary: list[int] = []
    for base, marks in _clusters(text):
        lower = base.lower()
        if len(lower) != 1:  # "İ".lower() is two characters; such letters keep their own weight
            lower = base
        letter_marks = [m for m in marks if m in _LETTER_MARKS]
        letter = unicodedata.normalize("NFC", lower + "".join(letter_marks))
        if letter not in _LETTER_RANK:  # e.g. "ŏ": a breve on o is not Vietnamese, so it is an accent
            letter, letter_marks = lower, []
        tone = 0
        accents: list[int] = []
        for mark in marks:
            if mark in _TONE_RANK:
                tone = _TONE_RANK[mark]
            elif mark not in letter_marks:
                accents.append(ord(mark))
        primary.append(_primary(letter, base))
        secondary.append((tone, *accents))
        tertiary.append(0 if base == lower else 1)
    return (tuple(primary), tuple(secondary), tuple(tertiary), text)


# --- Dates in words ---------------------------------------------------------------------------


def date_words(d: date | datetime) -> str:
    """``"ngày 05 tháng 01 năm 2026"`` as written on administrative documents.

    NĐ 30/2020 Phụ lục I (vn-standards §7.2): days below 10 and the months 1 and 2 take a leading
    zero, other months do not ("ngày 05 tháng 3 năm 2026"), so a date cannot be altered by hand.
    """
    if isinstance(d, datetime):
        d = timezone.localtime(d).date() if timezone.is_aware(d) else d.date()
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    return f"ngày {d.day:02d} tháng {month} năm {d.year}"


def place_date_line(place: str, d: date | datetime) -> str:
    """``"Phú Thọ, ngày 05 tháng 01 năm 2026"``: the place-and-date line of a document (ô 4)."""
    return f"{clean_text(place)}, {date_words(d)}"
