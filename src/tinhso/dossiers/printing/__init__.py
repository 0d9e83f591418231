"""The legal forms of the one-stop shop as PDF and HTML (docs/forms.md; vn-standards §4.1, §4.2).

``render_form(dossier=…, kind=…)`` prints the latest issued form of a kind from its snapshot
(``FormIssue.data``) with the templates of the dossier's form set (``Regulation.form_set``:
``tt01_2018`` or ``tt03_2025``). The first rendering is stored as ``FormIssue.pdf``, and every later
call returns those stored bytes, so a reprint is identical to what the applicant received. The
handover log (phiếu kiểm soát) is rendered live from the ``Handover`` rows.

For an **online** dossier the stored copy carries the issuing agency's digital signature, applied by
the system when it is first rendered (``dossiers.printing.sealing``; vn-standards §4.1: an
electronic form carries the organisation's signature); counter and post dossiers' forms are unsigned.
"""

from __future__ import annotations

from django.template.loader import render_to_string, select_template

from tinhso.core.errors import NotFound
from tinhso.core.files import file_read, file_store_generated
from tinhso.core.models_files import StoredFile
from tinhso.dossiers.models import Dossier, FormIssue
from tinhso.dossiers.printing.context import (
    form_set_of,
    handover_context,
    issue_context,
    kind_clean,
    template_names,
)

__all__ = [
    "SLUGS",
    "form_issue_latest",
    "form_issue_pdf",
    "form_issue_pdf_file",
    "render_form",
    "render_form_html",
]

SLUGS = {"receipt": "giay-tiep-nhan", "supplement_request": "phieu-yeu-cau-bo-sung", "refusal": "phieu-tu-choi",
         "apology": "van-ban-xin-loi", "stop": "thong-bao-dung",
         "withdrawal": "thong-bao-rut-ho-so", "handover_log": "phieu-kiem-soat"}


def form_issue_latest(*, dossier: Dossier, kind: str) -> FormIssue:
    """The newest issued form of ``kind``; ``NotFound`` (``form_not_issued``) when there is none."""
    kind = kind_clean(kind)
    form = (FormIssue.objects.filter(dossier=dossier, kind=kind).select_related("dossier", "pdf")
            .order_by("-issued_at", "-id").first())
    if form is None:
        raise NotFound("Phiếu này chưa được ban hành cho hồ sơ.", code="form_not_issued")
    return form


def _template(dossier: Dossier, kind: str):
    return select_template(template_names(form_set_of(dossier), kind))


def _context(*, dossier: Dossier, kind: str, form: FormIssue | None) -> dict:
    if kind == FormIssue.Kind.HANDOVER_LOG:
        if dossier.received_at is None:
            raise NotFound("Hồ sơ chưa được tiếp nhận nên chưa có phiếu kiểm soát.", code="form_not_issued")
        return handover_context(dossier)
    return issue_context(form)


def _render_pdf(*, dossier: Dossier, kind: str, form: FormIssue | None, sealed: bool = False) -> bytes:
    from tinhso.core.pdf import render_pdf  # WeasyPrint is slow to import; only when printing

    template = _template(dossier, kind)
    context = {**_context(dossier=dossier, kind=kind, form=form), "sealed": sealed}
    # A long list of documents can push a form onto a second page; its pages are then numbered.
    return render_pdf(template_name=template.template.name, context=context, paged_context=True)


def form_issue_pdf_file(*, form: FormIssue) -> StoredFile:
    """The stored PDF of an issued form, rendering and storing it on first use."""
    if form.pdf is not None:  # no query when pdf_id is empty
        return form.pdf
    # An online dossier's forms are delivered electronically: the stored copy is the sealed one, laid
    # out with room for the seal under the officer's signature (forms/base.html, body.sealed).
    from tinhso.dossiers.printing.sealing import form_issue_sign, form_seal_possible

    pdf = _render_pdf(dossier=form.dossier, kind=form.kind, form=form, sealed=form_seal_possible(form))
    pdf = form_issue_sign(form=form, pdf=pdf)
    name = f"{form.dossier.code}-{SLUGS[form.kind]}-{form.number}-{form.year}.pdf"
    stored = file_store_generated(name=name, content=pdf, created_by=None)
    if not FormIssue.objects.filter(pk=form.pk, pdf__isnull=True).update(pdf=stored):
        form.refresh_from_db(fields=["pdf"])  # another request stored it first: theirs is the issued copy
        return form.pdf or stored
    form.pdf = stored
    return stored


def form_issue_pdf(*, form: FormIssue) -> bytes:
    """The PDF bytes of an issued form (stored after the first rendering, so reprints are identical)."""
    if form.pdf_id:
        return file_read(stored_file=form.pdf)
    return file_read(stored_file=form_issue_pdf_file(form=form))


def render_form(*, dossier: Dossier, kind: str) -> bytes:
    """PDF of the latest issued form of ``kind`` (``receipt``, ``supplement_request`` /
    ``supplement-request``, ``refusal``, ``apology``, ``stop``, ``withdrawal``, ``handover_log`` / ``handover-log``).

    ``NotFound``: ``form_not_found`` (unknown kind), ``form_not_issued`` (never issued; for the
    handover log: the dossier was not received). The caller has checked that the reader may see
    the dossier (``dossiers.selectors.dossier_form_for``).
    """
    kind = kind_clean(kind)
    if kind == FormIssue.Kind.HANDOVER_LOG:
        return _render_pdf(dossier=dossier, kind=kind, form=None)
    return form_issue_pdf(form=form_issue_latest(dossier=dossier, kind=kind))


def render_form_html(*, dossier: Dossier, kind: str) -> str:
    """The same form as an HTML page (staff screen, browser printing), from the same template."""
    kind = kind_clean(kind)
    form = None if kind == FormIssue.Kind.HANDOVER_LOG else form_issue_latest(dossier=dossier, kind=kind)
    template = _template(dossier, kind)
    return render_to_string(template.template.name, _context(dossier=dossier, kind=kind, form=form))
