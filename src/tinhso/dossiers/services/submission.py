"""Creating dossiers: the citizen's draft and submission, the API's one-call create, and counter or
post intake (created and received at once). Every check runs before the first write, and all of it
is one transaction: invalid input stores nothing (no dossier, no document, no number taken)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from tinhso.catalog.models import ProcedureVersion
from tinhso.catalog.selectors import procedure_current_version
from tinhso.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed
from tinhso.core.text import clean_text
from tinhso.dossiers.inputs import ApplicantInput, CleanApplicant, DocumentInput, applicant_clean
from tinhso.dossiers.models import Dossier, DossierDocument
from tinhso.dossiers.permissions import ActorContext, actor_context, is_owner, require_authenticated
from tinhso.dossiers.regulations import dossier_code_next, dossier_reference_next, regulation_in_force
from tinhso.dossiers.services.common import (
    access_grant,
    dossier_lock,
    dossier_search_text,
    handover_open,
    state_require,
    transition_record,
    version_check,
)
from tinhso.dossiers.services.engine import reception_enter
from tinhso.dossiers.services.reception import receive_apply
from tinhso.dossiers.services.validation import (
    CleanDocument,
    channel_require,
    document_case_complete,
    documents_clean,
    form_data_clean,
    procedure_version_for,
    receiving_agency_for,
    submitter_require,
    version_accepting_require,
)
from tinhso.dossiers.status import Channel, Status


def _documents_write(dossier: Dossier, documents: list[CleanDocument], *, actor, at: datetime, role: str,
                     digitised: bool) -> None:
    DossierDocument.objects.bulk_create(
        DossierDocument(dossier=dossier, required_document=d.required_document, name=d.name, file=d.file, role=role,
                        uploaded_by=actor, uploaded_at=at, is_digitised=digitised)
        for d in documents
    )


def _submit_apply(dossier: Dossier, *, actor, at: datetime, status_from: str, received_now: bool = False) -> None:
    """Status "Mới đăng ký", open the reception row, and give the dossier what identifies it: the
    provisional reference of an online dossier (its code comes at receipt, TT 01/2018 Điều 19), or
    — ``received_now``, counter and post intake — its code at once."""
    dossier.regulation = regulation_in_force(at)
    dossier.submitted_at = at
    dossier.status = Status.SUBMITTED
    reception_enter(dossier)
    # The number is taken last: its counter row stays locked until commit (core.sequences).
    if received_now:
        dossier.code = dossier_code_next(regulation=dossier.regulation, agency=dossier.receiving_agency, at=at)
    else:
        dossier.reference = dossier_reference_next(agency=dossier.receiving_agency, at=at)
        dossier.code = dossier.reference
    dossier.search_text = dossier_search_text(dossier)
    access_grant(dossier, dossier.receiving_agency)  # the row is saved once, by transition_record
    handover_open(dossier, step_code="reception", step_name="Tiếp nhận hồ sơ", role="reception",
                  to_agency=dossier.receiving_agency, at=at, given_by=dossier.owner)
    transition_record(
        dossier, actor=actor, action="submit", label="Mới đăng ký", status_from=status_from, at=at,
        agency=dossier.receiving_agency, event="dossier.submitted",
        payload={"submitted_at": at, "procedure_version_id": dossier.procedure_version_id},
    )


def _new(*, actor, version: ProcedureVersion, agency, channel: str, applicant: CleanApplicant, form_data: dict,
         case: str, owner, note: str) -> Dossier:
    return Dossier(
        procedure=version.procedure, procedure_version=version, receiving_agency=agency, current_agency=agency,
        channel=channel, status=Status.DRAFT, document_case=case, owner=owner, created_by=actor,
        form_data=form_data, note=clean_text(note), **applicant.as_fields(),
    )


def _checked(*, context: ActorContext, procedure_code: str, channel: str, applicant: ApplicantInput,
             form_data, documents, agency_code: str | None, at: datetime):
    version = procedure_version_for(procedure_code=procedure_code, at=at)
    channel_require(version, channel)
    agency = receiving_agency_for(version, agency_code)
    clean = applicant_clean(applicant)
    submitter_require(context, channel=channel, agency=agency, applicant=clean)
    # Only an account submitting for itself has its identity applied to the e-form's marked fields; an
    # integrator, a representative or the counter officer sends what the papers say, maybe another
    # person's, and it is kept as sent.
    own = clean if channel == Channel.ONLINE and context.is_applicant else None
    data = form_data_clean(version, form_data, own_applicant=own)
    docs = documents_clean(actor=context.user, version=version, documents=DocumentInput.list_from(documents))
    case = document_case_complete(version=version, channel=channel,
                                  provided_ids={d.required_document.pk for d in docs if d.required_document is not None})
    return version, agency, clean, data, docs, case


@transaction.atomic
def dossier_create(
    *, actor, procedure_code: str, channel: str, applicant: ApplicantInput, form_data: dict | None = None,
    documents=(), agency_code: str | None = None, note: str = "",
) -> Dossier:
    """Create a complete dossier in one call (``POST /api/v1/dossiers``).

    ``channel="online"``: submitted (status ``submitted``, national code 1) with its code; by a
    citizen or business for themselves (owner = the account) or by an integrator holding the
    reception role of the receiving agency. ``channel="counter"|"post"``: delegated to
    ``dossier_intake`` — created and received at once.

    Errors (nothing stored): 422 ``procedure_not_found``, ``procedure_not_accepting``,
    ``invalid_channel``, ``channel_not_offered``, ``agency_required``, ``agency_not_receiving``,
    ``invalid_id_number``, ``invalid_tax_code``, ``invalid_phone``, ``invalid_email``,
    ``applicant_name_required``, ``eform_invalid``, ``unknown_required_document``, ``file_not_found``,
    ``file_type_not_allowed``, ``missing_required_document``, ``account_identity_missing``;
    403 ``forbidden``, ``applicant_mismatch``.
    """
    if channel in (Channel.COUNTER, Channel.POST):
        return dossier_intake(actor=actor, procedure_code=procedure_code, channel=channel, applicant=applicant,
                              form_data=form_data, documents=documents, agency_code=agency_code, note=note)
    require_authenticated(actor)
    at = timezone.now()
    context = actor_context(actor)
    version, agency, clean, data, docs, case = _checked(
        context=context, procedure_code=procedure_code, channel=channel, applicant=applicant, form_data=form_data,
        documents=documents, agency_code=agency_code, at=at,
    )
    owner = actor if context.is_applicant else None
    dossier = _new(actor=actor, version=version, agency=agency, channel=channel, applicant=clean, form_data=data,
                   case=case, owner=owner, note=note)
    dossier.save()
    _documents_write(dossier, docs, actor=actor, at=at, role=DossierDocument.Role.SUBMITTED, digitised=False)
    _submit_apply(dossier, actor=actor, at=at, status_from=Status.DRAFT)
    return dossier


@transaction.atomic
def dossier_intake(
    *, actor, procedure_code: str, channel: str, applicant: ApplicantInput, form_data: dict | None = None,
    documents=(), agency_code: str | None = None, note: str = "",
) -> Dossier:
    """Counter or post intake by a reception officer: the applicant's data and the scans are entered,
    and the dossier is submitted and received in the same transaction (events ``dossier.submitted``
    and ``dossier.received``; receipt Mẫu 01 issued). Same errors as ``dossier_create``."""
    require_authenticated(actor)
    if channel not in (Channel.COUNTER, Channel.POST):
        raise ValidationFailed("Tiếp nhận tại quầy chỉ dùng cho hồ sơ nộp trực tiếp (counter) hoặc qua bưu chính "
                               "(post).", code="invalid_channel")
    at = timezone.now()
    context = actor_context(actor)
    version, agency, clean, data, docs, case = _checked(
        context=context, procedure_code=procedure_code, channel=channel, applicant=applicant, form_data=form_data,
        documents=documents, agency_code=agency_code, at=at,
    )
    dossier = _new(actor=actor, version=version, agency=agency, channel=channel, applicant=clean, form_data=data,
                   case=case, owner=None, note=note)
    dossier.save()
    _documents_write(dossier, docs, actor=actor, at=at, role=DossierDocument.Role.SCAN, digitised=True)
    _submit_apply(dossier, actor=actor, at=at, status_from=Status.DRAFT, received_now=True)
    receive_apply(dossier, actor=actor, at=at)
    return dossier


# --- the citizen's draft ---------------------------------------------------------------------------------


def _applicant_require(context: ActorContext) -> None:
    if not context.is_applicant:
        raise PermissionDenied("Chỉ tài khoản công dân, doanh nghiệp mới có bản nháp hồ sơ.", code="forbidden")


@transaction.atomic
def dossier_draft_save(
    *, actor, procedure_code: str | None = None, dossier: Dossier | None = None, agency_code: str | None = None,
    applicant: ApplicantInput | None = None, form_data: dict | None = None, documents=None,
) -> Dossier:
    """Create (``procedure_code``) or update (``dossier``) the citizen's unsent draft.

    Only what is given changes; ``documents`` given replaces the draft's files. Drafts are not
    checked for completeness (that is ``dossier_submit``'s job) but every file must be the
    citizen's own upload of an accepted type, and a named agency must receive the procedure. A
    draft has no code, no number and no event: it is the citizen's private business.
    """
    require_authenticated(actor)
    context = actor_context(actor)
    _applicant_require(context)
    at = timezone.now()
    if dossier is None:
        if not procedure_code:
            raise ValidationFailed("Vui lòng chọn thủ tục hành chính.", code="procedure_not_found")
        version = procedure_version_for(procedure_code=procedure_code, at=at)
        channel_require(version, Channel.ONLINE)
        dossier = Dossier(procedure=version.procedure, procedure_version=version, channel=Channel.ONLINE,
                          status=Status.DRAFT, owner=actor, created_by=actor)
        applicant = applicant or ApplicantInput.from_account(actor)
    else:
        dossier = dossier_lock(dossier)
        if not is_owner(context, dossier):
            raise NotFound("Không tìm thấy bản nháp hồ sơ.", code="dossier_not_found")
        state_require(dossier, {Status.DRAFT}, what="sửa như bản nháp")
    version = dossier.procedure_version
    if agency_code:
        dossier.receiving_agency = receiving_agency_for(version, agency_code)
    elif dossier.receiving_agency_id is None:
        try:
            dossier.receiving_agency = receiving_agency_for(version, None)
        except ValidationFailed as exc:
            if exc.code != "agency_required":
                raise  # several receiving agencies: the citizen picks one before submitting
    dossier.current_agency = dossier.receiving_agency
    if applicant is not None:
        for field_name, value in {
            "applicant_kind": applicant.kind, "applicant_name": clean_text(applicant.full_name),
            "applicant_id_number": applicant.id_number.strip(), "applicant_tax_code": applicant.tax_code.strip(),
            "applicant_phone": applicant.phone.strip(), "applicant_email": applicant.email.strip().lower(),
            "applicant_address": clean_text(applicant.address), "applicant_birth_date": applicant.birth_date,
        }.items():
            setattr(dossier, field_name, value)
    if form_data is not None:
        if not isinstance(form_data, dict):
            raise ValidationFailed("Dữ liệu biểu mẫu (form_data) phải là một đối tượng JSON.", code="eform_invalid")
        dossier.form_data = form_data
    docs = None
    if documents is not None:
        docs = documents_clean(actor=actor, version=version, documents=DocumentInput.list_from(documents))
    dossier.save()
    if docs is not None:
        dossier.documents.all().delete()
        _documents_write(dossier, docs, actor=actor, at=at, role=DossierDocument.Role.SUBMITTED, digitised=False)
    return dossier


@transaction.atomic
def dossier_draft_delete(*, actor, dossier: Dossier) -> None:
    """Discard an unsent draft (the uploaded files stay with their uploader)."""
    require_authenticated(actor)
    context = actor_context(actor)
    dossier = dossier_lock(dossier)
    if not is_owner(context, dossier):
        raise NotFound("Không tìm thấy bản nháp hồ sơ.", code="dossier_not_found")
    state_require(dossier, {Status.DRAFT}, what="xóa như bản nháp")
    dossier.delete()


@transaction.atomic
def dossier_submit(*, actor, dossier: Dossier, expected_version: int | None = None) -> Dossier:
    """Submit the citizen's draft: everything is checked again (identity, e-form, each required
    component has a file, agency), then the code is assigned and the status is "Mới đăng ký".

    409 ``procedure_version_changed`` when a new version of the procedure came into force since the
    draft was started (the citizen starts again on the new rules). Event ``dossier.submitted``.
    """
    require_authenticated(actor)
    context = actor_context(actor)
    _applicant_require(context)
    dossier = dossier_lock(dossier)
    if not is_owner(context, dossier):
        raise NotFound("Không tìm thấy bản nháp hồ sơ.", code="dossier_not_found")
    version_check(dossier, expected_version)
    state_require(dossier, {Status.DRAFT}, what="nộp")
    at = timezone.now()
    version = dossier.procedure_version
    current = procedure_current_version(procedure=dossier.procedure, at=at)
    if current is None or current.pk != version.pk:
        raise Conflict("Thủ tục đã được cập nhật từ khi bạn soạn bản nháp này; vui lòng lập hồ sơ mới theo quy định "
                       "hiện hành.", code="procedure_version_changed")
    version_accepting_require(version)
    channel_require(version, Channel.ONLINE)
    if dossier.receiving_agency_id is None:
        dossier.receiving_agency = receiving_agency_for(version, None)
        dossier.current_agency = dossier.receiving_agency
    clean = applicant_clean(ApplicantInput(
        kind=dossier.applicant_kind, full_name=dossier.applicant_name, id_number=dossier.applicant_id_number,
        tax_code=dossier.applicant_tax_code, phone=dossier.applicant_phone, email=dossier.applicant_email,
        address=dossier.applicant_address, birth_date=dossier.applicant_birth_date,
    ))
    submitter_require(context, channel=Channel.ONLINE, agency=dossier.receiving_agency, applicant=clean)
    for field_name, value in clean.as_fields().items():
        setattr(dossier, field_name, value)
    # A draft is the account's own (is_owner), submitted for itself (submitter_require).
    dossier.form_data = form_data_clean(version, dossier.form_data,
                                        own_applicant=clean if context.is_applicant else None)
    provided = set(dossier.documents.exclude(required_document__isnull=True).values_list("required_document_id",
                                                                                           flat=True))
    dossier.document_case = document_case_complete(version=version, provided_ids=provided, channel=Channel.ONLINE)
    _submit_apply(dossier, actor=actor, at=at, status_from=Status.DRAFT)
    return dossier


__all__ = [
    "dossier_create",
    "dossier_draft_delete",
    "dossier_draft_save",
    "dossier_intake",
    "dossier_submit",
]
