"""The online submission wizard (issue #4 item 2): from a procedure page to a submitted dossier.

Steps: 1 receiving agency and applicant, 2 the e-form (when the procedure has one), 3 one file per
required document, 4 review and submit. Every step is a plain form posted to the server and
followed by a redirect (POST/redirect/GET); the draft is saved at each step with
``dossier_draft_save``, so the citizen can leave and resume from "Hồ sơ của tôi". Nothing here
decides what is valid: the e-form is checked with ``catalog.eforms.eform_validate`` (the same
function ``dossier_submit`` uses) and everything else by the dossier services.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tinhso.catalog.eforms import eform_prefill, eform_validate
from tinhso.catalog.selectors import procedure_detail, version_detail_queryset, version_documents_by_case
from tinhso.core.errors import DomainError, NotFound, ValidationFailed
from tinhso.core.files import file_store
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.models import Dossier, DossierDocument
from tinhso.dossiers.selectors import dossier_draft_get, dossier_list_for
from tinhso.dossiers.services import dossier_draft_save, dossier_submit
from tinhso.dossiers.services.validation import eform_applicant_values
from tinhso.dossiers.status import Status
from tinhso.portal.display import (
    DOCUMENTS,
    EFORM,
    INFO,
    REVIEW,
    receiving_agencies,
    wizard_steps,
)
from tinhso.portal.forms_dossiers import ApplicantStepForm
from tinhso.portal.pages import applicant_required, not_found
from tinhso.web.display import eform_answers, online_submission_open
from tinhso.web.errors import attach, summary_of

APPLICANT_FIELDS = {"invalid_phone": "phone", "invalid_email": "email", "agency_not_receiving": "agency",
                    "agency_required": "agency"}


def _step_url(draft: Dossier, step) -> str:
    return reverse("portal:wizard_step", args=[draft.pk, step.slug])


def _next_step(version, step):
    steps = wizard_steps(version)
    return steps[min(steps.index(step) + 1, len(steps) - 1)]


def _leave_or_next(request, draft: Dossier, step):
    if "save_exit" in request.POST:
        messages.success(request, _("Đã lưu bản nháp. Bạn có thể tiếp tục bất cứ lúc nào trong “Hồ sơ của tôi”."))
        return redirect("portal:my_dossiers")
    return redirect(_step_url(draft, _next_step(draft.procedure_version, step)))


def _context(draft: Dossier | None, version, step, **extra) -> dict:
    steps = wizard_steps(version)
    return {"draft": draft, "version": version, "procedure": version.procedure, "step": step, "steps": steps,
            "step_number": steps.index(step) + 1, "step_count": len(steps), **extra}


def _applicant_for(user, form_data: dict) -> ApplicantInput:
    applicant = ApplicantInput.from_account(user)
    applicant.phone = form_data.get("phone", "")
    applicant.email = form_data.get("email", "")
    applicant.address = form_data.get("address", "")
    return applicant


@never_cache
@applicant_required
def wizard_start(request, code: str):
    """Step 1 for a new dossier: nothing is stored until the citizen posts this step."""
    try:
        version = procedure_detail(code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    if not online_submission_open(version):
        return not_found(request, _("Thủ tục này chưa nhận hồ sơ trực tuyến. Vui lòng nộp trực tiếp tại Bộ phận "
                                    "Một cửa hoặc qua dịch vụ bưu chính công ích."))
    agencies = receiving_agencies(version)
    user = request.user
    form = ApplicantStepForm(request.POST or None, agencies=agencies,
                             initial={"phone": user.phone, "email": user.email, "address": user.address})
    if request.method == "POST" and form.is_valid():
        try:
            draft = dossier_draft_save(actor=user, procedure_code=version.procedure.code,
                                       agency_code=form.cleaned_data.get("agency") or None,
                                       applicant=_applicant_for(user, form.cleaned_data))
        except DomainError as exc:
            attach(form, exc, APPLICANT_FIELDS)
        else:
            return _leave_or_next(request, draft, INFO)
    drafts = dossier_list_for(actor=user, status=Status.DRAFT, procedure=version.procedure.code, page_size=5).items
    context = _context(None, version, INFO, form=form, errors=summary_of(form), drafts=drafts, agencies=agencies)
    return render(request, "portal/wizard/info.html", context, status=422 if form.errors else 200)


def _draft(request, draft_id: int) -> Dossier:
    draft = dossier_draft_get(actor=request.user, draft_id=draft_id)
    version = version_detail_queryset().get(pk=draft.procedure_version_id)
    draft.procedure_version = version
    return draft


@never_cache
@applicant_required
def wizard_step(request, draft_id: int, step: str):
    try:
        draft = _draft(request, draft_id)
    except NotFound as exc:
        return not_found(request, exc.detail)
    version = draft.procedure_version
    by_slug = {s.slug: s for s in wizard_steps(version)}
    if step not in by_slug:
        return not_found(request)
    handler = {INFO.slug: _info, EFORM.slug: _eform, DOCUMENTS.slug: _documents, REVIEW.slug: _review}[step]
    return handler(request, draft, version)


def _info(request, draft: Dossier, version):
    agencies = receiving_agencies(version)
    form = ApplicantStepForm(request.POST or None, agencies=agencies, initial={
        "agency": draft.receiving_agency.code if draft.receiving_agency_id else "",
        "phone": draft.applicant_phone, "email": draft.applicant_email, "address": draft.applicant_address})
    if request.method == "POST" and form.is_valid():
        try:
            dossier_draft_save(actor=request.user, dossier=draft, agency_code=form.cleaned_data.get("agency") or None,
                               applicant=_applicant_for(request.user, form.cleaned_data))
        except DomainError as exc:
            attach(form, exc, APPLICANT_FIELDS)
        else:
            return _leave_or_next(request, draft, INFO)
    context = _context(draft, version, INFO, form=form, errors=summary_of(form), agencies=agencies)
    return render(request, "portal/wizard/info.html", context, status=422 if form.errors else 200)


def _draft_applicant(draft: Dossier) -> ApplicantInput:
    """The applicant of the draft: the account's identity and the contact details of step 1."""
    return ApplicantInput(kind=draft.applicant_kind, full_name=draft.applicant_name,
                          id_number=draft.applicant_id_number, tax_code=draft.applicant_tax_code,
                          phone=draft.applicant_phone, email=draft.applicant_email,
                          address=draft.applicant_address, birth_date=draft.applicant_birth_date)


def _eform(request, draft: Dossier, version):
    schema = version.eform_schema
    errors = []
    # The citizen submits for themself here. Identity fields the author marked x-applicant are locked to
    # the account when the field accepts its value (read-only; the submission applies them again,
    # dossiers.services.validation.form_data_clean). Other fields that look like the applicant's
    # (a well-known name, a marked contact field) are only suggested, the first time the step is shown:
    # a post is saved as typed and shown as saved, so the citizen can correct or clear them.
    applicant = eform_applicant_values(_draft_applicant(draft))
    posted = request.method == "POST"
    data, readonly = eform_prefill(schema, request.POST if posted else draft.form_data, applicant,
                                   suggest=not posted and not draft.form_data)
    if request.method == "POST":
        try:
            cleaned = eform_validate(schema, data)
        except ValidationFailed as exc:
            errors = exc.errors
            # Keep what was typed (a draft is not checked); the review step and the submission check it again.
            typed = {name: value for name, value in data.items() if name in schema.get("properties", {})}
            dossier_draft_save(actor=request.user, dossier=draft, form_data=typed)
            if "save_exit" in request.POST:
                return _leave_or_next(request, draft, EFORM)
        else:
            dossier_draft_save(actor=request.user, dossier=draft, form_data=cleaned)
            return _leave_or_next(request, draft, EFORM)
    summary = [{"id": f"eform-{e['field']}", "message": e["message"]} for e in errors]
    context = _context(draft, version, EFORM, schema=schema, data=data, eform_errors=errors, errors=summary,
                       readonly=readonly)
    return render(request, "portal/wizard/eform.html", context, status=422 if errors else 200)


def _current_files(draft: Dossier) -> dict[int, list[DossierDocument]]:
    files: dict[int, list[DossierDocument]] = {}
    for document in draft.documents.select_related("file").order_by("uploaded_at", "id"):
        files.setdefault(document.required_document_id, []).append(document)
    return files


def _documents_save(request, draft: Dossier, version) -> dict[int, str]:
    """Store the new uploads, then save the draft's whole document list; errors by component id."""
    errors: dict[int, str] = {}
    chosen = {rd_id: [str(d.file_id) for d in docs] for rd_id, docs in _current_files(draft).items()}
    for required in version.documents.all():
        upload = request.FILES.get(f"doc-{required.pk}")
        if upload:
            try:
                chosen[required.pk] = [str(file_store(uploaded_by=request.user, upload=upload).pk)]
            except DomainError as exc:
                errors[required.pk] = exc.detail
        elif request.POST.get(f"remove-{required.pk}"):
            chosen.pop(required.pk, None)
    by_id = {r.pk: r for r in version.documents.all()}
    # The service refuses the whole list when one file does not fit its component (file type per
    # component): drop that component, remember why, and save the rest.
    for _attempt in range(len(by_id) + 1):
        order = [rd_id for rd_id in chosen if rd_id in by_id and chosen[rd_id]]
        documents = [{"required_document": by_id[rd_id].code, "file_ids": chosen[rd_id]} for rd_id in order]
        try:
            dossier_draft_save(actor=request.user, dossier=draft, documents=documents)
            return errors
        except ValidationFailed as exc:
            index = next((int(str(e.get("field", ""))[10:].split("]")[0]) for e in exc.errors
                          if str(e.get("field", "")).startswith("documents[")), None)
            if index is None or index >= len(order):
                raise
            errors[order[index]] = exc.detail
            chosen.pop(order[index])
    return errors


def _documents(request, draft: Dossier, version):
    errors: dict[int, str] = {}
    if request.method == "POST":
        try:
            errors = _documents_save(request, draft, version)
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            if not errors:
                return _leave_or_next(request, draft, DOCUMENTS)
    files = _current_files(draft)
    groups = [(case, [(rd, files.get(rd.pk, []), errors.get(rd.pk, ""), list(rd.accepts or []) == ["pdf"])
                      for rd in docs])
              for case, docs in version_documents_by_case(version, channel="online")]
    summary = [{"id": f"doc-{rd_id}", "message": message} for rd_id, message in errors.items()]
    context = _context(draft, version, DOCUMENTS, groups=groups, errors=summary,
                       max_mb=settings.TINHSO_MAX_UPLOAD_BYTES // (1024 * 1024))
    return render(request, "portal/wizard/documents.html", context, status=422 if errors else 200)


def _submit_errors(exc: DomainError, draft: Dossier, version) -> list[dict]:
    """Where each submission error is fixed: a link to the step (and field) concerned."""
    by_code = {rd.code: rd for rd in version.documents.all()}
    docs_url = _step_url(draft, DOCUMENTS)
    if exc.code == "missing_required_document":
        items = [{"url": f"{docs_url}#doc-{by_code[e['required_document']].pk}", "message": e.get("message", "")}
                 for e in exc.errors if e.get("required_document") in by_code]
        return items or [{"url": docs_url, "message": exc.detail}]
    if exc.code == "eform_invalid":
        url = _step_url(draft, EFORM)
        return [{"url": f"{url}#eform-{e['field']}", "message": e["message"]} for e in exc.errors] or \
            [{"url": url, "message": exc.detail}]
    if exc.code in ("file_type_not_allowed", "file_not_found", "unknown_required_document"):
        return [{"url": docs_url, "message": exc.detail}]
    if exc.code in ("invalid_phone", "invalid_email", "agency_required", "agency_not_receiving"):
        return [{"url": _step_url(draft, INFO), "message": exc.detail}]
    return [{"url": "", "message": exc.detail}]


def _review(request, draft: Dossier, version):
    problems: list[dict] = []
    if request.method == "POST":
        try:
            dossier = dossier_submit(actor=request.user, dossier=draft)
        except DomainError as exc:
            problems = _submit_errors(exc, draft, version)
        else:
            return redirect("portal:submitted", code=dossier.code)
    files = _current_files(draft)
    documents = [(case, [(rd, files.get(rd.pk, [])) for rd in docs])
                 for case, docs in version_documents_by_case(version, channel="online")]
    context = _context(draft, version, REVIEW, problems=problems, documents=documents,
                       answers=eform_answers(version.eform_schema, draft.form_data),
                       extra_files=files.get(None, []))
    return render(request, "portal/wizard/review.html", context, status=422 if problems else 200)


__all__ = ["wizard_start", "wizard_step"]
