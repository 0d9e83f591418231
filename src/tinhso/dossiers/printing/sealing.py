"""The agency's automatic seal on the forms an online applicant receives electronically (ký số tự động).

Receipt (Mẫu 01), supplement request (Mẫu 02), refusal (Mẫu 03), apology (Mẫu 04) and the stop notice
of an **online** dossier are delivered electronically (vn-standards §4.3 step 2, §4.2 "Mẫu 04"), and an
electronic form carries "Chữ ký số của Tổ chức" (vn-standards §4.1). The system issues them when an
officer acts, so it seals them itself with the issuing agency's certificate: the only signatures the
system makes without a person, registered by name with ``signing.policy`` (``pdf_sign_system``
refuses any other purpose). Counter and post dossiers get the paper form at the desk: not sealed.

An agency without a usable certificate does not block reception: the form goes out unsealed, the
``FormIssue`` is marked (``seal = no_certificate``), a warning is logged and an audit entry written.
A certificate the signing checks refuse (expired chain, untrusted) is marked ``failed`` the same way.
An unreachable timestamp authority is temporary: the error propagates and nothing is stored, so the
notification handler retries and the next download tries again.
"""

from __future__ import annotations

import logging

from tinhso.core.audit import audit_record
from tinhso.core.errors import DomainError
from tinhso.dossiers.anchors import MM, anchor_find
from tinhso.dossiers.models import FormIssue
from tinhso.dossiers.status import Channel
from tinhso.org.places import place_of
from tinhso.signing.errors import SigningUnavailable
from tinhso.signing.policy import automatic_seal_register
from tinhso.signing.selectors import certificate_current
from tinhso.signing.services import pdf_sign_system

logger = logging.getLogger(__name__)

SEAL_ANCHOR = "chu-ky-co-quan"  # id of the officer's signature space in dossiers/forms/<set>/<kind>.html
# Around the template's signature space (11 mm, forms/base.html): the name line under it, the title
# and the "(Ký và ghi rõ họ tên)" hint above it.
SIGNATURE_CELL_PT = 11 * MM + 14
ROLE_AND_HINT_PT = 23
FORM_RIGHT_MARGIN_PT = 12 * MM
SEALED_KINDS = (
    FormIssue.Kind.RECEIPT, FormIssue.Kind.SUPPLEMENT_REQUEST, FormIssue.Kind.REFUSAL, FormIssue.Kind.APOLOGY,
    FormIssue.Kind.STOP, FormIssue.Kind.WITHDRAWAL,
)


def seal_purpose(kind: str) -> str:
    return f"dossier_form.{kind}"


for _kind in SEALED_KINDS:
    automatic_seal_register(purpose=seal_purpose(_kind), label=FormIssue.Kind(_kind).label)


def form_seal_needed(form: FormIssue) -> bool:
    return form.dossier.channel == Channel.ONLINE and form.kind in SEALED_KINDS


def form_seal_possible(form: FormIssue) -> bool:
    """The form will be sealed: it needs the seal and its agency has a certificate to seal with."""
    return form_seal_needed(form) and certificate_current(agency=form.agency) is not None


def _mark(form: FormIssue, seal: str) -> None:
    FormIssue.objects.filter(pk=form.pk).update(seal=seal)
    form.seal = seal


def seal_place(pdf: bytes) -> tuple[int | None, tuple[float, float, float, float] | None]:
    """The officer's signature cell of the form (the template's ``chu-ky-co-quan`` space, with the title
    above and the name under it, to the right margin): the seal goes on its left part
    (``signing.stamps.agency_box_form``). ``(None, None)`` without one."""
    anchor = anchor_find(pdf, SEAL_ANCHOR)
    if anchor is None:
        return None, None
    right = anchor.page_width - FORM_RIGHT_MARGIN_PT
    return anchor.page, (anchor.left, anchor.top - SIGNATURE_CELL_PT, right, anchor.top + ROLE_AND_HINT_PT)


def form_issue_sign(*, form: FormIssue, pdf: bytes) -> bytes:
    """The form's PDF as the applicant receives it: sealed with the issuing agency's certificate for an
    online dossier, unchanged otherwise (or when the agency cannot seal; the form is then marked)."""
    if not form_seal_needed(form):
        return pdf
    agency = form.agency
    certificate = certificate_current(agency=agency)
    if certificate is None:
        logger.warning("Form %s of dossier %s goes out without the agency signature: %s has no certificate",
                       form.kind, form.dossier.code, agency.code)
        _mark(form, FormIssue.Seal.NO_CERTIFICATE)
        audit_record(actor=None, action="dossier.form_unsealed", target=form,
                     data={"code": form.dossier.code, "kind": form.kind, "agency": agency.code,
                           "reason": "no_certificate"})
        return pdf
    try:
        page, over = seal_place(pdf)
        signed = pdf_sign_system(
            pdf=pdf, certificate=certificate, purpose=seal_purpose(form.kind), page=page, over=over,
            reason=f"Ký số tự động: {FormIssue.Kind(form.kind).label}", location=place_of(agency),
            reference=form.dossier.code,
        )
    except SigningUnavailable:
        raise
    except DomainError as exc:
        logger.error("Form %s of dossier %s could not be sealed (%s): %s", form.kind, form.dossier.code,
                     exc.code, exc.detail)
        _mark(form, FormIssue.Seal.FAILED)
        audit_record(actor=None, action="dossier.form_unsealed", target=form,
                     data={"code": form.dossier.code, "kind": form.kind, "agency": agency.code, "reason": exc.code})
        return pdf
    _mark(form, FormIssue.Seal.SEALED)
    return signed
