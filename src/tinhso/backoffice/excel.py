"""Excel exports of the staff lists (the register's workbook is the printing package's) (DESIGN §5.13 "lists can be exported to Excel"), with openpyxl.

Personal identifiers are masked as on screen; dates are real Excel dates shown dd/mm/yyyy.
"""

from __future__ import annotations

import io
from datetime import datetime

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tinhso.dossiers.selectors import mask_id_number, mask_phone, mask_tax_code
from tinhso.dossiers.status import Status

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
DATE_FORMAT = "dd/mm/yyyy"


def _local(value: datetime | None):
    # Excel has no time zones: write the Vietnam wall-clock time.
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _sheet(title: str, headers: list[str], rows: list[list], *, date_columns: dict[int, str], widths: list[int]):
    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row in rows:
        sheet.append(row)
    for column, number_format in date_columns.items():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = number_format
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def work_queue_workbook(items) -> bytes:
    """The rows of the work queue (QueueItem list) as a one-sheet workbook."""
    headers = ["Mã hồ sơ", "Thủ tục", "Chủ hồ sơ", "Số định danh / MST", "Số điện thoại", "Trạng thái",
               "Bước hiện tại", "Cơ quan đang xử lý", "Người xử lý", "Nộp lúc", "Hạn trả kết quả", "Tình trạng hạn"]
    rows = []
    for item in items:
        d = item.dossier
        flag = "Quá hạn" if item.overdue else "Sắp đến hạn" if item.at_risk else \
            "Chờ người nộp" if item.waiting_applicant else "Trong hạn" if d.due_at else ""
        rows.append([
            d.code, d.procedure_version.name, d.applicant_name,
            mask_tax_code(d.applicant_tax_code) or mask_id_number(d.applicant_id_number), mask_phone(d.applicant_phone),
            str(Status(d.status).label), d.current_step.name if d.current_step_id else "",
            d.current_agency.name if d.current_agency_id else "", d.assignee.display_name if d.assignee_id else "",
            _local(d.submitted_at), _local(d.due_at), flag,
        ])
    return _sheet("Việc cần làm", headers, rows, date_columns={10: DATETIME_FORMAT, 11: DATETIME_FORMAT},
                  widths=[24, 48, 26, 18, 14, 22, 24, 30, 22, 17, 17, 14])
