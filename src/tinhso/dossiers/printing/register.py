"""Sổ theo dõi hồ sơ (Mẫu 06 of TT 01/2018, Mẫu 07 of TT 03/2025; vn-standards §4.2) as PDF (A4
landscape) and as an Excel workbook, for one agency and a period (docs/forms.md "Sổ theo dõi").

The rows come from ``dossiers.selectors.dossier_register``, which checks the reader's role in the
agency and logs the read of personal data; this module only lays them out.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime, time

from django.template.loader import select_template
from django.utils import timezone

from tinhso.core.errors import NotFound, ValidationFailed
from tinhso.dossiers.printing.context import DEFAULT_FORM_SET, template_names
from tinhso.dossiers.selectors import RegisterRow, dossier_register
from tinhso.org.models import Agency
from tinhso.org.places import place_of

__all__ = ["COLUMNS", "MAX_PERIOD_DAYS", "Register", "register_get", "register_pdf", "register_xlsx"]

# Header of the register, column by column (vn-standards §4.2 "Mẫu 06 (2018) / 07 (2025)").
COLUMNS = (
    "STT", "Mã hồ sơ", "Tên thủ tục hành chính", "Số lượng hồ sơ (bộ)", "Tên người nộp", "Địa chỉ, số điện thoại",
    "Cơ quan chủ trì giải quyết", "Nhận hồ sơ", "Hẹn trả kết quả", "Hẹn trả lại (xin lỗi, gia hạn)",
    "Chuyển hồ sơ đến cơ quan giải quyết", "Ngày có kết quả/yêu cầu trả lại dân", "Trả kết quả: ngày, tháng, năm",
    "Trả kết quả: ký nhận", "Ghi chú",
)
# The printed form (Mẫu 06/07) has one "Hẹn trả kết quả" column (the new appointment of an apology is
# printed under the first) and "Trả kết quả" split into the day and the applicant's signature.
PDF_COLUMN_COUNT = 14
# One register covers at most a year: a larger PDF takes minutes to lay out.
MAX_PERIOD_DAYS = 366


@dataclass(frozen=True)
class Register:
    agency: Agency
    first: date
    last: date
    rows: list[RegisterRow]
    form_set: str


def _form_set(last: date) -> str:
    """The register's form set is the one in force on the last day of the period."""
    from tinhso.dossiers.regulations import regulation_in_force

    try:
        return regulation_in_force(timezone.make_aware(datetime.combine(last, time(12)))).form_set or DEFAULT_FORM_SET
    except NotFound:
        return DEFAULT_FORM_SET


def register_get(*, actor, agency: Agency | str, first: date, last: date) -> Register:
    """The register of ``agency`` for ``first``–``last`` (both inclusive).

    ``ValidationFailed`` ``invalid_period`` / ``period_too_long``; ``NotFound`` ``agency_not_found``;
    ``PermissionDenied`` ``forbidden`` (from the selector).
    """
    if first > last:
        raise ValidationFailed("Ngày bắt đầu phải trước ngày kết thúc.", code="invalid_period")
    if (last - first).days >= MAX_PERIOD_DAYS:
        raise ValidationFailed(f"Mỗi lần chỉ xuất sổ theo dõi tối đa {MAX_PERIOD_DAYS} ngày.", code="period_too_long")
    rows = dossier_register(actor=actor, agency=agency, period=(first, last))
    if not isinstance(agency, Agency):
        agency = Agency.objects.select_related("parent", "administrative_unit").get(code=str(agency).strip().upper())
    return Register(agency=agency, first=first, last=last, rows=rows, form_set=_form_set(last))


def _context(register: Register) -> dict:
    agency = register.agency
    return {
        "page": "a4-landscape",
        "agency_name": agency.name,
        "parent_agency_name": agency.parent.name if agency.parent_id else "",
        "place": place_of(agency),
        "first": register.first,
        "last": register.last,
        "rows": register.rows,
        "columns": range(1, PDF_COLUMN_COUNT + 1),
    }


def register_pdf(*, actor, agency: Agency | str, first: date, last: date) -> bytes:
    from tinhso.core.pdf import render_pdf

    register = register_get(actor=actor, agency=agency, first=first, last=last)
    template = select_template(template_names(register.form_set, "register"))
    return render_pdf(template_name=template.template.name, context=_context(register))


def _local(value: datetime | None) -> datetime | None:
    # Excel has no time zones: write the Vietnam wall-clock time.
    return timezone.localtime(value).replace(tzinfo=None) if value is not None else None


def register_xlsx(*, actor, agency: Agency | str, first: date, last: date) -> bytes:
    """The register as an .xlsx workbook: Vietnamese headers, real dates shown dd/mm/yyyy."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    register = register_get(actor=actor, agency=agency, first=first, last=last)
    book = Workbook()
    sheet = book.active
    sheet.title = "Sổ theo dõi hồ sơ"
    width = len(COLUMNS)
    sheet.append([register.agency.name.upper()])
    sheet.append(["SỔ THEO DÕI HỒ SƠ"])
    sheet.append([f"Từ ngày {register.first:%d/%m/%Y} đến ngày {register.last:%d/%m/%Y}"])
    for row_number in (1, 2, 3):
        sheet.merge_cells(start_row=row_number, start_column=1, end_row=row_number, end_column=width)
        sheet.cell(row=row_number, column=1).alignment = Alignment(horizontal="center")
    sheet["A1"].font = Font(bold=True)
    sheet["A2"].font = Font(bold=True, size=14)
    sheet["A3"].font = Font(italic=True)
    header_row = 5
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    for column, title in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=column, value=title)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = border
    date_time, day = "dd/mm/yyyy hh:mm", "dd/mm/yyyy"
    formats = {8: date_time, 9: date_time, 10: date_time, 11: day, 12: day, 13: day}
    for index, row in enumerate(register.rows, start=header_row + 1):
        contact = "; ".join(part for part in (row.applicant_address, row.applicant_phone) if part)
        note = "; ".join(part for part in (f"Chuyển đến {row.transferred_to}" if row.transferred_to else "", row.note)
                         if part)
        values = [row.number, row.code, row.procedure_name, row.sets, row.applicant_name, contact,
                  row.competent_agency, _local(row.received_at), _local(row.due_at), _local(row.rescheduled_due_at),
                  _local(row.transferred_at), _local(row.resolved_at), _local(row.returned_at), None, note]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=index, column=column, value=value)
            cell.border = border
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if column in formats:
                cell.number_format = formats[column]
    widths = (6, 22, 40, 10, 24, 32, 28, 16, 16, 16, 16, 16, 14, 14, 24)
    for column, size in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = size
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    last_row = header_row + max(len(register.rows), 1)
    sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(width)}{last_row}"
    sheet.print_options.gridLines = False
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.print_title_rows = f"{header_row}:{header_row}"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
