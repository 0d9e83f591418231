"""Vietnamese messages for input that does not match a schema (``invalid_input``): API requests and action inputs.

Pydantic words its errors in English ("Field required"); the API speaks Vietnamese (DESIGN §5.12), so
each error ``type`` gets its own sentence. The ``type`` stays in the answer for programs.
"""

from __future__ import annotations

from typing import Any

GENERIC = "Giá trị không hợp lệ."

# Pydantic 2 error types (https://docs.pydantic.dev/latest/errors/validation_errors/) → message; the
# placeholders come from the error's ``ctx``.
MESSAGES: dict[str, str] = {
    "missing": "Thiếu giá trị bắt buộc.",
    "int_parsing": "Phải là số nguyên.",
    "int_type": "Phải là số nguyên.",
    "int_from_float": "Phải là số nguyên, không có phần thập phân.",
    "float_parsing": "Phải là một số.",
    "float_type": "Phải là một số.",
    "decimal_parsing": "Phải là một số.",
    "decimal_type": "Phải là một số.",
    "finite_number": "Phải là một số hữu hạn.",
    "greater_than": "Phải lớn hơn {gt}.",
    "greater_than_equal": "Phải lớn hơn hoặc bằng {ge}.",
    "less_than": "Phải nhỏ hơn {lt}.",
    "less_than_equal": "Phải nhỏ hơn hoặc bằng {le}.",
    "decimal_max_digits": "Có quá {max_digits} chữ số.",
    "decimal_max_places": "Có quá {decimal_places} chữ số thập phân.",
    "string_type": "Phải là chuỗi ký tự.",
    "string_too_short": "Phải có ít nhất {min_length} ký tự.",
    "string_too_long": "Không được dài quá {max_length} ký tự.",
    "string_pattern_mismatch": "Không đúng định dạng.",
    "bool_parsing": "Phải là true hoặc false.",
    "bool_type": "Phải là true hoặc false.",
    "date_parsing": "Ngày phải có dạng YYYY-MM-DD.",
    "date_from_datetime_parsing": "Ngày phải có dạng YYYY-MM-DD.",
    "date_type": "Ngày phải có dạng YYYY-MM-DD.",
    "datetime_parsing": "Thời điểm phải theo ISO 8601, ví dụ 2026-02-13T09:00:00+07:00.",
    "datetime_from_date_parsing": "Thời điểm phải theo ISO 8601, ví dụ 2026-02-13T09:00:00+07:00.",
    "datetime_type": "Thời điểm phải theo ISO 8601, ví dụ 2026-02-13T09:00:00+07:00.",
    "uuid_parsing": "Phải là một UUID.",
    "literal_error": "Giá trị không hợp lệ; dùng một trong: {expected}.",
    "enum": "Giá trị không hợp lệ; dùng một trong: {expected}.",
    "list_type": "Phải là một danh sách.",
    "dict_type": "Phải là một đối tượng JSON.",
    "model_type": "Phải là một đối tượng JSON.",
    "model_attributes_type": "Phải là một đối tượng JSON.",
    "too_short": "Phải có ít nhất {min_length} phần tử.",
    "too_long": "Không được có quá {max_length} phần tử.",
    "json_invalid": "JSON không hợp lệ.",
    "extra_forbidden": "Trường này không được chấp nhận.",
}


def _context(ctx: dict[str, Any]) -> dict[str, str]:
    values = {key: str(value) for key, value in ctx.items()}
    if "expected" in values:  # "'province', 'commune' or 'both'"
        values["expected"] = values["expected"].replace(" or ", " hoặc ")
    return values


def validation_message(error: dict[str, Any]) -> str:
    """The Vietnamese sentence for one pydantic error."""
    kind = error.get("type", "")
    if kind == "value_error":
        # Our own validators raise ValueError with a Vietnamese message; pydantic prefixes it.
        text = str(error.get("msg", ""))
        return text.removeprefix("Value error, ") or GENERIC
    template = MESSAGES.get(kind)
    if template is None:
        return GENERIC
    try:
        return template.format(**_context(error.get("ctx") or {}))
    except (KeyError, IndexError):
        return GENERIC


def validation_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``[{"field", "message", "type"}]``: the field as a dotted path without its source (query, body…)."""
    return [
        {
            "field": ".".join(str(part) for part in error.get("loc", ())[1:]) or None,
            "message": validation_message(error),
            "type": error.get("type", ""),
        }
        for error in errors
    ]
