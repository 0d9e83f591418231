"""The Excel layout of the catalogue (openpyxl): read into import records, write from versions.

Three sheets, one row per procedure / document / fee, joined by the procedure code; the column
list is in ``docs/catalog.md`` and in the workbook's "Hướng dẫn" sheet. Headers are matched
without diacritics or case, so a re-typed header still works. Choice columns take the code
(``commune``) or the Vietnamese label (``Cấp xã``); exports write the label.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tinhso.catalog.choices import (
    AgencyRole,
    Channel,
    CollectedWhen,
    DocumentCopy,
    FeeChannel,
    FeeKind,
    Level,
    OnlineLevel,
    ProcedureKind,
    TimeUnit,
)
from tinhso.catalog.records import ProcedureRecord, RowRejected, record_from_json
from tinhso.core.text import fold

PROCEDURES = "Thủ tục"
DOCUMENTS = "Thành phần hồ sơ"
FEES = "Phí, lệ phí"
GUIDE = "Hướng dẫn"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    help: str
    width: int = 24
    required: bool = False


PROCEDURE_COLUMNS = [
    Column("code", "Mã thủ tục", "Mã TTHC quốc gia dạng d.dddddd, ví dụ 1.001193.", 12, True),
    Column("name", "Tên thủ tục", "Tên đầy đủ.", 60, True),
    Column("sector", "Lĩnh vực", "Tên lĩnh vực, ví dụ Hộ tịch.", 24, True),
    Column("sector_code", "Mã lĩnh vực DVCQG", "Ví dụ G15-TP07 (có thể để trống).", 14),
    Column("level", "Cấp thực hiện", "Cấp tỉnh, Cấp xã hoặc Cấp tỉnh và cấp xã (hoặc province/commune/both).", 16, True),
    Column("kind", "Loại thủ tục", "TTHC tiêu chuẩn hoặc TTHC đặc thù của địa phương.", 16),
    Column("processing_time_value", "Thời hạn giải quyết", "Số, ví dụ 3 hoặc 0,5.", 10),
    Column("processing_time_unit", "Đơn vị thời hạn", "ngày làm việc, giờ làm việc, ngày, giờ, tháng.", 14),
    Column("processing_time_text", "Thời hạn (nguyên văn)", "Cách ghi đầy đủ, nhiều dòng.", 30),
    Column("online_level", "Mức độ DVC trực tuyến", "Toàn trình, Một phần hoặc Chưa cung cấp trực tuyến.", 14),
    Column("legacy_online_level", "Mức độ cũ (NĐ 43/2011)", "2, 3 hoặc 4; chỉ lưu làm dữ liệu.", 10),
    Column("submission_channels", "Cách thức nộp", "Trực tiếp, Trực tuyến, Bưu chính — cách nhau bởi dấu phẩy.", 20),
    Column("applicant_types", "Đối tượng thực hiện", "Mỗi dòng một đối tượng.", 24),
    Column("agencies", "Cơ quan thực hiện", "Mỗi dòng một cơ quan (nguyên văn).", 24),
    Column("competent", "Cơ quan có thẩm quyền", "Mỗi dòng một cơ quan (nguyên văn).", 24),
    Column("coordinating", "Cơ quan phối hợp", "Mỗi dòng một cơ quan (nguyên văn).", 20),
    Column("receiving_address", "Địa chỉ tiếp nhận", "", 20),
    Column("agency_links", "Cơ quan liên kết", "Mỗi dòng “mã cơ quan: vai trò”, vai trò là competent, receiving "
                                                 "hoặc coordinating; ví dụ H44.101.01: receiving.", 26),
    Column("steps_text", "Trình tự thực hiện", "", 40),
    Column("conditions_text", "Yêu cầu, điều kiện", "", 30),
    Column("result_text", "Kết quả thực hiện", "", 24),
    Column("legal_basis", "Căn cứ pháp lý", "Mỗi dòng “số hiệu — trích yếu”.", 40),
    Column("fees_text", "Phí, lệ phí (nguyên văn)", "Chi tiết từng khoản ở sheet Phí, lệ phí.", 30),
    Column("keywords", "Từ khóa", "Các từ giúp tìm kiếm.", 20),
    Column("notes", "Ghi chú", "Những điểm chưa kiểm chứng; hiển thị công khai.", 30),
    Column("decision_ref", "Quyết định công bố", "", 20),
    Column("local_code", "Mã tại địa phương", "Ví dụ 1.001193.000.00.00.H44.", 24),
    Column("popularity", "Số lượt sử dụng", "Số nguyên; dùng cho mục thủ tục dùng nhiều.", 10),
    Column("eform", "Biểu mẫu điện tử (JSON)", "JSON Schema rút gọn, xem docs/catalog.md.", 30),
    Column("process", "Quy trình nội bộ (JSON)", "Xem định dạng trong docs/catalog.md.", 30),
]
DOCUMENT_COLUMNS = [
    Column("code", "Mã thủ tục", "Mã thủ tục của dòng ở sheet Thủ tục.", 12, True),
    Column("case_name", "Trường hợp", "Nhóm giấy tờ hoặc trường hợp; để trống nếu chung.", 30),
    Column("doc_code", "Mã thành phần", "Duy nhất trong một thủ tục; để trống sẽ tự đặt.", 22),
    Column("name", "Tên giấy tờ", "", 50, True),
    Column("original_or_copy", "Loại bản", "Bản chính, Bản sao, Bản chính và bản sao, Bản chính hoặc bản sao.", 16),
    Column("original_qty", "Số bản chính", "", 8),
    Column("copy_qty", "Số bản sao", "", 8),
    Column("quantity", "Số lượng", "", 8),
    Column("is_required", "Bắt buộc", "có hoặc không.", 8),
    Column("template_name", "Mẫu đơn, tờ khai", "", 24),
    Column("accepts", "Định dạng chấp nhận", "pdf, image … cách nhau bởi dấu phẩy.", 14),
    Column("electronic_form", "Có biểu mẫu điện tử", "có hoặc không.", 8),
    Column("note", "Ghi chú", "", 20),
]
FEE_COLUMNS = [
    Column("code", "Mã thủ tục", "Mã thủ tục của dòng ở sheet Thủ tục.", 12, True),
    Column("kind", "Loại", "Phí hoặc Lệ phí.", 10),
    Column("name", "Tên khoản thu", "", 24),
    Column("amount", "Mức thu (đồng)", "Số tiền; để trống nếu tính theo cách tính.", 14),
    Column("rule_text", "Cách tính", "Ví dụ 2.000 đồng/trang.", 30),
    Column("collected_when", "Thời điểm thu", "Khi nộp hồ sơ, Khi bổ sung hồ sơ, Khi nhận kết quả.", 16),
    Column("channel", "Áp dụng cho", "Mọi cách thức nộp, Nộp trực tuyến, Nộp trực tiếp, Nộp qua bưu chính.", 16),
    Column("description", "Mô tả", "", 30),
]
SHEETS = {PROCEDURES: PROCEDURE_COLUMNS, DOCUMENTS: DOCUMENT_COLUMNS, FEES: FEE_COLUMNS}
# record_from_json reports JSON keys; the report speaks in Excel headers.
_JSON_TO_COLUMN = {
    "code": "code", "name": "name", "field": "sector", "sector": "sector", "level": "level",
    "processing_days": "processing_time_value", "processing_unit": "processing_time_unit",
    "tinhso.processing_time.value": "processing_time_value", "tinhso.processing_time.unit": "processing_time_unit",
    "submission_channels": "submission_channels", "tinhso.online_level": "online_level",
    "tinhso.legacy_online_level": "legacy_online_level", "tinhso.popularity": "popularity",
    "tinhso.eform": "eform", "tinhso.process": "process", "tinhso.agency_links": "agency_links",
    "agencies": "agencies",
}


def header_of(sheet: str, key: str) -> str:
    for column in SHEETS[sheet]:
        if column.key == key:
            return column.header
    return key


def column_for(json_key: str) -> str:
    """The Excel header for a column named in a ``RowRejected`` from ``record_from_json``."""
    key = _JSON_TO_COLUMN.get(json_key)
    return header_of(PROCEDURES, key) if key else json_key


# --- reading ---------------------------------------------------------------------------------------


def _choice(value, choices, *, sheet: str, key: str, default: str = "") -> str:
    raw = str(value).strip() if value is not None else ""
    if not raw:
        return default
    wanted = fold(raw)
    for code, label in choices.choices:
        if wanted in (fold(str(code)), fold(str(label))):
            return code
    labels = ", ".join(str(label) for _, label in choices.choices)
    raise RowRejected(header_of(sheet, key), f"Giá trị “{raw}” không hợp lệ; dùng một trong: {labels}.")


def _lines(value) -> list[str]:
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


def _bool(value, *, sheet: str, key: str, default: bool) -> bool:
    if value is None or str(value).strip() == "":
        return default
    if isinstance(value, bool):
        return value
    folded = fold(str(value))
    if folded in ("co", "x", "true", "1", "yes"):
        return True
    if folded in ("khong", "false", "0", "no"):
        return False
    raise RowRejected(header_of(sheet, key), f"“{value}” không hợp lệ; ghi “có” hoặc “không”.")


def _int(value, *, sheet: str, key: str) -> int | None:
    if value is None or str(value).strip() == "":
        return None
    try:
        number = float(str(value).replace(",", "."))
    except ValueError:
        raise RowRejected(header_of(sheet, key), f"“{value}” không phải là số nguyên.") from None
    if number != int(number) or number < 0:
        raise RowRejected(header_of(sheet, key), f"“{value}” phải là số nguyên không âm.")
    return int(number)


def _json(value, *, key: str):
    if value is None or str(value).strip() == "":
        return None
    try:
        return json.loads(str(value))
    except json.JSONDecodeError as exc:
        raise RowRejected(header_of(PROCEDURES, key), f"JSON không hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}.") from None


def _rows(sheet) -> Iterator[tuple[int, dict]]:
    """(row number, {key: value}) for every non-empty row, headers matched by folded text."""
    rows = sheet.iter_rows(values_only=True)
    try:
        headers = next(rows)
    except StopIteration:
        return
    by_header = {fold(c.header): c.key for c in SHEETS[sheet.title]}
    keys = [by_header.get(fold(str(h or "")).rstrip(" *")) for h in headers]
    for number, values in enumerate(rows, start=2):
        row = {k: v for k, v in zip(keys, values, strict=False) if k}
        if any(v not in (None, "") for v in row.values()):
            yield number, row


def _document(row: dict) -> dict:
    s = DOCUMENTS
    return {
        "group": str(row.get("case_name") or ""),
        "component_code": str(row.get("doc_code") or "").strip(),
        "name": str(row.get("name") or ""),
        "original_or_copy": _choice(row.get("original_or_copy"), DocumentCopy, sheet=s, key="original_or_copy",
                                    default=DocumentCopy.ORIGINAL),
        "original_qty": _int(row.get("original_qty"), sheet=s, key="original_qty") or 0,
        "copy_qty": _int(row.get("copy_qty"), sheet=s, key="copy_qty") or 0,
        "quantity": _int(row.get("quantity"), sheet=s, key="quantity"),
        "is_required": _bool(row.get("is_required"), sheet=s, key="is_required", default=True),
        "form_template_name": str(row.get("template_name") or ""),
        "accepts": [a.strip() for a in str(row.get("accepts") or "").split(",") if a.strip()],
        "electronic_form": _bool(row.get("electronic_form"), sheet=s, key="electronic_form", default=False),
        "note": str(row.get("note") or ""),
    }


def _fee(row: dict) -> dict:
    s = FEES
    amount = row.get("amount")
    if amount is not None and str(amount).strip() != "":
        try:
            amount = int(float(str(amount).replace(".", "").replace(",", "")))
        except ValueError:
            raise RowRejected(header_of(s, "amount"), f"“{amount}” không phải là số tiền.") from None
        if amount < 0:
            raise RowRejected(header_of(s, "amount"), "Mức thu không được âm.")
    else:
        amount = None
    if amount is None and not str(row.get("rule_text") or "").strip():
        raise RowRejected(header_of(s, "rule_text"), "Cần mức thu hoặc cách tính.")
    return {
        "kind": _choice(row.get("kind"), FeeKind, sheet=s, key="kind", default=FeeKind.CHARGE),
        "name": str(row.get("name") or ""),
        "amount": amount,
        "rule_text": str(row.get("rule_text") or ""),
        "collected_when": _choice(row.get("collected_when"), CollectedWhen, sheet=s, key="collected_when",
                                  default=CollectedWhen.ON_SUBMISSION),
        "channel": _choice(row.get("channel"), FeeChannel, sheet=s, key="channel", default=FeeChannel.ALL),
        "description": str(row.get("description") or ""),
    }


def _procedure(row: dict) -> dict:
    s = PROCEDURES
    links = []
    for line in _lines(row.get("agency_links")):
        agency, _, role = line.partition(":")
        links.append({"agency": agency.strip(),
                      "role": _choice(role, AgencyRole, sheet=s, key="agency_links") if role.strip() else ""})
    value = row.get("processing_time_value")
    extra = {
        "processing_time": {
            "value": None if value is None or str(value).strip() == "" else str(value).replace(",", "."),
            "unit": _choice(row.get("processing_time_unit"), TimeUnit, sheet=s, key="processing_time_unit"),
            "text": row.get("processing_time_text") or "",
        },
        "online_level": _choice(row.get("online_level"), OnlineLevel, sheet=s, key="online_level",
                                default=OnlineLevel.NONE),
        "legacy_online_level": _int(row.get("legacy_online_level"), sheet=s, key="legacy_online_level"),
        "keywords": row.get("keywords") or "",
        "notes": row.get("notes") or "",
        "local_code": row.get("local_code") or "",
        "eform": _json(row.get("eform"), key="eform"),
        "process": _json(row.get("process"), key="process"),
        "agency_links": links,
    }
    popularity = _int(row.get("popularity"), sheet=s, key="popularity")
    if popularity is not None:
        extra["popularity"] = popularity
    level = _choice(row.get("level"), Level, sheet=s, key="level") if row.get("level") else ""
    return {
        "code": str(row.get("code") or "").strip(),
        "name": row.get("name") or "",
        "field": row.get("sector") or "",
        "field_code": row.get("sector_code") or "",
        "level": {Level.PROVINCE: "Cấp tỉnh", Level.COMMUNE: "Cấp xã", Level.BOTH: "Cấp tỉnh, Cấp xã"}.get(level, ""),
        "kind": "TTHC Đặc thù" if _choice(row.get("kind"), ProcedureKind, sheet=s, key="kind") == ProcedureKind.SPECIFIC
        else "TTHC Tiêu chuẩn",
        "processing_time_text": row.get("processing_time_text") or "",
        "submission_channels": [
            _choice(c, Channel, sheet=s, key="submission_channels") for c in str(row.get("submission_channels") or "").split(",")
            if c.strip()
        ],
        "applicant_types": _lines(row.get("applicant_types")),
        "agencies": _lines(row.get("agencies")),
        "competent_authority": _lines(row.get("competent")),
        "coordinating_agencies": _lines(row.get("coordinating")),
        "receiving_address": row.get("receiving_address") or "",
        "steps_text": row.get("steps_text") or "",
        "requirements_text": row.get("conditions_text") or "",
        "result": row.get("result_text") or "",
        "legal_basis": _lines(row.get("legal_basis")),
        "fees_text": row.get("fees_text") or "",
        "decision_ref": row.get("decision_ref") or "",
        "documents": [],
        "tinhso": extra,
    }


@dataclass
class ExcelRow:
    """One procedure of a workbook: where it came from, and its raw record or why it is rejected."""

    locator: str  # "Thủ tục!5"
    code: str
    raw: dict | None
    error: RowRejected | None = None
    error_locator: str = ""


def excel_read(path: str | Path) -> Iterator[ExcelRow]:
    """Each procedure row with its document and fee rows attached (national record shape + tinhso).

    A bad document or fee row rejects its whole procedure, so nothing is half-imported; a child
    row whose code has no procedure row is reported on its own.
    """
    workbook = load_workbook(path, read_only=True, data_only=True)
    if PROCEDURES not in workbook.sheetnames:
        raise RowRejected("", f"Tệp không có sheet “{PROCEDURES}”.")
    children: dict[str, list[tuple[str, str, dict]]] = {}
    orphans: list[ExcelRow] = []
    for sheet_name in (DOCUMENTS, FEES):
        if sheet_name not in workbook.sheetnames:
            continue
        for number, row in _rows(workbook[sheet_name]):
            code = str(row.get("code") or "").strip()
            children.setdefault(code, []).append((sheet_name, f"{sheet_name}!{number}", row))
    codes: set[str] = set()
    for number, row in _rows(workbook[PROCEDURES]):
        locator = f"{PROCEDURES}!{number}"
        code = str(row.get("code") or "").strip()
        codes.add(code)
        try:
            raw = _procedure(row)
        except RowRejected as exc:
            yield ExcelRow(locator, code, None, exc, locator)
            continue
        fees, error = [], None
        for sheet_name, child_locator, child in children.get(code, []):
            try:
                if sheet_name == DOCUMENTS:
                    if not str(child.get("name") or "").strip():
                        raise RowRejected(header_of(DOCUMENTS, "name"), "Thiếu tên giấy tờ.")
                    raw["documents"].append(_document(child))
                else:
                    fees.append(_fee(child))
            except RowRejected as exc:
                error = ExcelRow(locator, code, None, exc, child_locator)
                break
        if error is not None:
            yield error
            continue
        raw["tinhso"]["fees"] = fees
        yield ExcelRow(locator, code, raw)
    for code, rows in children.items():
        if code not in codes:
            for _sheet, child_locator, _row in rows:
                orphans.append(ExcelRow(child_locator, code, None, RowRejected(
                    header_of(DOCUMENTS, "code"), f"Không có thủ tục mã “{code}” ở sheet {PROCEDURES}."), child_locator))
    yield from orphans
    workbook.close()


# --- writing ---------------------------------------------------------------------------------------


def _label(choices, value) -> str:
    return str(dict(choices.choices).get(value, value or ""))


def _number_cell(value):
    if value is None:
        return None
    return int(value) if value == int(value) else float(value)


def version_rows(version) -> tuple[list, list[list], list[list]]:
    """The cells of one version: its procedure row, document rows and fee rows."""
    procedure = version.procedure
    from tinhso.catalog.process import process_spec_from_definition
    from tinhso.catalog.selectors import version_process

    definition = version_process(version)
    legal = [" — ".join(p for p in (b.get("number", ""), b.get("title", "")) if p) for b in version.legal_basis]
    values = {
        "code": procedure.code, "name": version.name, "sector": version.sector.name,
        "sector_code": version.sector.national_code, "level": _label(Level, version.level),
        "kind": _label(ProcedureKind, version.kind),
        "processing_time_value": _number_cell(version.processing_time_value),
        "processing_time_unit": _label(TimeUnit, version.processing_time_unit),
        "processing_time_text": version.processing_time_text, "online_level": _label(OnlineLevel, version.online_level),
        "legacy_online_level": version.legacy_online_level,
        "submission_channels": ", ".join(_label(Channel, c) for c in version.submission_channels),
        "applicant_types": "\n".join(version.applicant_types), "agencies": "\n".join(version.agencies_text),
        "competent": "\n".join(version.competent_text), "coordinating": "\n".join(version.coordinating_text),
        "receiving_address": version.receiving_address,
        "agency_links": "\n".join(f"{link.agency.code}: {link.role}" for link in version.agency_links.all()),
        "steps_text": version.steps_text, "conditions_text": version.conditions_text,
        "result_text": version.result_text, "legal_basis": "\n".join(legal), "fees_text": version.fees_text,
        "keywords": version.keywords, "notes": version.notes, "decision_ref": version.decision_ref,
        "local_code": procedure.local_code, "popularity": procedure.popularity,
        "eform": json.dumps(version.eform_schema, ensure_ascii=False) if version.eform_schema else "",
        "process": json.dumps(process_spec_from_definition(definition).as_json(), ensure_ascii=False) if definition else "",
    }
    documents = [
        [procedure.code, d.case_name, d.code, d.name, _label(DocumentCopy, d.original_or_copy), d.original_qty,
         d.copy_qty, d.quantity, "có" if d.is_required else "không", d.template_name, ", ".join(d.accepts),
         "có" if d.electronic_form else "không", d.note]
        for d in version.documents.all()
    ]
    fees = [
        [procedure.code, _label(FeeKind, f.kind), f.name, _number_cell(f.amount), f.rule_text,
         _label(CollectedWhen, f.collected_when), _label(FeeChannel, f.channel), f.description]
        for f in version.fees.all()
    ]
    return [values[c.key] for c in PROCEDURE_COLUMNS], documents, fees


def version_raw(version) -> dict:
    """The raw record that the workbook row of ``version`` reads back as (export, then ``excel_read``)."""
    values, documents, fees = version_rows(version)
    raw = _procedure(dict(zip((c.key for c in PROCEDURE_COLUMNS), values, strict=True)))
    keys = [c.key for c in DOCUMENT_COLUMNS]
    raw["documents"] = [_document(dict(zip(keys, cells, strict=True))) for cells in documents]
    keys = [c.key for c in FEE_COLUMNS]
    raw["tinhso"]["fees"] = [_fee(dict(zip(keys, cells, strict=True))) for cells in fees]
    return raw


def version_record(version) -> ProcedureRecord:
    """``version`` as this layout carries it: equal content hashes mean an exported row came back unchanged."""
    return record_from_json(version_raw(version))


def excel_write(path: str | Path, versions) -> int:
    """Write ``versions`` in the layout above; returns the number of procedures written."""
    workbook = Workbook()
    guide = workbook.active
    guide.title = GUIDE
    guide.append(["Sheet", "Cột", "Bắt buộc", "Cách ghi"])
    for sheet_name, columns in SHEETS.items():
        for column in columns:
            guide.append([sheet_name, column.header, "có" if column.required else "", column.help])
    for cell in guide[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (18, 28, 10, 90), strict=True):
        guide.column_dimensions[letter].width = width

    sheets = {}
    for sheet_name, columns in SHEETS.items():
        sheet = workbook.create_sheet(sheet_name)
        sheet.append([c.header for c in columns])
        for index, column in enumerate(columns, start=1):
            sheet.cell(row=1, column=index).font = Font(bold=True)
            sheet.column_dimensions[get_column_letter(index)].width = column.width
        sheet.freeze_panes = "B2"
        sheets[sheet_name] = sheet
    count = 0
    for version in versions:
        row, documents, fees = version_rows(version)
        sheets[PROCEDURES].append(row)
        for document in documents:
            sheets[DOCUMENTS].append(document)
        for fee in fees:
            sheets[FEES].append(fee)
        count += 1
    for sheet in sheets.values():
        for cells in sheet.iter_rows(min_row=2):
            for cell in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    workbook.save(path)
    return count
