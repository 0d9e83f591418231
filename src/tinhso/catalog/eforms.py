"""E-forms (biểu mẫu điện tử): a small JSON Schema subset, checked, rendered and validated here.

Supported (docs/catalog.md, "Biểu mẫu điện tử"): a top-level ``type: object`` with ``title``,
``description``, ``properties`` and ``required``; properties of type ``string`` (``maxLength``,
``minLength``, ``pattern``, ``enum`` with optional ``x-enumNames``, ``format``: ``date``,
``email`` and the Tỉnh Số formats ``id_number``, ``tax_code``, ``phone``; for dates
``formatMinimum``/``formatMaximum`` as an ISO date or ``"today"``), ``integer`` and ``number``
(``minimum``, ``maximum``) and ``boolean`` (``const: true`` for a declaration that must be
ticked). ``x-widget: "textarea"`` asks for a multi-line box. Titles and descriptions are the
Vietnamese labels and help texts. ``x-applicant`` is the author's statement that a string field holds
the applicant's own data (see :func:`eform_applicant_fields`, :func:`eform_prefill`), so an applicant
submitting for themself is not asked again for what the account holds.

PostgreSQL's ``jsonb`` does not keep key order, so the checked schema carries ``x-order``: the
property names in the order the author wrote them. A dozen rules do not justify the
``jsonschema`` dependency, and its messages are English.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone

from tinhso.core.errors import ValidationFailed
from tinhso.core.text import clean_text, nfc
from tinhso.core.validators import normalize_phone, validate_id_number, validate_tax_code

TYPES = ("string", "integer", "number", "boolean")
FORMATS = ("date", "email", "id_number", "tax_code", "phone")
PROPERTY_NAME = re.compile(r"[a-z][a-z0-9_]{0,49}")
_COMMON = {"type", "title", "description", "default", "x-widget"}
_KEYWORDS = {
    "string": _COMMON | {"maxLength", "minLength", "pattern", "enum", "x-enumNames", "format",
                         "formatMinimum", "formatMaximum", "x-applicant"},
    "integer": _COMMON | {"minimum", "maximum"},
    "number": _COMMON | {"minimum", "maximum"},
    "boolean": _COMMON | {"const"},
}
_TOP_KEYWORDS = {"$schema", "$id", "type", "title", "description", "properties", "required", "x-order"}
_TRUE = {"on", "true", "1", "yes", "co", "có"}


def _schema_error(errors: list[dict]) -> ValidationFailed:
    return ValidationFailed("Biểu mẫu điện tử (JSON Schema) chưa hợp lệ.", code="invalid_eform", errors=errors)


def _iso_date(value) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def eform_schema_check(schema) -> dict:
    """Check that ``schema`` uses only the supported subset; return it with ``x-order`` filled.

    Raises ``ValidationFailed`` (code ``invalid_eform``) listing every problem.
    """
    errors: list[dict] = []

    def error(where: str, message: str) -> None:
        errors.append({"field": where, "message": message})

    if not isinstance(schema, dict):
        raise _schema_error([{"field": "eform", "message": "Biểu mẫu phải là một đối tượng JSON."}])
    if schema.get("type") != "object":
        error("eform.type", "Biểu mẫu phải có “type”: “object”.")
    for key in sorted(set(schema) - _TOP_KEYWORDS):
        error(f"eform.{key}", f"Từ khóa “{key}” không được hỗ trợ ở cấp biểu mẫu.")
    properties = schema.get("properties")
    if not isinstance(properties, dict) or not properties:
        error("eform.properties", "Biểu mẫu phải có ít nhất một trường (properties).")
        raise _schema_error(errors)

    for name, prop in properties.items():
        where = f"eform.properties.{name}"
        if not PROPERTY_NAME.fullmatch(str(name)):
            error(where, f"Tên trường “{name}” chỉ được gồm chữ thường không dấu, chữ số và dấu gạch dưới.")
        if not isinstance(prop, dict):
            error(where, "Mỗi trường phải là một đối tượng JSON.")
            continue
        kind = prop.get("type")
        if kind not in TYPES:
            error(where, f"Kiểu “{kind}” không được hỗ trợ; dùng một trong: {', '.join(TYPES)}.")
            continue
        for key in sorted(set(prop) - _KEYWORDS[kind]):
            error(where, f"Từ khóa “{key}” không được hỗ trợ cho kiểu {kind}.")
        if not str(prop.get("title") or "").strip():
            error(where, "Trường phải có nhãn (title) bằng tiếng Việt.")
        for key in ("maxLength", "minLength"):
            if key in prop and (not isinstance(prop[key], int) or isinstance(prop[key], bool) or prop[key] < 0):
                error(where, f"“{key}” phải là số nguyên không âm.")
        if "pattern" in prop:
            try:
                re.compile(str(prop["pattern"]))
            except re.error:
                error(where, f"Mẫu kiểm tra (pattern) “{prop['pattern']}” không hợp lệ.")
        if "enum" in prop:
            enum = prop["enum"]
            if not isinstance(enum, list) or not enum or not all(isinstance(v, str) for v in enum):
                error(where, "“enum” phải là danh sách chuỗi, không rỗng.")
            elif "x-enumNames" in prop and (
                not isinstance(prop["x-enumNames"], list) or len(prop["x-enumNames"]) != len(enum)
            ):
                error(where, "“x-enumNames” phải có cùng số phần tử với “enum”.")
        if "format" in prop and prop["format"] not in FORMATS:
            error(where, f"Định dạng “{prop['format']}” không được hỗ trợ; dùng một trong: {', '.join(FORMATS)}.")
        for key in ("formatMinimum", "formatMaximum"):
            if key in prop and (prop.get("format") != "date" or (prop[key] != "today" and not _iso_date(prop[key]))):
                error(where, f"“{key}” chỉ dùng cho ngày, với giá trị YYYY-MM-DD hoặc “today”.")
        for key in ("minimum", "maximum"):
            if key in prop and (isinstance(prop[key], bool) or not isinstance(prop[key], int | float)):
                error(where, f"“{key}” phải là một số.")
        if "const" in prop and prop["const"] is not True:
            error(where, "Với kiểu boolean chỉ hỗ trợ “const”: true (ô xác nhận bắt buộc đánh dấu).")
        if "x-widget" in prop and (kind != "string" or prop["x-widget"] != "textarea"):
            error(where, "“x-widget” chỉ nhận giá trị “textarea” cho trường kiểu string.")
        if "x-applicant" in prop and prop["x-applicant"] not in ("", *APPLICANT_KEYS):
            error(where, f"“x-applicant” nhận một trong: {', '.join(APPLICANT_KEYS)} (hoặc \"\" để không lấy).")

    required = schema.get("required", [])
    if not isinstance(required, list) or not all(isinstance(r, str) for r in required):
        error("eform.required", "“required” phải là danh sách tên trường.")
    else:
        for name in required:
            if name not in properties:
                error("eform.required", f"Trường bắt buộc “{name}” không có trong properties.")

    order = schema.get("x-order")
    if order is not None and (not isinstance(order, list) or sorted(order) != sorted(properties)):
        error("eform.x-order", "“x-order” phải liệt kê đúng và đủ các trường.")
    if errors:
        raise _schema_error(errors)
    return {**schema, "x-order": list(order) if order else list(properties)}


# --- Applicant data in e-forms ------------------------------------------------------------------

APPLICANT_KEYS = ("name", "id_number", "tax_code", "birth_date", "phone", "email", "address")
# Who the applicant is: a field the e-form's author marked with one of these keys is locked to the
# account (shown read-only, applied again at submission) when the applicant submits for themself.
IDENTITY_KEYS = frozenset({"name", "id_number", "tax_code", "birth_date"})
# Field names the province's e-forms (and the national forms) often use for the applicant's own data.
# A name says nothing certain about whose data a field holds ("ho_ten" of a deceased person or a
# child, "dia_chi" of a land parcel), and forms published before x-applicant existed use them: such a
# field is only a suggestion in the wizard (filled when blank, always editable), never locked, and the
# server never fills it. "ngay_sinh" is left out on purpose: the birth registration form asks for the
# child's.
WELL_KNOWN_FIELDS = {
    "ho_ten": "name", "ho_va_ten": "name",
    "so_dinh_danh": "id_number", "so_cccd": "id_number", "so_can_cuoc": "id_number",
    "ma_so_thue": "tax_code",
    "dien_thoai": "phone", "so_dien_thoai": "phone",
    "thu_dien_tu": "email", "email": "email",
    "dia_chi": "address", "dia_chi_lien_he": "address",
}
_KEY_FORMATS = {"name": {""}, "id_number": {"id_number", ""}, "tax_code": {"tax_code", ""},
                "birth_date": {"date"}, "phone": {"phone", ""}, "email": {"email", ""}, "address": {""}}


def _applicant_props(schema: dict):
    """(name, prop) of the string fields that can hold an applicant value (no ``enum``: a choice)."""
    for name, prop in (schema or {}).get("properties", {}).items():
        if isinstance(prop, dict) and prop.get("type") == "string" and "enum" not in prop:
            yield name, prop


def eform_applicant_fields(schema: dict) -> dict[str, str]:
    """The fields the e-form's author marked as the applicant's own data: ``{property: key}``
    (``x-applicant``, one of :data:`APPLICANT_KEYS`; ``""`` marks a field as holding none)."""
    return {name: prop["x-applicant"] for name, prop in _applicant_props(schema)
            if prop.get("x-applicant") in APPLICANT_KEYS}


def eform_suggested_fields(schema: dict) -> dict[str, str]:
    """Fields that probably hold the applicant's data without a mark: a :data:`WELL_KNOWN_FIELDS`
    name whose ``format`` fits the key (``so_dinh_danh`` with ``id_number`` or none, ``dien_thoai``
    with ``phone`` or none), plus the marked contact fields (phone, e-mail, address). Only ever
    suggestions: see :func:`eform_prefill`."""
    suggested = {}
    for name, prop in _applicant_props(schema):
        if "x-applicant" in prop:
            if prop["x-applicant"] in APPLICANT_KEYS and prop["x-applicant"] not in IDENTITY_KEYS:
                suggested[name] = prop["x-applicant"]
            continue
        key = WELL_KNOWN_FIELDS.get(name)
        if key and prop.get("format", "") in _KEY_FORMATS[key]:
            suggested[name] = key
    return suggested


def _applicant_value(prop: dict, name: str, value) -> str:
    """``value`` as the field would store it, or "" when there is none or the field's own rules
    (maxLength, pattern, format…) refuse it: such a value is neither locked nor suggested, the
    applicant types what the form wants (e.g. a 9-digit old identity card number)."""
    value = value.isoformat() if isinstance(value, date) else str(value or "").strip()
    if not value:
        return ""
    try:
        return str(_check_string(prop, prop.get("title", name), value))
    except ValueError:
        return ""


def eform_locked_values(schema: dict, applicant: dict) -> dict[str, str]:
    """``{property: value}`` of the identity fields the author marked (``x-applicant`` of
    :data:`IDENTITY_KEYS`) for which ``applicant`` has a value that field accepts.

    Only for an applicant submitting for themself (the account owner, online): those fields are shown
    read-only and take these values whatever was posted. ``applicant`` is ``{key: value}`` with keys
    of :data:`APPLICANT_KEYS` (dates as ``date`` or ISO); a key left out or empty is not locked."""
    properties = (schema or {}).get("properties", {})
    locked = {}
    for name, key in eform_applicant_fields(schema).items():
        if key in IDENTITY_KEYS:
            value = _applicant_value(properties[name], name, applicant.get(key))
            if value:
                locked[name] = value
    return locked


def eform_prefill(schema: dict, data, applicant: dict, *, suggest: bool = True) -> tuple[dict, frozenset[str]]:
    """``data`` (the schema's fields only) as the wizard shows it to an applicant submitting for
    themself; returns it with the names of the locked fields, to be shown read-only.

    The marked identity fields take the account's values (:func:`eform_locked_values`) whatever was
    typed. With ``suggest`` (showing the draft, not handling a post), blank fields of
    :func:`eform_suggested_fields` — and marked identity fields that could not be locked — are
    filled with the applicant's value when the field accepts it; they stay editable.
    """
    data = data if hasattr(data, "get") else {}
    properties = (schema or {}).get("properties", {})
    filled = {name: data.get(name) for name in properties if name in data}
    locked = eform_locked_values(schema, applicant)
    filled.update(locked)
    if suggest:
        candidates = {**eform_suggested_fields(schema), **eform_applicant_fields(schema)}
        for name, key in candidates.items():
            if name not in locked and _blank(filled.get(name)):
                value = _applicant_value(properties[name], name, applicant.get(key))
                if value:
                    filled[name] = value
    return filled, frozenset(locked)


@dataclass
class EformField:
    """One field as the form template needs it."""

    name: str
    kind: str
    title: str
    description: str
    required: bool
    widget: str  # text, textarea, select, checkbox, date, email, tel, number
    input_mode: str
    max_length: int | None
    choices: list[tuple[str, str]]
    minimum: float | None
    maximum: float | None
    step: str
    min_date: str
    max_date: str
    value: object = ""
    error: str = ""
    readonly: bool = False  # a marked identity field locked to the account (eform_prefill)

    @property
    def html_id(self) -> str:
        return f"eform-{self.name}"

    @property
    def described_by(self) -> str:
        """ids of the help text and the error message, for ``aria-describedby``."""
        ids = [f"{self.html_id}-help"] if self.description else []
        if self.readonly:
            ids.append(f"{self.html_id}-source")
        if self.error:
            ids.append(f"{self.html_id}-error")
        return " ".join(ids)


def _date_bound(value) -> str:
    if value == "today":
        return timezone.localdate().isoformat()
    return str(value) if value else ""


def eform_fields(schema: dict, data=None, errors: list[dict] | None = None,
                 readonly: frozenset[str] | set[str] = frozenset()) -> list[EformField]:
    """The fields of a checked schema in author order, with values and error messages attached;
    the fields named in ``readonly`` are shown but not editable (the locked identity, eform_prefill)."""
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    by_field = {e.get("field"): e.get("message", "") for e in (errors or [])}
    data = data or {}
    fields = []
    for name in schema.get("x-order") or list(properties):
        prop = properties[name]
        kind = prop["type"]
        fmt = prop.get("format", "")
        widget, input_mode = "text", ""
        if kind == "boolean":
            widget = "checkbox"
        elif kind in ("integer", "number"):
            widget = "number"
        elif "enum" in prop:
            widget = "select"
        elif fmt == "date":
            widget = "date"
        elif fmt == "email":
            widget = "email"
        elif fmt == "phone":
            widget, input_mode = "tel", "tel"
        elif fmt in ("id_number", "tax_code"):
            input_mode = "numeric"
        elif prop.get("x-widget") == "textarea":
            widget = "textarea"
        labels = prop.get("x-enumNames") or prop.get("enum") or []
        value = data.get(name, prop.get("default", "")) if hasattr(data, "get") else ""
        fields.append(
            EformField(
                name=name, kind=kind, title=prop.get("title", name), description=prop.get("description", ""),
                required=name in required or prop.get("const") is True, widget=widget, input_mode=input_mode,
                max_length=prop.get("maxLength"), choices=list(zip(prop.get("enum") or [], labels, strict=False)),
                minimum=prop.get("minimum"), maximum=prop.get("maximum"),
                step="1" if kind == "integer" else "any",
                min_date=_date_bound(prop.get("formatMinimum")), max_date=_date_bound(prop.get("formatMaximum")),
                value=value, error=by_field.get(name, ""), readonly=name in readonly,
            )
        )
    return fields


def _parse_date(text: str) -> date | None:
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day)
        return date.fromisoformat(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None
    except ValueError:
        return None


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _check_string(prop: dict, title: str, value) -> object:
    if not isinstance(value, str):
        value = str(value)
    text = nfc(value).strip() if prop.get("x-widget") == "textarea" else clean_text(value)
    if "enum" in prop:
        if text not in prop["enum"]:
            labels = prop.get("x-enumNames") or prop["enum"]
            raise ValueError(f"{title}: hãy chọn một trong các giá trị {', '.join(map(str, labels))}.")
        return text
    if "maxLength" in prop and len(text) > prop["maxLength"]:
        raise ValueError(f"{title} không được dài quá {prop['maxLength']} ký tự.")
    if "minLength" in prop and len(text) < prop["minLength"]:
        raise ValueError(f"{title} phải có ít nhất {prop['minLength']} ký tự.")
    if "pattern" in prop and not re.fullmatch(prop["pattern"], text):
        raise ValueError(f"{title} không đúng định dạng.")
    fmt = prop.get("format")
    if fmt == "date":
        day = _parse_date(text)
        if day is None:
            raise ValueError(f"{title} phải là một ngày hợp lệ, dạng dd/mm/yyyy.")
        low, high = _date_bound(prop.get("formatMinimum")), _date_bound(prop.get("formatMaximum"))
        if low and day < date.fromisoformat(low):
            raise ValueError(f"{title} không được trước ngày {date.fromisoformat(low):%d/%m/%Y}.")
        if high and day > date.fromisoformat(high):
            raise ValueError(f"{title} không được sau ngày {date.fromisoformat(high):%d/%m/%Y}.")
        return day.isoformat()
    if fmt == "email":
        try:
            validate_email(text)
        except ValidationError:
            raise ValueError(f"{title} không phải là địa chỉ thư điện tử hợp lệ.") from None
        return text
    checks = {"id_number": validate_id_number, "tax_code": validate_tax_code, "phone": normalize_phone}
    if fmt in checks:
        try:
            return checks[fmt](text)
        except ValidationFailed as exc:
            raise ValueError(exc.detail) from None
    return text


def _check_number(prop: dict, title: str, value, *, integer: bool) -> object:
    if isinstance(value, bool):
        raise ValueError(f"{title} phải là một số.")
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite():
        raise ValueError(f"{title} phải là một số.")
    if integer and number != number.to_integral_value():
        raise ValueError(f"{title} phải là số nguyên.")
    if "minimum" in prop and number < Decimal(str(prop["minimum"])):
        raise ValueError(f"{title} không được nhỏ hơn {prop['minimum']}.")
    if "maximum" in prop and number > Decimal(str(prop["maximum"])):
        raise ValueError(f"{title} không được lớn hơn {prop['maximum']}.")
    if integer or number == number.to_integral_value():
        return int(number)
    return float(number)


def eform_validate(schema: dict, data) -> dict:
    """Validate submitted ``data`` (a dict or a QueryDict) against a checked schema.

    Returns the cleaned values (NFC strings, ISO dates, normalised id numbers and phones, ints and
    floats, booleans) for the schema's fields only; unknown keys are dropped. Raises
    ``ValidationFailed`` with code ``eform_invalid`` and ``errors`` = [{field, message}] in form
    order, every message in Vietnamese.
    """
    properties = schema.get("properties", {})
    required = set(schema.get("required", []))
    data = data if hasattr(data, "get") else {}
    cleaned: dict = {}
    errors: list[dict] = []
    for name in schema.get("x-order") or list(properties):
        prop = properties[name]
        title = prop.get("title", name)
        value = data.get(name)
        try:
            if prop["type"] == "boolean":
                checked = value is True or (isinstance(value, str) and value.strip().lower() in _TRUE)
                if prop.get("const") is True and not checked:
                    raise ValueError(f"Vui lòng đánh dấu “{title}”.")
                cleaned[name] = checked
                continue
            if _blank(value):
                if name in required:
                    verb = "chọn" if "enum" in prop else "nhập"
                    raise ValueError(f"Vui lòng {verb} {title[:1].lower()}{title[1:]}.")
                continue
            if prop["type"] == "string":
                cleaned[name] = _check_string(prop, title, value)
            else:
                cleaned[name] = _check_number(prop, title, value, integer=prop["type"] == "integer")
        except ValueError as exc:
            errors.append({"field": name, "message": str(exc)})
    if errors:
        raise ValidationFailed(
            f"Biểu mẫu còn {len(errors)} trường chưa hợp lệ; vui lòng kiểm tra lại.",
            code="eform_invalid",
            errors=errors,
        )
    return cleaned
