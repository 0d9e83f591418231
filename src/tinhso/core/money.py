"""Money in Vietnamese đồng: ``1.250.000 đ`` and the amount in words written on receipts.

``amount_in_words`` follows the reading used on invoices and receipts (and by CLDR's ``vi``
spell-out rules): a group of three digits that is entirely zero is skipped, every other group after
the first is read in full with its "không trăm", and a zero tens digit after the hundreds is "lẻ"
(or "linh"). So 1.015 is "một nghìn không trăm mười lăm" and 2.000.001 is "hai triệu không trăm lẻ
một". Neither num2words nor vietnam-number gets all of these right (stack-notes §9, pitfall 10).
"""

from __future__ import annotations

import operator
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
MAX_AMOUNT_IN_WORDS = 10**12
_BILLION = 10**9
_GROUP_UNITS = ("", "nghìn", "triệu")  # below a billion; "tỷ" is applied recursively above


def format_vnd(amount: int | Decimal) -> str:
    """``1250000 → "1.250.000 đ"``: dots between thousands, no decimals (VND has no minor unit)."""
    value = int(Decimal(amount).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    sign = "-" if value < 0 else ""
    return f"{sign}{abs(value):,}".replace(",", ".") + " đ"


def _tens_and_units(tens: int, units: int, *, after_hundreds: bool, odd_word: str) -> list[str]:
    if tens == 0:
        if units == 0:
            return []
        return [odd_word, DIGITS[units]] if after_hundreds else [DIGITS[units]]
    if tens == 1:
        words = ["mười"]
        if units == 5:
            words.append("lăm")
        elif units:
            words.append(DIGITS[units])
        return words
    words = [DIGITS[tens], "mươi"]
    if units == 1:
        words.append("mốt")
    elif units == 4:
        words.append("tư")
    elif units == 5:
        words.append("lăm")
    elif units:
        words.append(DIGITS[units])
    return words


def _group(n: int, *, full: bool, odd_word: str) -> list[str]:
    """Words for 0 < n < 1000. ``full`` reads the hundreds even when zero (an inner group)."""
    hundreds, rest = divmod(n, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or full:
        words += [DIGITS[hundreds], "trăm"]
    words += _tens_and_units(tens, units, after_hundreds=bool(words), odd_word=odd_word)
    return words


def _below_billion(n: int, *, leading: bool, odd_word: str) -> list[str]:
    groups = []
    for unit in _GROUP_UNITS:
        n, value = divmod(n, 1000)
        groups.append((value, unit))
    words: list[str] = []
    for value, unit in reversed(groups):
        if value == 0:
            continue
        words += _group(value, full=not (leading and not words), odd_word=odd_word)
        if unit:
            words.append(unit)
    return words


def _words(n: int, *, leading: bool, odd_word: str) -> list[str]:
    billions, rest = divmod(n, _BILLION)
    words: list[str] = []
    if billions:
        words += _words(billions, leading=leading, odd_word=odd_word) + ["tỷ"]
    words += _below_billion(rest, leading=leading and not words, odd_word=odd_word)
    return words


def amount_in_words(n: int, *, odd_word: Literal["lẻ", "linh"] = "lẻ") -> str:
    """Vietnamese words for 0 ≤ n ≤ 10¹², lower case: ``1250000 → "một triệu hai trăm năm mươi nghìn"``.

    ``odd_word`` is the word for a zero tens digit after the hundreds: "lẻ" (default, the usual
    form on receipts) or "linh" ("một trăm linh năm").
    """
    n = operator.index(n)
    if odd_word not in ("lẻ", "linh"):
        raise ValueError("odd_word must be 'lẻ' or 'linh'")
    if not 0 <= n <= MAX_AMOUNT_IN_WORDS:
        raise ValueError(f"amount_in_words handles 0..{MAX_AMOUNT_IN_WORDS}, not {n}")
    if n == 0:
        return DIGITS[0]
    return " ".join(_words(n, leading=True, odd_word=odd_word))


def vnd_in_words(n: int, *, odd_word: Literal["lẻ", "linh"] = "lẻ") -> str:
    """``"Một triệu hai trăm năm mươi nghìn đồng"``: the "Số tiền bằng chữ" line of a receipt."""
    words = amount_in_words(n, odd_word=odd_word)
    return f"{words[0].upper()}{words[1:]} đồng"
