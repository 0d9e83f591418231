"""The registers of Phụ lục IV (vn-standards §7.8) for an agency and a period, as PDF and Excel:
Sổ đăng ký văn bản đi, Sổ đăng ký văn bản đến, Sổ theo dõi giải quyết văn bản đến, and the Phiếu
giải quyết văn bản đến of one document. Rows come from the scoped selectors, so a register never
shows a document its reader may not see (secret ones appear only to those named on them)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from django.utils import timezone

from tinhso.core.errors import NotFound, PermissionDenied, ValidationFailed
from tinhso.documents.access import actor_load
from tinhso.documents.errors import DocumentError
from tinhso.documents.models import Assignment, IncomingDocument, OutgoingDocument
from tinhso.documents.selectors import incoming_list, outgoing_list

KINDS = {
    "di": ("SỔ ĐĂNG KÝ VĂN BẢN ĐI", ["Số, ký hiệu văn bản", "Ngày tháng văn bản", "Tên loại và trích yếu nội dung",
                                      "Người ký", "Nơi nhận văn bản", "Đơn vị, người nhận bản lưu", "Số lượng bản",
                                      "Ngày chuyển", "Ký nhận", "Ghi chú"]),
    "den": ("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN", ["Ngày đến", "Số đến", "Tác giả", "Số, ký hiệu văn bản", "Ngày tháng văn bản",
                                        "Tên loại và trích yếu nội dung", "Đơn vị hoặc người nhận", "Ngày chuyển",
                                        "Ký nhận", "Ghi chú"]),
    "theo-doi": ("SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN", [
        "Số đến", "Tên loại, số, ký hiệu, ngày tháng, cơ quan ban hành", "Đơn vị/người nhận", "Thời hạn giải quyết",
        "Tiến độ giải quyết", "Số, ký hiệu văn bản trả lời", "Ghi chú"]),
}


@dataclass
class RegisterSheet:
    kind: str
    title: str
    columns: list[str]
    rows: list[list[str]]
    agency_name: str
    first: date
    last: date


def _d(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value).date() if getattr(value, "tzinfo", None) else value
    return f"{value:%d/%m/%Y}"


def _handlers(doc: IncomingDocument) -> str:
    names = []
    for a in doc.assignments.all():
        if a.role == Assignment.Role.INFORM:
            continue
        names.append(a.department.name if a.department_id else a.user.display_name)
    return "; ".join(dict.fromkeys(names))


def register_sheet(*, actor, agency, kind: str, first: date, last: date) -> RegisterSheet:
    if kind not in KINDS:
        raise NotFound("Không có sổ này.", code=DocumentError.NOT_FOUND)
    if first > last:
        raise ValidationFailed("Ngày bắt đầu phải trước ngày kết thúc.", code=DocumentError.INVALID_PERIOD)
    who = actor_load(actor)
    if not who.has(agency.pk, "clerk", "leader", "unit_head", "monitor"):
        raise PermissionDenied("Sổ văn bản chỉ dành cho văn thư và lãnh đạo của cơ quan.",
                               code=DocumentError.WRONG_AGENCY)
    title, columns = KINDS[kind]
    rows: list[list[str]] = []
    if kind == "di":
        docs = (outgoing_list(actor=who, agency_id=agency.pk, date_from=first, date_to=last)
                .filter(status__in=[OutgoingDocument.Status.ISSUED, OutgoingDocument.Status.RECALLED,
                                    OutgoingDocument.Status.REPLACED])
                .prefetch_related("recipients").order_by("issued_on", "register_id", "number"))
        for d in docs:
            note = {"recalled": "Đã thu hồi", "replaced": "Đã được thay thế"}.get(d.status, "")
            rows.append([d.notation, _d(d.issued_on), f"{d.get_doc_type_display()}: {d.subject}", d.signer.display_name,
                         "; ".join(r.name for r in d.recipients.all()), f"VT, {d.keep_unit}" if d.keep_unit else "VT",
                         "1", _d(d.issued_at), "", note])
    else:
        docs = (incoming_list(actor=who, agency_id=agency.pk, date_from=first, date_to=last)
                .prefetch_related("assignments__department", "assignments__user")
                .select_related("reply").order_by("arrived_at", "arrival_number"))
        for d in docs:
            handled = _handlers(d)
            if kind == "den":
                first_assigned = min((a.assigned_at for a in d.assignments.all()), default=None)
                rows.append([_d(d.arrived_at), str(d.arrival_number), d.sender_name, d.their_notation, _d(d.their_date),
                             f"{d.get_doc_type_display()}: {d.subject}", handled, _d(first_assigned), "",
                             "Trùng văn bản đã đăng ký" if d.duplicate_of_id else ""])
            else:
                progress = d.get_status_display()
                if d.deadline_state == IncomingDocument.DeadlineState.OVERDUE:
                    progress += " (quá hạn)"
                rows.append([str(d.arrival_number), f"{d.get_doc_type_display()} số {d.their_notation} ngày "
                             f"{_d(d.their_date)} của {d.sender_name}", handled, _d(d.due_at), progress,
                             d.reply.notation if d.reply_id else "", d.result_note])
    return RegisterSheet(kind=kind, title=title, columns=columns, rows=rows, agency_name=agency.name,
                         first=first, last=last)


def register_pdf(sheet: RegisterSheet) -> bytes:
    from tinhso.core.pdf import render_pdf

    return render_pdf(template_name="documents/pdf/register.html", context={"sheet": sheet})


def register_xlsx(sheet: RegisterSheet) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook()
    ws = book.active
    ws.title = sheet.kind
    ws.append([sheet.agency_name.upper()])
    ws.append([sheet.title])
    ws.append([f"Từ ngày {sheet.first:%d/%m/%Y} đến ngày {sheet.last:%d/%m/%Y}"])
    ws.append(sheet.columns)
    for cell in ws[4]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    for row in sheet.rows:
        ws.append(row)
    ws["A2"].font = Font(bold=True, size=14)
    for index, width in enumerate([14, 12, 40, 18, 30, 18, 10, 12, 10, 16][:len(sheet.columns)]):
        ws.column_dimensions[chr(65 + index)].width = width
    ws.page_setup.orientation = "landscape"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def processing_slip_pdf(*, actor, document: IncomingDocument) -> bytes:
    """Phiếu giải quyết văn bản đến: the leader's instruction, the unit head's, the handler's proposal."""
    from tinhso.core.pdf import render_pdf

    assignments = list(document.assignments.select_related("department", "user", "assigned_by"))
    top = [a for a in assignments if a.parent_id is None]
    delegated = [a for a in assignments if a.parent_id is not None]
    notes = list(document.progress_notes.select_related("author"))
    return render_pdf(template_name="documents/pdf/slip.html", context={
        "doc": document, "lead": [a for a in top if a.role == "lead"],
        "coordinate": [a for a in top if a.role == "coordinate"], "inform": [a for a in top if a.role == "inform"],
        "delegated": delegated, "notes": notes, "due": _d(document.due_at),
        "assigned_on": _d(top[0].assigned_at) if top else "", "delegated_on": _d(delegated[0].assigned_at) if delegated else "",
    })
