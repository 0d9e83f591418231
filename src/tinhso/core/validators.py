"""Validators for Vietnamese identifiers: personal number (CCCD), tax code, mobile phone, agency code.

Each ``validate_*`` / ``normalize_*`` returns the normalised value or raises ``ValidationFailed``
with a stable code and a Vietnamese message that says what is wrong. The ``*_validator`` functions
wrap them for Django model and form fields (they raise Django's ``ValidationError``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone

from tinhso.core.codes import ID_BIRTH_PROVINCES
from tinhso.core.errors import ValidationFailed
from tinhso.core.text import nfc

_SPACES = re.compile(r"\s+")
_GENDER_WORDS = {"male": "nam", "female": "nữ"}


def _compact(value: str | None) -> str:
    return _SPACES.sub("", nfc(value))


# --- Personal identification number (số định danh cá nhân, CCCD) — vn-standards §9.1 ----------


def validate_id_number(value: str, *, birth_date: date | None = None, gender: str | None = None) -> str:
    """12 digits ``PPP G YY NNNNNN``; returns the digits without spaces.

    ``PPP`` is one of the 63 legacy provinces of birth registration, ``G`` encodes century and
    gender (0/1 = male/female born 1900–1999, 2/3 = 2000–2099, … up to 8/9), ``YY`` the last two
    digits of the birth year. There is no check digit, so a typo in the random part cannot be
    caught; the structured part and the consistency with the declared birth date and gender can.
    """
    if gender not in (None, "", "male", "female"):
        raise ValueError(f"gender must be 'male', 'female' or None, not {gender!r}")
    number = _compact(value)
    if not re.fullmatch(r"[0-9]{12}", number):
        if re.fullmatch(r"[0-9]{9}", number):
            detail = ("Số chứng minh nhân dân 9 chữ số không còn được dùng; "
                      "vui lòng nhập số định danh cá nhân 12 chữ số.")
        else:
            detail = "Số định danh cá nhân phải gồm đúng 12 chữ số."
        raise ValidationFailed(detail, code="invalid_id_number")

    province = number[:3]
    if province not in ID_BIRTH_PROVINCES:
        raise ValidationFailed(
            f"Mã tỉnh nơi đăng ký khai sinh '{province}' không tồn tại.", code="invalid_id_number"
        )

    century_gender = int(number[3])
    year = 1900 + (century_gender // 2) * 100 + int(number[4:6])
    encoded_gender = "male" if century_gender % 2 == 0 else "female"
    if year > timezone.localdate().year:
        raise ValidationFailed(
            f"Năm sinh trong số định danh ({year}) chưa tới; số định danh không hợp lệ.",
            code="invalid_id_number",
        )
    if birth_date is not None and birth_date.year != year:
        raise ValidationFailed(
            f"Năm sinh trong số định danh ({year}) không khớp với ngày sinh {birth_date:%d/%m/%Y}.",
            code="invalid_id_number",
        )
    if gender and gender != encoded_gender:
        raise ValidationFailed(
            f"Giới tính trong số định danh ({_GENDER_WORDS[encoded_gender]}) không khớp với giới tính "
            f"đã khai ({_GENDER_WORDS[gender]}).",
            code="invalid_id_number",
        )
    return number


# --- Tax code (mã số thuế) — vn-standards §9.2 ------------------------------------------------

_TAX_WEIGHTS = (31, 29, 23, 19, 17, 13, 7, 5, 3)


def _tax_check_digit_ok(digits: str) -> bool:
    remainder = sum(int(d) * w for d, w in zip(digits[:9], _TAX_WEIGHTS, strict=True)) % 11
    check = 10 - remainder
    # A remainder of 0 would need a check "digit" of 10: such numbers are never issued.
    return check != 10 and check == int(digits[9])


def validate_tax_code(value: str) -> str:
    """Enterprise MST (10 digits), dependent unit (``0100109106-001``) or personal number (12 digits).

    Returns the 10-digit form, the dashed 14-character branch form (also accepted without the
    dash) or the 12 digits of the personal identification number, which has been the personal
    tax code since 1/7/2025.
    """
    code = _compact(value)
    if re.fullmatch(r"[0-9]{12}", code):
        try:
            return validate_id_number(code)
        except ValidationFailed as exc:
            raise ValidationFailed(
                f"Mã số thuế cá nhân (số định danh) không hợp lệ: {exc.detail}", code="invalid_tax_code"
            ) from exc
    match = re.fullmatch(r"([0-9]{10})(?:-?([0-9]{3}))?", code)
    if not match:
        raise ValidationFailed(
            "Mã số thuế phải gồm 10 chữ số, hoặc 10 chữ số kèm '-' và 3 chữ số của đơn vị phụ thuộc "
            "(ví dụ 0100109106-001), hoặc là số định danh cá nhân 12 chữ số.",
            code="invalid_tax_code",
        )
    main, branch = match.groups()
    if not _tax_check_digit_ok(main):
        raise ValidationFailed(
            f"Mã số thuế '{main}' không hợp lệ: sai chữ số kiểm tra.", code="invalid_tax_code"
        )
    return f"{main}-{branch}" if branch else main


# --- Mobile phone — vn-standards §9.3 ----------------------------------------------------------

_MOBILE = re.compile(r"(?:0|\+84|84)((?:3[2-9]|5[25689]|7[06-9]|8[1-9]|9[0-46-9])[0-9]{7})")


def normalize_phone(value: str) -> str:
    """A Vietnamese mobile number as ``0xxxxxxxxx``.

    Accepts spaces, dots, dashes, brackets, ``+84``/``84``/``0084`` and the ``+84 (0) …`` habit.
    """
    raw = nfc(value).strip()
    compact = re.sub(r"[\s.\-]", "", raw).replace("(0)", "")
    compact = re.sub(r"[()]", "", compact)
    if compact.startswith("0084"):
        compact = "+84" + compact[4:]
    match = _MOBILE.fullmatch(compact)
    if not match:
        raise ValidationFailed(
            f"Số điện thoại di động '{raw}' không hợp lệ. Vui lòng nhập số gồm 10 chữ số, "
            "ví dụ 0912 345 678.",
            code="invalid_phone",
        )
    return "0" + match.group(1)


# --- Agency identifier (mã định danh cơ quan) — vn-standards §2.1, §2.2 -------------------------

_AGENCY_QD20 = re.compile(r"[A-Z][0-9]{2}(?:\.[0-9A-Z]+)*")  # first group = level-1 code (H44, G09, K57)
_AGENCY_QCVN102 = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}")  # 000.00.00.H49
AGENCY_CODE_MAX_LENGTH = 35


def validate_agency_code(value: str) -> str:
    """QĐ 20/2020 form (``H44``, ``H44.12.03``, at most 35 characters) or QCVN 102 ``000.00.00.H49``.

    Returns the code in upper case. In the QĐ 20/2020 form the level-1 group is on the left; in
    the old 13-character form it is on the right.
    """
    code = _compact(value).upper()
    if len(code) > AGENCY_CODE_MAX_LENGTH:
        raise ValidationFailed(
            f"Mã định danh cơ quan dài tối đa {AGENCY_CODE_MAX_LENGTH} ký tự.", code="invalid_agency_code"
        )
    if not (_AGENCY_QD20.fullmatch(code) or _AGENCY_QCVN102.fullmatch(code)):
        raise ValidationFailed(
            f"Mã định danh cơ quan '{code}' không đúng định dạng: các nhóm chữ số và chữ in hoa ngăn "
            "cách bởi dấu chấm, nhóm đầu là mã cấp 1 (ví dụ H44.12), hoặc dạng cũ 000.00.00.H44.",
            code="invalid_agency_code",
        )
    return code


def validate_agency_identifier(value: str) -> str:
    """The 13-character QCVN 102:2016 identifier ``V1V2V3.Z1Z2.Y1Y2.MX1X2`` (``000.00.00.H49``,
    vn-standards §2.1): what edXML ``OrganId`` (String(13)) and TT 01/2018 dossier codes carry."""
    code = _compact(value).upper()
    if not _AGENCY_QCVN102.fullmatch(code):
        raise ValidationFailed(
            f"Mã định danh QCVN 102 '{code}' không đúng định dạng: 13 ký tự dạng 000.00.00.H44 "
            "(nhóm cấp 1 ở bên phải).", code="invalid_agency_identifier",
        )
    return code


def agency_identifier_from_code(code: str) -> str | None:
    """The QCVN 102 form of a QĐ 20/2020 code when its groups fit the four fixed-width levels
    (``H44`` → ``000.00.00.H44``, ``H44.12.03`` → ``000.03.12.H44``); ``None`` when they do not
    (``H44.101``): such an identifier must be assigned, not guessed."""
    code = validate_agency_code(code)
    if _AGENCY_QCVN102.fullmatch(code):
        return code
    groups = code.split(".")
    if len(groups) > 4:
        return None
    level1, rest = groups[0], groups[1:]
    widths = (2, 2, 3)  # Y1Y2 (level 2), Z1Z2 (level 3), V1V2V3 (level 4)
    parts = []
    for width, group in zip(widths, rest + ["0"] * (3 - len(rest)), strict=True):
        if not group.isdigit() or len(group) > width:
            return None
        parts.append(group.zfill(width))
    return f"{parts[2]}.{parts[1]}.{parts[0]}.{level1}"


# --- Django field validators -------------------------------------------------------------------


def _as_django(check: Callable[[str], str], value: str) -> None:
    try:
        check(value)
    except ValidationFailed as exc:
        raise ValidationError(exc.detail, code=exc.code) from exc


def id_number_validator(value: str) -> None:
    _as_django(validate_id_number, value)


def tax_code_validator(value: str) -> None:
    _as_django(validate_tax_code, value)


def phone_validator(value: str) -> None:
    _as_django(normalize_phone, value)


def agency_code_validator(value: str) -> None:
    _as_django(validate_agency_code, value)


def agency_identifier_validator(value: str) -> None:
    _as_django(validate_agency_identifier, value)
