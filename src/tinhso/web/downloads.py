"""File answers shared by the citizen pages and the staff pages: a dossier's documents, its result
and its printable forms (Mẫu 01–07). Every read goes through the dossiers selectors, which decide
who may see what (the owner, staff of the agencies involved); these functions only shape the
response. ``NotFound`` propagates to the caller's Vietnamese 404 page."""

from __future__ import annotations

from django.http import FileResponse, HttpResponse
from django.utils.translation import gettext as _

from tinhso.core.errors import NotFound
from tinhso.core.files import file_open
from tinhso.dossiers.printing import render_form
from tinhso.dossiers.selectors import dossier_document_for, dossier_form_for, dossier_result_for
from tinhso.dossiers.shapes import FORM_SLUGS
from tinhso.web.labels import choice_label

KIND_BY_SLUG = {slug: kind for kind, slug in FORM_SLUGS.items()}


def _file(stored, *, attachment: bool = False) -> FileResponse:
    return FileResponse(file_open(stored_file=stored), content_type=stored.content_type,
                        filename=stored.original_name, as_attachment=attachment)


def document_response(*, actor, code: str, document_id: int) -> FileResponse:
    return _file(dossier_document_for(actor=actor, code=code, document_id=document_id).file)


def result_response(*, actor, code: str) -> FileResponse:
    return _file(dossier_result_for(actor=actor, code=code).file, attachment=True)


def form_pdf_response(*, actor, code: str, slug: str) -> HttpResponse:
    if slug not in KIND_BY_SLUG:
        raise NotFound(_("Không có loại phiếu này."), code="form_not_found")
    dossier, form = dossier_form_for(actor=actor, code=code, kind=slug)
    kind = form.kind if form is not None else "handover_log"
    response = HttpResponse(render_form(dossier=dossier, kind=kind), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{dossier.code}-{slug}.pdf"'
    return response


def form_links(dossier, forms, *, handover_log: bool = True) -> list[dict]:
    """Printable forms of a dossier: each issued form, then (for staff) the live handover log once
    received — an internal record naming officers, not a form issued to the applicant."""
    latest = {f.kind: f for f in forms}  # a reprint shows the latest form of each kind
    # The link names the form in the page's language; the PDF itself is the Vietnamese legal form.
    links = [{"label": choice_label(f.get_kind_display()), "number": f.number, "year": f.year, "issued_at": f.issued_at,
              "slug": FORM_SLUGS[f.kind]} for f in latest.values()]
    if handover_log and dossier.received_at is not None:
        links.append({"label": _("Phiếu kiểm soát quá trình giải quyết hồ sơ"), "number": None, "year": None,
                      "issued_at": None, "slug": FORM_SLUGS["handover_log"]})
    return links
