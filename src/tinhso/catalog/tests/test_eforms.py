"""E-forms: the schema subset, server-side validation with Vietnamese errors, accessible rendering."""

import datetime as dt

import pytest
from django.http import QueryDict
from django.template import Context, Template
from django.utils import timezone

from tinhso.catalog.eforms import eform_schema_check, eform_validate
from tinhso.catalog.tests.factories import EFORM
from tinhso.core.errors import ValidationFailed

SCHEMA = eform_schema_check(EFORM)
VALID = {
    "ho_ten": "  Nguyễn Văn  An ",
    "ngay_sinh": "12/03/1985",
    "gioi_tinh": "nam",
    "so_dinh_danh": "025 085 001 234",
    "dien_thoai": "+84 912 000 101",
    "so_con": "2",
    "cam_doan": "on",
}


def errors_of(data) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as error:
        eform_validate(SCHEMA, data)
    assert error.value.code == "eform_invalid"
    return {e["field"]: e["message"] for e in error.value.errors}


def test_valid_data_is_cleaned_and_normalised():
    cleaned = eform_validate(SCHEMA, {**VALID, "khong_co_trong_mau": "bỏ đi"})
    assert cleaned == {
        "ho_ten": "Nguyễn Văn An",
        "ngay_sinh": "1985-03-12",
        "gioi_tinh": "nam",
        "so_dinh_danh": "025085001234",
        "dien_thoai": "0912000101",
        "so_con": 2,
        "cam_doan": True,
    }


def test_query_dict_from_an_html_form_works_too():
    data = QueryDict(mutable=True)
    data.update({**VALID, "ngay_sinh": "1985-03-12"})
    assert eform_validate(SCHEMA, data)["ngay_sinh"] == "1985-03-12"


def test_every_error_is_reported_per_field_in_vietnamese():
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).strftime("%d/%m/%Y")
    errors = errors_of({"ho_ten": "A" * 51, "ngay_sinh": tomorrow, "gioi_tinh": "khac", "so_dinh_danh": "12345",
                        "dien_thoai": "0123", "so_con": "hai", "cam_doan": ""})
    assert errors["ho_ten"] == "Họ và tên không được dài quá 50 ký tự."
    assert errors["ngay_sinh"].startswith("Ngày sinh không được sau ngày")
    assert errors["gioi_tinh"] == "Giới tính: hãy chọn một trong các giá trị Nam, Nữ."
    assert errors["so_dinh_danh"] == "Số định danh cá nhân phải gồm đúng 12 chữ số."
    assert "không hợp lệ" in errors["dien_thoai"]
    assert errors["so_con"] == "Số con phải là một số."
    assert errors["cam_doan"] == "Vui lòng đánh dấu “Tôi cam đoan khai đúng sự thật”."


def test_missing_required_fields_say_what_to_enter():
    errors = errors_of({"cam_doan": "on"})
    assert errors == {
        "ho_ten": "Vui lòng nhập họ và tên.",
        "ngay_sinh": "Vui lòng nhập ngày sinh.",
        "gioi_tinh": "Vui lòng chọn giới tính.",
        "so_dinh_danh": "Vui lòng nhập số định danh cá nhân.",
    }


def test_bounds_and_dates_are_checked():
    assert errors_of({**VALID, "so_con": "21"})["so_con"] == "Số con không được lớn hơn 20."
    assert errors_of({**VALID, "so_con": "1.5"})["so_con"] == "Số con phải là số nguyên."
    assert errors_of({**VALID, "ngay_sinh": "31/02/2020"})["ngay_sinh"] == "Ngày sinh phải là một ngày hợp lệ, dạng dd/mm/yyyy."


def test_schema_outside_the_subset_is_refused_with_reasons():
    with pytest.raises(ValidationFailed) as error:
        eform_schema_check({
            "type": "object",
            "properties": {
                "HoTen": {"type": "string", "title": "Họ tên"},
                "tuoi": {"type": "integer"},
                "anh": {"type": "file", "title": "Ảnh"},
                "ngay": {"type": "string", "title": "Ngày", "format": "datetime"},
                "loai": {"type": "string", "title": "Loại", "enum": []},
                "mau": {"type": "string", "title": "Mẫu", "pattern": "("},
                "x": {"type": "string", "title": "X", "oneOf": []},
            },
            "required": ["khong_co"],
        })
    assert error.value.code == "invalid_eform"
    text = " | ".join(e["message"] for e in error.value.errors)
    for expected in ("Tên trường “HoTen”", "phải có nhãn (title)", "Kiểu “file” không được hỗ trợ",
                     "Định dạng “datetime” không được hỗ trợ", "“enum” phải là danh sách chuỗi",
                     "pattern) “(” không hợp lệ", "Từ khóa “oneOf” không được hỗ trợ",
                     "Trường bắt buộc “khong_co”"):
        assert expected in text


def test_checked_schema_keeps_the_author_order():
    assert SCHEMA["x-order"] == list(EFORM["properties"])
    reordered = {**SCHEMA, "properties": dict(reversed(list(SCHEMA["properties"].items())))}
    assert list(eform_validate(reordered, VALID)) == list(EFORM["properties"])  # jsonb may reorder keys


def test_rendering_gives_every_input_a_label_help_and_error_link():
    html = Template("{% load catalog_tags %}{% eform_fields schema data errors %}").render(Context({
        "schema": SCHEMA,
        "data": {"ho_ten": "Nguyễn <b>An</b>"},
        "errors": [{"field": "ngay_sinh", "message": "Vui lòng nhập ngày sinh."}],
    }))
    # the e-form's own texts are Vietnamese data: marked for screen readers on English pages
    assert '<label for="eform-ho_ten"><span lang="vi">Họ và tên</span> <span class="required" aria-hidden="true">*</span>' in html
    assert 'value="Nguyễn &lt;b&gt;An&lt;/b&gt;"' in html  # escaped
    assert 'type="date" id="eform-ngay_sinh"' in html
    assert 'aria-describedby="eform-ngay_sinh-help eform-ngay_sinh-error" aria-invalid="true"' in html
    assert '<p class="field-error" id="eform-ngay_sinh-error" lang="vi">Vui lòng nhập ngày sinh.</p>' in html
    assert '<option lang="vi" value="nu">Nữ</option>' in html
    assert 'type="tel" id="eform-dien_thoai"' in html and 'inputmode="numeric"' in html
    assert 'type="checkbox" id="eform-cam_doan"' in html and "(bắt buộc)" in html
    assert 'type="number" id="eform-so_con" name="so_con" value="" step="1" min="0" max="20"' in html


def test_applicant_fields_by_mapping_or_well_known_name():
    """Only ``x-applicant`` ties a field to the applicant's identity (locked); a well-known name whose
    format fits, or a marked contact field, is only a suggestion filled when blank; ``ngay_sinh`` is
    never suggested by name (the birth registration form asks for the child's)."""
    from tinhso.catalog.eforms import eform_applicant_fields, eform_prefill, eform_suggested_fields

    schema = eform_schema_check({"type": "object", "properties": {
        "ho_ten": {"type": "string", "title": "Họ tên"},
        "so_dinh_danh": {"type": "string", "format": "id_number", "title": "Số định danh"},
        "dien_thoai": {"type": "string", "title": "Điện thoại", "enum": ["a", "b"]},  # a choice: not a phone
        "ngay_sinh": {"type": "string", "format": "date", "title": "Ngày sinh"},
        "ngay_sinh_nguoi_nop": {"type": "string", "format": "date", "title": "Ngày sinh", "x-applicant": "birth_date"},
        "ten_nguoi_nop": {"type": "string", "title": "Họ tên người nộp", "x-applicant": "name"},
        "dia_chi": {"type": "string", "title": "Địa chỉ thửa đất", "x-applicant": ""},
        "noi_o": {"type": "string", "title": "Nơi ở", "x-applicant": "address"},
    }})
    assert eform_applicant_fields(schema) == {"ngay_sinh_nguoi_nop": "birth_date", "ten_nguoi_nop": "name",
                                              "noi_o": "address"}
    assert eform_suggested_fields(schema) == {"ho_ten": "name", "so_dinh_danh": "id_number", "noi_o": "address"}
    applicant = {"name": "Nguyễn Văn An", "id_number": "001099012345", "birth_date": dt.date(1990, 5, 17),
                 "address": "Phường Việt Trì", "phone": "0912345678"}
    typed = {"ho_ten": "Trần Văn Mất", "so_dinh_danh": "", "ten_nguoi_nop": "Người Khác", "noi_o": "Xã Lâm Thao"}
    data, locked = eform_prefill(schema, typed, applicant)
    # marked identity from the account; a typed name-matched field and a typed address are kept, a
    # blank name-matched field is suggested
    assert data == {"ho_ten": "Trần Văn Mất", "so_dinh_danh": "001099012345", "ngay_sinh_nguoi_nop": "1990-05-17",
                    "ten_nguoi_nop": "Nguyễn Văn An", "noi_o": "Xã Lâm Thao"}
    assert locked == {"ten_nguoi_nop", "ngay_sinh_nguoi_nop"}
    # handling a post (no suggestions): only the marked identity is applied
    data, locked = eform_prefill(schema, typed, applicant, suggest=False)
    assert data == {**typed, "ten_nguoi_nop": "Nguyễn Văn An", "ngay_sinh_nguoi_nop": "1990-05-17"}
    with pytest.raises(ValidationFailed) as caught:
        eform_schema_check({"type": "object", "properties": {
            "x": {"type": "string", "title": "X", "x-applicant": "cccd"}}})
    assert "x-applicant" in caught.value.errors[0]["message"]


def test_an_account_value_the_field_refuses_is_neither_locked_nor_suggested():
    """A marked field whose own rules refuse the account's value (a long name over ``maxLength``, a
    12-digit number where the form wants an old 9-digit identity card) stays editable and blank, so the
    form can still be filled in and submitted."""
    from tinhso.catalog.eforms import eform_locked_values, eform_prefill

    schema = eform_schema_check({"type": "object", "properties": {
        "ho_ten": {"type": "string", "title": "Họ tên", "maxLength": 30, "x-applicant": "name"},
        "so_cmnd": {"type": "string", "title": "Số CMND", "pattern": "^[0-9]{9}$", "x-applicant": "id_number"},
        "so_dinh_danh": {"type": "string", "title": "Số định danh", "pattern": "^[0-9]{9}$"},
    }, "required": ["ho_ten", "so_cmnd"]})
    applicant = {"name": "Công Tôn Nữ Thị Hoàng Phương Thảo Nguyên", "id_number": "001099012345"}
    assert eform_locked_values(schema, applicant) == {}
    typed = {"ho_ten": "Tôn Nữ Thị Thảo Nguyên", "so_cmnd": "123456789", "so_dinh_danh": ""}
    data, locked = eform_prefill(schema, typed, applicant)
    assert data == typed and locked == frozenset()
    assert eform_validate(schema, data) == {"ho_ten": "Tôn Nữ Thị Thảo Nguyên", "so_cmnd": "123456789"}
    # the same account value where the field accepts it is locked
    assert eform_locked_values(schema, {"name": "Nguyễn Văn An", "id_number": "123456789"}) == {
        "ho_ten": "Nguyễn Văn An", "so_cmnd": "123456789"}
