"""The QĐ 766 score table as a workbook (openpyxl): the rows of the staff page, numbers as numbers, the
ratio and points with 2 decimals, so a province can send or re-sort it."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from tinhso.reports.qd766.score import ScoreCard

HEADERS = ["Nhóm", "STT", "Mã chỉ số", "Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Điểm", "Điểm tối đa",
           "Tình trạng", "Ghi chú"]
WIDTHS = [30, 6, 34, 60, 10, 10, 11, 9, 12, 30, 70]
TWO = "0.00"


def score_workbook(card: ScoreCard) -> bytes:
    target = card.target
    book = Workbook()
    sheet = book.active
    sheet.title = "Chỉ số 766"
    scope = target.agency.name if target.agency else "Các cơ quan trong phạm vi xem"
    sheet.append([f"Bộ chỉ số 766 (Quyết định 766/QĐ-TTg) — {scope} — {target.period.label}"])
    sheet["A1"].font = Font(bold=True, size=13)
    sheet.append([f"Tổng điểm: {card.score} / {card.max_points} (tính được trên {card.computed_max} điểm)"])
    sheet.append([])
    sheet.append(HEADERS)
    header_row = sheet.max_row
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for group in card.groups:
        sheet.append([f"{group.group.number}. {group.group.name}", None, group.group.key, None, None, None, None,
                      float(group.score), float(group.max_points), f"tính được trên {group.computed_max} điểm"])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for f in group.figures:
            sheet.append([
                None, f.indicator.number, f.indicator.code, f.indicator.name, f.numerator, f.denominator,
                float(f.ratio) if f.ratio is not None else None, float(f.score) if f.score is not None else None,
                float(f.max_points), f.status_label, f.note,
            ])
    sheet.append([])
    sheet.append(["Tổng cộng", None, None, None, None, None, None, float(card.score), float(card.max_points)])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in sheet.iter_rows(min_row=header_row + 1, min_col=7, max_col=9):
        for cell in row:
            cell.number_format = TWO
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
