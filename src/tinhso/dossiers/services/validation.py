"""Checks shared by the submission services: procedure, agency, channel, submitter, documents, e-form.

Each raises ``ValidationFailed`` (422) or ``PermissionDenied`` (403) with a stable code and writes
nothing, so a service can run them all before its first write and store nothing on bad input.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from tinhso.catalog.choices import AgencyRole
from tinhso.catalog.eforms import eform_locked_values, eform_validate
from tinhso.catalog.models import ProcedureVersion, RequiredDocument
from tinhso.catalog.selectors import procedure_current_version, version_documents_asked
from tinhso.core.errors import NotFound, PermissionDenied, ValidationFailed
from tinhso.core.files import files_owned
from tinhso.core.models import StoredFile
from tinhso.core.text import clean_text
from tinhso.dossiers.cases import document_case_is_alternative
from tinhso.dossiers.inputs import CleanApplicant, DocumentInput
from tinhso.dossiers.models import ApplicantKind
from tinhso.dossiers.permissions import ActorContext
from tinhso.dossiers.status import CATALOG_CHANNEL, Channel
from tinhso.org.roles import Role

DEFAULT_ACCEPTS = ("pdf", "image")
ACCEPT_LABELS = {"pdf": "PDF", "image": "ảnh (JPG, PNG)"}


def procedure_version_for(*, procedure_code: str, at) -> ProcedureVersion:
    """The version of the procedure in force at ``at`` that accepts dossiers."""
    from tinhso.catalog.selectors import procedure_get

    try:
        procedure = procedure_get(code=procedure_code)
    except NotFound:
        raise ValidationFailed(
            f"Không có thủ tục hành chính mã “{procedure_code}”.", code="procedure_not_found"
        ) from None
    version = procedure_current_version(procedure=procedure, at=at)
    if version is None:
        raise ValidationFailed(f"Thủ tục “{procedure_code}” chưa có phiên bản đang áp dụng.",
                               code="procedure_not_found")
    version_accepting_require(version)
    return version


def version_accepting_require(version: ProcedureVersion) -> None:
    if not version.is_complete:
        raise ValidationFailed(
            f"Thủ tục “{version.name}” chưa đủ thông tin để tiếp nhận hồ sơ trên hệ thống; "
            "vui lòng liên hệ Bộ phận Một cửa.", code="procedure_not_accepting",
        )


def channel_require(version: ProcedureVersion, channel: str) -> None:
    if channel not in Channel.values:
        raise ValidationFailed(
            f"Kênh nộp “{channel}” không hợp lệ; dùng online, counter hoặc post.", code="invalid_channel"
        )
    offered = version.submission_channels or []
    if offered and CATALOG_CHANNEL[channel] not in offered:
        raise ValidationFailed(
            f"Thủ tục này không nhận hồ sơ {Channel(channel).label.lower()}.", code="channel_not_offered"
        )


def receiving_agency_for(version: ProcedureVersion, agency_code: str | None):
    """The receiving agency: the one named (it must receive this procedure) or the only one."""
    links = [link for link in version.agency_links.all() if link.role == AgencyRole.RECEIVING]
    if agency_code:
        wanted = agency_code.strip().upper()
        for link in links:
            if link.agency.code == wanted:
                return link.agency
        raise ValidationFailed(
            f"Cơ quan “{wanted}” không tiếp nhận hồ sơ của thủ tục này.", code="agency_not_receiving"
        )
    if len(links) == 1:
        return links[0].agency
    if not links:
        raise ValidationFailed("Thủ tục này chưa có cơ quan tiếp nhận hồ sơ.", code="procedure_not_accepting")
    raise ValidationFailed(
        "Thủ tục này được tiếp nhận ở nhiều cơ quan; vui lòng chọn cơ quan tiếp nhận (agency): "
        + ", ".join(f"{link.agency.code} ({link.agency.name})" for link in links) + ".",
        code="agency_required",
    )


def submitter_require(context: ActorContext, *, channel: str, agency, applicant: CleanApplicant) -> None:
    """Who may create a dossier (docs/dossiers.md "Ai được nộp"):

    * online: a citizen or business for themselves only (the applicant's identification number or
      tax code must be the account's), or an integrator / officer with the reception role in the
      receiving agency, on behalf of an integrated portal;
    * counter, post: only the reception role of the receiving agency.
    """
    user = context.user
    if channel == Channel.ONLINE and context.is_applicant:
        own = user.id_number if user.kind == ApplicantKind.CITIZEN else user.tax_code
        if not own:
            raise ValidationFailed(
                "Tài khoản chưa có số định danh cá nhân hoặc mã số thuế; vui lòng cập nhật tài khoản trước "
                "khi nộp hồ sơ.", code="account_identity_missing",
            )
        declared = applicant.id_number if user.kind == ApplicantKind.CITIZEN else applicant.tax_code
        if applicant.kind != user.kind or declared != own:
            raise PermissionDenied(
                "Tài khoản công dân, doanh nghiệp chỉ được nộp hồ sơ cho chính mình: thông tin định danh của "
                "chủ hồ sơ phải trùng với tài khoản.", code="applicant_mismatch",
            )
        return
    if context.has_role(agency.pk, Role.RECEPTION):
        return
    if channel == Channel.ONLINE:
        raise PermissionDenied("Chỉ công dân, doanh nghiệp hoặc hệ thống tích hợp có quyền tiếp nhận của cơ quan "
                               "mới được nộp hồ sơ trực tuyến.", code="forbidden")
    raise PermissionDenied("Chỉ cán bộ Bộ phận Một cửa của cơ quan tiếp nhận mới được nhập hồ sơ nộp trực tiếp "
                           "hoặc qua bưu chính.", code="forbidden")


def eform_applicant_values(applicant) -> dict:
    """The applicant's data as e-form fields take it (``catalog.eforms.eform_prefill``), from a
    ``CleanApplicant`` or ``ApplicantInput``. A business's e-form fields of a person (name, personal
    identification number, birth date) are the person acting for it, never the company's record: for
    a business only the tax code and the contact details are given, so an employee's name is never
    mixed with the company's identifiers."""
    business = applicant.kind == ApplicantKind.BUSINESS
    return {
        "name": "" if business else applicant.full_name,
        "id_number": "" if business else applicant.id_number,
        "birth_date": None if business else applicant.birth_date,
        "tax_code": applicant.tax_code,
        "phone": applicant.phone, "email": applicant.email, "address": applicant.address,
    }


def form_data_clean(version: ProcedureVersion, form_data, *, own_applicant=None) -> dict:
    """The e-form answers checked against the version's schema, as sent: nothing blank is filled.

    ``own_applicant``: the applicant, only when the actor is that applicant submitting for themself
    (a citizen or business account, online; ``submitter_require`` has checked the identity). Then the
    fields the e-form's author marked as the applicant's identity (``x-applicant``) take the
    applicant's values whatever was sent, where the field accepts them
    (``catalog.eforms.eform_locked_values``). An integrator, an authorised representative or an
    officer at the counter keeps exactly what was sent: it may be another person's data."""
    if form_data is not None and not isinstance(form_data, dict):
        raise ValidationFailed("Dữ liệu biểu mẫu (form_data) phải là một đối tượng JSON.", code="eform_invalid")
    if not version.eform_schema:
        return {}
    data = form_data or {}
    if own_applicant is not None:
        data = {**data, **eform_locked_values(version.eform_schema, eform_applicant_values(own_applicant))}
    return eform_validate(version.eform_schema, data)


def _uuid_text(value) -> str:
    try:
        return str(uuid.UUID(str(value)))
    except (TypeError, ValueError):
        return ""


@dataclass(frozen=True)
class CleanDocument:
    required_document: RequiredDocument | None
    name: str
    file: StoredFile


def documents_clean(*, actor, version: ProcedureVersion, documents: list[DocumentInput]) -> list[CleanDocument]:
    """Resolve components and files (the caller's own uploads), check file types per component."""
    by_key: dict[str, RequiredDocument] = {}
    for row in version.documents.all():
        by_key[row.code] = row
        by_key[str(row.pk)] = row
    files = files_owned(actor=actor, ids=[i for d in documents for i in d.file_ids])
    cleaned: list[CleanDocument] = []
    for index, document in enumerate(documents):
        required = None
        if document.required_document:
            required = by_key.get(document.required_document)
            if required is None:
                raise ValidationFailed(
                    f"Thành phần hồ sơ “{document.required_document}” không thuộc thủ tục này.",
                    code="unknown_required_document", errors=[{"field": f"documents[{index}].required_document"}],
                )
        if not document.file_ids:
            raise ValidationFailed("Mỗi thành phần hồ sơ gửi lên phải kèm ít nhất một tệp.",
                                   code="missing_required_document",
                                   errors=[{"field": f"documents[{index}].file_ids"}])
        name = clean_text(document.name) or (required.name if required else "")
        if not name:
            raise ValidationFailed("Giấy tờ bổ sung ngoài danh mục phải có tên (name).", code="document_name_required",
                                   errors=[{"field": f"documents[{index}].name"}])
        accepts = tuple((required.accepts if required else None) or DEFAULT_ACCEPTS)
        for file_id in document.file_ids:
            stored = files.get(_uuid_text(file_id))
            if stored is None:
                raise ValidationFailed(
                    f"Không tìm thấy tệp “{file_id}” trong các tệp bạn đã tải lên.", code="file_not_found",
                    errors=[{"field": f"documents[{index}].file_ids"}],
                )
            category = "pdf" if stored.content_type == "application/pdf" else "image"
            if category not in accepts:
                wanted = ", ".join(ACCEPT_LABELS.get(a, a) for a in accepts)
                raise ValidationFailed(
                    f"“{name}” chỉ nhận tệp {wanted}; tệp “{stored.original_name}” không phù hợp.",
                    code="file_type_not_allowed", errors=[{"field": f"documents[{index}].file_ids"}],
                )
            cleaned.append(CleanDocument(required_document=required, name=name, file=stored))
    return cleaned


def document_case_complete(*, version: ProcedureVersion, provided_ids: set[int], channel: str) -> str:
    """Check that every required component is present; return the case (trường hợp) satisfied.

    Only the papers asked of a dossier filed by ``channel`` count (``catalog.selectors.
    version_documents_asked``): the ID card shown "khi làm thủ tục trực tiếp" is not asked online,
    and the declaration the e-form replaces is never an upload online.

    Components with a ``case_name`` are alternatives: the applicant files the papers of one case
    plus the components common to all (empty ``case_name``, or a heading such as "Giấy tờ phải nộp",
    ``dossiers.cases``). The case is inferred from what was provided: the complete case, the one with
    the most papers provided if several are complete.
    """
    documents = version_documents_asked(version, channel=CATALOG_CHANNEL[channel])
    common = [d for d in documents if not document_case_is_alternative(d.case_name) and d.is_required]
    cases: dict[str, list[RequiredDocument]] = {}
    for document in documents:
        if document_case_is_alternative(document.case_name):
            cases.setdefault(document.case_name, []).append(document)
    options = [("", common)] if not cases else [
        (case, common + [d for d in docs if d.is_required]) for case, docs in cases.items()
    ]
    best_case, best_missing, best_hits = "", None, -1
    for case, needed in options:
        missing = [d for d in needed if d.pk not in provided_ids]
        hits = sum(1 for d in cases.get(case, []) if d.pk in provided_ids)
        better = (
            best_missing is None
            or len(missing) < len(best_missing)
            or (len(missing) == len(best_missing) and hits > best_hits)
        )
        if better:
            best_case, best_missing, best_hits = case, missing, hits
    if best_missing:
        names = "; ".join(d.name for d in best_missing)
        where = f" (trường hợp “{best_case}”)" if best_case else ""
        raise ValidationFailed(
            f"Hồ sơ còn thiếu giấy tờ bắt buộc{where}: {names}.", code="missing_required_document",
            errors=[{"field": "documents", "required_document": d.code, "message": f"Thiếu: {d.name}"}
                    for d in best_missing],
        )
    return best_case
