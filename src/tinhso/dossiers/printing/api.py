"""Register exports of the API: ``GET /api/v1/registers/dossiers.pdf|.xlsx?agency=&from=&to=``.

The forms of one dossier are served by ``dossiers.api`` (``/dossiers/{code}/forms/{kind}.pdf``).
"""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from tinhso.core.auth import require_user
from tinhso.dossiers.printing.register import register_pdf, register_xlsx

router = Router(tags=["Sổ theo dõi hồ sơ"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class RegisterQuery(Schema):
    agency: str = Field(..., description="Mã định danh của cơ quan, ví dụ H44.12")
    first: date = Field(..., alias="from", description="Từ ngày (YYYY-MM-DD)")
    last: date = Field(..., alias="to", description="Đến ngày (YYYY-MM-DD), tối đa 366 ngày")


def _download(content: bytes, *, content_type: str, name: str, inline: bool) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{name}"'
    response["Cache-Control"] = "private, no-store"  # personal data
    return response


def _name(query: RegisterQuery, extension: str) -> str:
    safe = "".join(ch for ch in query.agency if ch.isalnum() or ch in ".-").upper() or "co-quan"
    return f"so-theo-doi-ho-so-{safe}-{query.first:%Y%m%d}-{query.last:%Y%m%d}.{extension}"


@router.get("/registers/dossiers.pdf", summary="Sổ theo dõi hồ sơ (PDF, A4 ngang)", url_name="dossier_register_pdf")
def register_pdf_endpoint(request, query: Query[RegisterQuery]):
    """Hồ sơ cơ quan ``agency`` (mã định danh) tiếp nhận từ ngày ``from`` đến ngày ``to`` (YYYY-MM-DD, tối đa
    366 ngày). Dành cho Bộ phận Một cửa, lãnh đạo, văn thư, giám sát của cơ quan đó."""
    user = require_user(request)
    pdf = register_pdf(actor=user, agency=query.agency, first=query.first, last=query.last)
    return _download(pdf, content_type="application/pdf", name=_name(query, "pdf"), inline=True)


@router.get("/registers/dossiers.xlsx", summary="Sổ theo dõi hồ sơ (Excel)", url_name="dossier_register_xlsx")
def register_xlsx_endpoint(request, query: Query[RegisterQuery]):
    """Như bản PDF, dạng bảng tính: tiêu đề cột tiếng Việt, ngày tháng là giá trị ngày của Excel (dd/mm/yyyy)."""
    user = require_user(request)
    content = register_xlsx(actor=user, agency=query.agency, first=query.first, last=query.last)
    return _download(content, content_type=XLSX, name=_name(query, "xlsx"), inline=False)
