from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tinhso.core.codes import ID_BIRTH_PROVINCES
from tinhso.core.errors import ValidationFailed
from tinhso.core.validators import (
    agency_code_validator,
    id_number_validator,
    normalize_phone,
    phone_validator,
    tax_code_validator,
    validate_agency_code,
    validate_id_number,
    validate_tax_code,
)


def failure(check, *args, **kwargs) -> ValidationFailed:
    with pytest.raises(ValidationFailed) as info:
        check(*args, **kwargs)
    return info.value


# --- Personal identification number -------------------------------------------------------------


def test_province_table_has_the_63_legacy_codes():
    assert len(ID_BIRTH_PROVINCES) == 63
    assert ID_BIRTH_PROVINCES["025"] == "Phú Thọ"
    assert ID_BIRTH_PROVINCES["001"] == "Hà Nội" and ID_BIRTH_PROVINCES["096"] == "Cà Mau"


@pytest.mark.parametrize(
    ("number", "birth", "gender"),
    [
        ("025090012345", date(1990, 5, 1), "male"),      # 0 = male, 1900s
        ("001190012345", date(1990, 5, 1), "female"),    # 1 = female, 1900s
        ("066205000123", date(2005, 1, 5), "male"),      # 2 = male, 2000s
        ("096315000123", date(2015, 7, 1), "female"),    # 3 = female, 2000s
        ("079 090 012345", None, None),                  # spaces are dropped
    ],
)
def test_valid_numbers(number, birth, gender):
    assert validate_id_number(number, birth_date=birth, gender=gender) == number.replace(" ", "")


@pytest.mark.parametrize("number", ["02509001234", "0250900123456", "02509001234a", "", "０２５０９００１２３４５"])
def test_not_twelve_ascii_digits(number):
    error = failure(validate_id_number, number)
    assert error.code == "invalid_id_number"
    assert error.detail == "Số định danh cá nhân phải gồm đúng 12 chữ số."


def test_old_nine_digit_cmnd_gets_its_own_message():
    assert "9 chữ số" in failure(validate_id_number, "123456789").detail


def test_unknown_province_of_birth():
    error = failure(validate_id_number, "099090012345")
    assert error.detail == "Mã tỉnh nơi đăng ký khai sinh '099' không tồn tại."


def test_birth_year_must_match():
    error = failure(validate_id_number, "025090012345", birth_date=date(1991, 1, 5))
    assert error.detail == "Năm sinh trong số định danh (1990) không khớp với ngày sinh 05/01/1991."


def test_century_digit_moves_the_year():
    # Same YY, but digit 2 means 2000s: someone born in 1990 cannot have it.
    error = failure(validate_id_number, "025290012345", birth_date=date(1990, 3, 3))
    assert "(2090)" in error.detail


def test_gender_must_match():
    error = failure(validate_id_number, "025090012345", gender="female")
    assert error.detail == "Giới tính trong số định danh (nam) không khớp với giới tính đã khai (nữ)."
    assert validate_id_number("025190012345", gender="female") == "025190012345"


def test_birth_year_in_the_future_is_impossible():
    next_year = timezone.localdate().year + 1
    number = f"025{2 if next_year < 2100 else 4}{next_year % 100:02d}012345"
    assert "chưa tới" in failure(validate_id_number, number).detail


def test_unknown_gender_value_is_a_programming_error():
    with pytest.raises(ValueError):
        validate_id_number("025090012345", gender="nam")


# --- Tax code -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code", ["0100109106", "0101243150"])
def test_enterprise_tax_codes_with_valid_check_digit(code):
    assert validate_tax_code(code) == code


@pytest.mark.parametrize("code", ["0100109107", "0101243151", "0100109100"])
def test_wrong_check_digit(code):
    error = failure(validate_tax_code, code)
    assert error.code == "invalid_tax_code"
    assert error.detail == f"Mã số thuế '{code}' không hợp lệ: sai chữ số kiểm tra."


def test_remainder_zero_would_need_check_digit_ten_and_is_invalid():
    # 010010910x: find a 9-digit body whose weighted sum is divisible by 11.
    weights = (31, 29, 23, 19, 17, 13, 7, 5, 3)
    body = next(
        f"{n:09d}" for n in range(100000000, 100100000)
        if sum(int(d) * w for d, w in zip(f"{n:09d}", weights, strict=True)) % 11 == 0
    )
    for last in "0123456789":
        assert failure(validate_tax_code, body + last).code == "invalid_tax_code"


@pytest.mark.parametrize("code", ["0100109106-001", "0100109106001", " 0100109106 - 001 "])
def test_branch_codes_are_normalised_to_the_dashed_form(code):
    assert validate_tax_code(code) == "0100109106-001"


def test_branch_of_an_invalid_parent_is_invalid():
    assert failure(validate_tax_code, "0100109107-001").code == "invalid_tax_code"


def test_personal_identification_number_is_a_personal_tax_code():
    assert validate_tax_code("025090012345") == "025090012345"
    error = failure(validate_tax_code, "099090012345")
    assert error.code == "invalid_tax_code"
    assert "Mã tỉnh nơi đăng ký khai sinh '099'" in error.detail


@pytest.mark.parametrize("code", ["", "12345", "01001091061", "0100109106-01", "0100109106-0011", "ABCDEFGHIJ"])
def test_malformed_tax_codes(code):
    assert failure(validate_tax_code, code).code == "invalid_tax_code"


# --- Phone --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    ["0912345678", "0912 345 678", "0912.345.678", "0912-345-678", "+84912345678", "+84 912 345 678",
     "84912345678", "0084 912 345 678", "+84 (0) 912 345 678", "(+84) 912345678"],
)
def test_phone_forms_normalise_to_leading_zero(raw):
    assert normalize_phone(raw) == "0912345678"


@pytest.mark.parametrize("number", ["0321234567", "0561234567", "0701234567", "0791234567", "0861234567", "0991234567"])
def test_every_prefix_family_is_accepted(number):
    assert normalize_phone(number) == number


@pytest.mark.parametrize(
    "raw",
    ["", "091234567", "09123456789", "0951234567", "0311234567", "0241234567", "02438253531", "+1 912 345 678", "abc"],
)
def test_invalid_phones(raw):
    error = failure(normalize_phone, raw)
    assert error.code == "invalid_phone"
    assert "không hợp lệ" in error.detail


# --- Agency code --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("H44", "H44"),
        ("h44.12.03", "H44.12.03"),
        ("H37.DN.002", "H37.DN.002"),
        ("G09.20", "G09.20"),
        ("K57", "K57"),
        ("000.00.00.H49", "000.00.00.H49"),
        ("000.00.04.g14", "000.00.04.G14"),
    ],
)
def test_valid_agency_codes(raw, code):
    assert validate_agency_code(raw) == code


@pytest.mark.parametrize("raw", ["", "44", "H4", "H44.", "H44..12", ".H44", "H44-12", "HH4.12", "00.00.00.H49", "H44.Đ1"])
def test_invalid_agency_codes(raw):
    assert failure(validate_agency_code, raw).code == "invalid_agency_code"


def test_agency_code_at_most_35_characters():
    assert validate_agency_code("H44." + "1" * 31) == "H44." + "1" * 31
    error = failure(validate_agency_code, "H44." + "1" * 32)
    assert error.detail == "Mã định danh cơ quan dài tối đa 35 ký tự."


# --- Django wrappers ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("validator", "bad", "good", "code"),
    [
        (id_number_validator, "099090012345", "025090012345", "invalid_id_number"),
        (tax_code_validator, "0100109107", "0100109106", "invalid_tax_code"),
        (phone_validator, "0241234567", "0912345678", "invalid_phone"),
        (agency_code_validator, "H4", "H44", "invalid_agency_code"),
    ],
)
def test_django_validators_raise_django_validation_error(validator, bad, good, code):
    validator(good)
    with pytest.raises(ValidationError) as info:
        validator(bad)
    assert info.value.code == code
    assert info.value.messages and info.value.messages[0]
