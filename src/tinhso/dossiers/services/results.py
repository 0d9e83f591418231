"""The dossier's e-result (docs/dossiers.md "Signing in the one-stop shop"): generated from a template
when nobody uploaded one, signed by the competent person, then sealed by the agency.

vn-standards §7.5 and NĐ 30/2020 Art. 5: an electronic document signed by the competent person **and**
by the agency has the legal value of the paper original; the văn thư applies the agency's signature
only to documents the competent person has already signed. So:

* ``sign`` (any step) and ``approve`` at a leader's step put the actor's personal signature on each
  PDF result that carries none yet (generating the result from the template first if there is none);
* ``issue_result`` puts the agency's signature (the holding agency's certificate) on each result not
  sealed yet — after the actor's personal signature when the result is still unsigned and the actor
  decides at this step (leader or unit head), refused otherwise.

Each signature is an incremental update (earlier signatures stay valid); the signed bytes become a new
``StoredFile`` and the ``DossierDocument`` points at it. ``TINHSO_RESULT_SIGNING_REQUIRED=false``
turns every "cannot sign" refusal into "pass unsigned".
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.template.loader import select_template
from django.utils import timezone

from tinhso.catalog.legal import legal_item_label
from tinhso.core.actions import in_transaction
from tinhso.core.errors import PermissionDenied, ValidationFailed
from tinhso.core.files import file_read, file_store_generated
from tinhso.core.sequences import sequence_next
from tinhso.dossiers.anchors import anchor_find
from tinhso.dossiers.models import Dossier, DossierDocument
from tinhso.dossiers.models.dossier import ApplicantKind
from tinhso.dossiers.tracking import tracking_url
from tinhso.org.places import place_of
from tinhso.org.roles import Role
from tinhso.org.selectors import actor_has_role
from tinhso.signing.models import Certificate
from tinhso.signing.selectors import (
    AGENCY_SIGNER_ROLES,
    certificate_current,
    pdf_signature_count,
    signature_kinds_on,
)
from tinhso.signing.services import pdf_sign

logger = logging.getLogger(__name__)

SIGNATURE_ANCHOR = "chu-ky"  # id of the signature area in dossiers/results/base.html
SIGNATURE_AREA_PT = (62 * 72 / 25.4, 32 * 72 / 25.4)  # 62 × 32 mm, as the template draws it
DECIDER_ROLES: tuple[str, ...] = (Role.LEADER, Role.UNIT_HEAD)
PERSONAL_REASON = "Ký duyệt kết quả giải quyết hồ sơ"
AGENCY_REASON = "Ban hành kết quả giải quyết hồ sơ"


def signing_required() -> bool:
    return bool(getattr(settings, "TINHSO_RESULT_SIGNING_REQUIRED", True))


# --- the result from a template ------------------------------------------------------------------------


def result_name(dossier: Dossier) -> str:
    version = dossier.procedure_version
    names = [str(r.get("name", "")).strip() for r in (version.results or []) if isinstance(r, dict)]
    names = [n for n in names if n]
    if names:
        return "; ".join(names)
    return (version.result_text or "").strip().rstrip(".") or "Kết quả giải quyết thủ tục hành chính"


def result_kind(dossier: Dossier) -> str:
    """``decision`` for results named "Quyết định …", else ``confirmation`` (a generic Giấy xác nhận)."""
    return "decision" if result_name(dossier).lower().startswith("quyết định") else "confirmation"


def result_template_names(dossier: Dossier) -> list[str]:
    """A province's template for this procedure first, then the generic one of its kind."""
    return [f"dossiers/results/{dossier.procedure.code}.html", f"dossiers/results/{result_kind(dossier)}.html"]


def _legal_basis(version) -> list[str]:
    """Each basis as one citation ("Luật số 60/2014/QH13", catalog.legal), never the raw pair."""
    return [line for line in (legal_item_label(item) for item in version.legal_basis or []) if line]


def _notation(agency) -> str:
    """The agency's part of the ký hiệu (NĐ 30/2020 Phụ lục I, vn-standards §7.2: upper case, no
    spaces, "QĐ-UBND"): the short name when it is such an abbreviation, "UBND" for a people's
    committee, else nothing (the number stands alone rather than carrying a made-up notation)."""
    short = (agency.short_name or "").strip()
    if short and not any(ch.isspace() for ch in short) and short.upper() == short:
        return short
    return "UBND" if agency.kind == "people_committee" else ""


def result_context(dossier: Dossier, *, agency, at: datetime, number: int) -> dict:
    citizen = dossier.applicant_kind == ApplicantKind.CITIZEN
    received = timezone.localtime(dossier.received_at or at)
    return {
        "page": "a4",
        "code": dossier.code,
        "agency": {"name": agency.name, "short_name": agency.short_name, "kind": agency.kind,
                   "code": agency.code, "notation": _notation(agency)},
        "agency_name": agency.name,
        "parent_agency_name": agency.parent.name if agency.parent_id else "",
        "place": place_of(agency),
        "date": at,
        "result_number": number,
        "number": f"{number:02d}",
        "applicant": {
            "name": dossier.applicant_name,
            "salutation": "Ông/Bà" if citizen else "Tổ chức",
            "id_label": "số định danh cá nhân" if citizen and dossier.applicant_id_number
            else ("mã số thuế" if dossier.applicant_tax_code else ""),
            "id_number": dossier.applicant_id_number if citizen else dossier.applicant_tax_code,
            "address": dossier.applicant_address,
        },
        "procedure": {"code": dossier.procedure.code, "name": dossier.procedure_version.name},
        "result_name": result_name(dossier),
        "legal_basis": _legal_basis(dossier.procedure_version),
        "received_date": f"{received:%d/%m/%Y}",
        "channel": dossier.channel,
        "receiving_agency_name": dossier.receiving_agency.name,
        "qr_url": tracking_url(dossier.code),
        "qr_caption": "Tra cứu hồ sơ",
    }


def result_render(dossier: Dossier, *, agency, at: datetime, number: int) -> bytes:
    from tinhso.core.pdf import render_pdf  # WeasyPrint is slow to import

    template = select_template(result_template_names(dossier))
    return render_pdf(template_name=template.template.name,
                      context=result_context(dossier, agency=agency, at=at, number=number))


def result_generate_apply(dossier: Dossier, *, actor, at: datetime) -> DossierDocument:
    """Render the result for the agency holding the dossier, numbered in its yearly series of
    results (gapless: taken in the caller's transaction), and attach it as a result document. Runs in the caller's transaction (asserted)."""
    in_transaction("numbering and attaching a generated result")
    agency = dossier.current_agency or dossier.receiving_agency
    year = timezone.localdate(at).year
    number = sequence_next(scope=f"result:{agency.code}", period=str(year))
    pdf = result_render(dossier, agency=agency, at=at, number=number)
    stored = file_store_generated(name=f"{dossier.code}-ket-qua.pdf", content=pdf, created_by=actor)
    return DossierDocument.objects.create(
        dossier=dossier, name=f"Kết quả giải quyết: {result_name(dossier)}", file=stored,
        role=DossierDocument.Role.RESULT, uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        uploaded_at=at,
    )


def result_documents(dossier: Dossier) -> list[DossierDocument]:
    return list(dossier.documents.filter(role=DossierDocument.Role.RESULT).select_related("file").order_by("id"))


# --- signing ---------------------------------------------------------------------------------------------


def signature_place(pdf: bytes) -> tuple[int | None, tuple[float, float, float, float] | None]:
    """Page (from 1) and box of the template's signature area; ``(None, None)`` for a PDF without one
    (an upload: the signature then goes to NĐ 30's default place)."""
    anchor = anchor_find(pdf, SIGNATURE_ANCHOR)
    if anchor is None:
        return None, None
    width, height = SIGNATURE_AREA_PT
    return anchor.page, (anchor.left, anchor.top - height, anchor.left + width, anchor.top)


def _pdf_results(dossier: Dossier) -> list[DossierDocument]:
    documents = result_documents(dossier)
    others = [d for d in documents if d.file.content_type != "application/pdf"]
    if others and signing_required():
        raise ValidationFailed(
            "Văn bản kết quả điện tử phải là tệp PDF để ký số; các tệp sau không phải PDF: "
            + ", ".join(d.file.original_name for d in others) + ".",
            code="result_pdf_required",
        )
    return [d for d in documents if d.file.content_type == "application/pdf"]


def _replace(document: DossierDocument, *, signed: bytes, actor, suffix: str) -> dict:
    before = document.file
    stem = before.original_name.rsplit(".", 1)[0]
    for old in ("-da-ky", "-da-dong-dau"):
        stem = stem.removesuffix(old)
    stored = file_store_generated(name=f"{stem}-{suffix}.pdf", content=signed, created_by=actor)
    document.file = stored
    document.save(update_fields=["file"])
    return {"document": document.pk, "file_before": str(before.pk), "file_after": str(stored.pk),
            "sha256": stored.sha256}


def _place(dossier: Dossier) -> str:
    return place_of(dossier.current_agency or dossier.receiving_agency)


def _personal_certificate(actor) -> Certificate | None:
    certificate = certificate_current(user=actor)
    if certificate is None and signing_required():
        raise ValidationFailed(
            f"{getattr(actor, 'display_name', '') or 'Bạn'} chưa có chứng thư số cá nhân còn hiệu lực nên không "
            "thể ký số văn bản kết quả. Vui lòng liên hệ quản trị hệ thống để được cấp hoặc nhập chứng thư số.",
            code="certificate_required",
        )
    return certificate


def _sign_personal(dossier: Dossier, documents: list[DossierDocument], *, actor) -> list[dict]:
    if not documents:
        return []
    certificate = _personal_certificate(actor)
    if certificate is None:
        logger.info("dossier %s: result passes without the signer's signature (no certificate)", dossier.code)
        return []
    done = []
    for document in documents:
        pdf = file_read(stored_file=document.file)
        page, box = signature_place(pdf)
        signed = pdf_sign(actor=actor, pdf=pdf, certificate=certificate, kind=Certificate.Kind.PERSONAL,
                          reason=PERSONAL_REASON, location=_place(dossier), page=page, box=box,
                          reference=dossier.code)
        done.append({**_replace(document, signed=signed, actor=actor, suffix="da-ky"), "kind": "personal",
                     "certificate": certificate.fingerprint_sha256})
    return done


def results_sign_personal(dossier: Dossier, *, actor, at: datetime) -> list[dict]:
    """The competent person's signature on every PDF result not signed yet; without any result, the
    result is generated from the template first. Returns what was signed (for the timeline/audit). Runs in the caller's transaction (asserted)."""
    in_transaction("signing a dossier's results")
    if not result_documents(dossier):
        result_generate_apply(dossier, actor=actor, at=at)
    unsigned = [d for d in _pdf_results(dossier) if pdf_signature_count(pdf=file_read(stored_file=d.file)) == 0]
    return _sign_personal(dossier, unsigned, actor=actor)


def results_seal(dossier: Dossier, *, actor, at: datetime, decider: bool) -> list[dict]:
    """The agency signature of the agency holding the dossier on every PDF result not sealed yet.

    A result nobody signed yet is first signed by the actor when ``decider`` (a leader or unit head
    issuing at their own step); otherwise the văn thư may not seal it (vn-standards §7.5):
    ``result_not_signed``.

    Runs in the caller's transaction (asserted).
    """
    in_transaction("sealing a dossier's results")
    agency = dossier.current_agency or dossier.receiving_agency
    pending = []
    for document in _pdf_results(dossier):
        pdf = file_read(stored_file=document.file)
        if "agency" in signature_kinds_on(sha256=document.file.sha256):
            continue
        pending.append((document, pdf_signature_count(pdf=pdf)))
    if not pending:
        return []
    unsigned = [document for document, count in pending if count == 0]
    done: list[dict] = []
    if unsigned:
        if decider:
            done += _sign_personal(dossier, unsigned, actor=actor)
        elif signing_required():
            raise ValidationFailed(
                "Văn bản kết quả chưa có chữ ký số của người có thẩm quyền; văn thư chỉ ký số của cơ quan "
                "lên văn bản đã được lãnh đạo ký. Vui lòng trình lãnh đạo ký duyệt trước khi ban hành.",
                code="result_not_signed",
            )
    signed_now = {item["document"] for item in done}
    sealable = [document for document, count in pending if count > 0 or document.pk in signed_now]
    if not sealable:
        return done
    if not actor_has_role(user=actor, agency=agency, roles=AGENCY_SIGNER_ROLES):
        if signing_required():
            raise PermissionDenied(
                f"Chỉ văn thư hoặc lãnh đạo {agency.name} mới được ký số của cơ quan lên kết quả; quy trình này "
                "cần một bước văn thư ban hành kết quả.",
                code="agency_seal_not_allowed",
            )
        return done
    certificate = certificate_current(agency=agency)
    if certificate is None:
        if signing_required():
            raise ValidationFailed(
                f"{agency.name} chưa có chứng thư số của cơ quan còn hiệu lực nên không thể ký số kết quả. "
                "Vui lòng liên hệ quản trị hệ thống để nhập chứng thư số của cơ quan.",
                code="certificate_required",
            )
        logger.info("dossier %s: result issued without the agency signature (no certificate)", dossier.code)
        return done
    for document in sealable:
        signed = pdf_sign(actor=actor, pdf=file_read(stored_file=document.file), certificate=certificate,
                          kind=Certificate.Kind.AGENCY, reason=AGENCY_REASON, location=_place(dossier),
                          reference=dossier.code)
        done.append({**_replace(document, signed=signed, actor=actor, suffix="da-dong-dau"), "kind": "agency",
                     "certificate": certificate.fingerprint_sha256})
    return done
