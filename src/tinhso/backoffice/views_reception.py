"""The reception desk (Bộ phận Một cửa, issue #4 item 9): online submissions waiting for a decision,
oldest first; counter and post intake, which creates and receives a dossier in one step
(``dossier_intake``) and then shows the receipt (Mẫu 01) to print."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.clickjacking import xframe_options_sameorigin

from tinhso.backoffice.access import forbidden, not_found, staff_required
from tinhso.backoffice.display import reception_agencies
from tinhso.backoffice.forms import IntakeForm
from tinhso.catalog.selectors import procedure_detail, procedure_search, version_documents_by_case
from tinhso.core.errors import DomainError, NotFound, ValidationFailed
from tinhso.core.files import file_store, files_owned
from tinhso.dossiers.inputs import ApplicantInput
from tinhso.dossiers.printing import render_form_html
from tinhso.dossiers.selectors import dossier_form_for, work_queue
from tinhso.dossiers.services import dossier_intake
from tinhso.dossiers.status import Status
from tinhso.web.errors import attach, summary_of

APPLICANT_FIELDS = {"invalid_id_number": "id_number", "invalid_tax_code": "tax_code", "invalid_phone": "phone",
                    "invalid_email": "email", "applicant_name_required": "full_name",
                    "agency_not_receiving": "agency", "agency_required": "agency", "invalid_channel": "channel",
                    "channel_not_offered": "channel", "invalid_birth_date": "birth_date"}


@never_cache
@staff_required
def reception(request):
    """Online dossiers waiting for reception in the officer's agencies, oldest first."""
    agencies = reception_agencies(actor=request.user)
    if not agencies:
        return forbidden(request, _("Bạn không có vai trò tiếp nhận hồ sơ ở cơ quan nào."))
    try:
        page, problem = work_queue(actor=request.user, status=Status.SUBMITTED, page=request.GET.get("page") or 1), ""
    except DomainError as exc:  # an agency without a working calendar
        page, problem = None, exc.detail
    return render(request, "backoffice/reception.html", {"page": page, "problem": problem, "agencies": agencies})


@never_cache
@staff_required
def intake_choose(request):
    """Step 1 of counter intake: find the procedure (search box, works without script)."""
    agencies = reception_agencies(actor=request.user)
    if not agencies:
        return forbidden(request, _("Bạn không có vai trò tiếp nhận hồ sơ ở cơ quan nào."))
    agency_code = request.GET.get("agency") or agencies[0].code
    if agency_code not in {a.code for a in agencies}:
        agency_code = agencies[0].code
    q = (request.GET.get("q") or "").strip()[:200]
    result = procedure_search(q=q, agency=agency_code, page=request.GET.get("page") or 1, page_size=20)
    return render(request, "backoffice/intake_choose.html", {"agencies": agencies, "agency_code": agency_code,
                                                             "q": q, "result": result})


def _documents_from_post(request, version, errors: dict) -> tuple[list[dict], dict]:
    """Scans posted now (stored at once) plus the ones kept from an earlier failed attempt."""
    kept_ids = [request.POST.get(f"kept-{rd.pk}", "") for rd in version.documents.all()]
    owned = files_owned(actor=request.user, ids=[i for i in kept_ids if i])
    documents, kept = [], {}
    for required in version.documents.all():
        upload = request.FILES.get(f"doc-{required.pk}")
        stored = None
        if upload:
            try:
                stored = file_store(uploaded_by=request.user, upload=upload)
            except DomainError as exc:
                errors[required.pk] = exc.detail
        else:
            stored = owned.get(request.POST.get(f"kept-{required.pk}", ""))
        if stored is not None:
            kept[required.pk] = stored
            documents.append({"required_document": required.code, "file_ids": [str(stored.pk)]})
    return documents, kept


@never_cache
@staff_required
def intake(request, procedure_code: str):
    """Step 2: applicant, channel, e-form, one scan per required document → created and received."""
    try:
        version = procedure_detail(code=procedure_code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    agencies = reception_agencies(actor=request.user, version=version)
    if not agencies:
        return forbidden(request, _("Cơ quan của bạn không tiếp nhận hồ sơ của thủ tục này."))
    form = IntakeForm(request.POST or None, agencies=agencies)
    doc_errors: dict[int, str] = {}
    eform_errors: list[dict] = []
    kept: dict = {}
    if request.method == "POST":
        documents, kept = _documents_from_post(request, version, doc_errors)
        if form.is_valid() and not doc_errors:
            data = form.cleaned_data
            applicant = ApplicantInput(kind=data["kind"], full_name=data["full_name"], id_number=data["id_number"],
                                       tax_code=data["tax_code"], phone=data["phone"], email=data["email"],
                                       address=data["address"], birth_date=data["birth_date"])
            form_data = {k: v for k, v in request.POST.items() if k in (version.eform_schema or {}).get(
                "properties", {})}
            try:
                dossier = dossier_intake(actor=request.user, procedure_code=version.procedure.code,
                                         channel=data["channel"], applicant=applicant, form_data=form_data,
                                         documents=documents, agency_code=data["agency"], note=data["note"])
            except ValidationFailed as exc:
                if exc.code == "eform_invalid":
                    eform_errors = exc.errors
                elif exc.code in ("missing_required_document", "file_type_not_allowed"):
                    by_code = {rd.code: rd.pk for rd in version.documents.all()}
                    for item in exc.errors or [{}]:
                        pk = by_code.get(item.get("required_document", ""))
                        if pk is None:
                            form.add_error(None, exc.detail)
                            break
                        doc_errors[pk] = item.get("message") or exc.detail
                else:
                    attach(form, exc, APPLICANT_FIELDS)
            except DomainError as exc:
                form.add_error(None, exc.detail)
            else:
                return redirect("backoffice:receipt", code=dossier.code)
    summary = summary_of(form,
                         *[{"id": f"eform-{e['field']}", "message": e["message"]} for e in eform_errors],
                         *[{"id": f"doc-{pk}", "message": m} for pk, m in doc_errors.items()])
    groups = [(case, [(rd, kept.get(rd.pk), doc_errors.get(rd.pk, "")) for rd in docs])
              for case, docs in version_documents_by_case(version)]
    context = {"version": version, "procedure": version.procedure, "form": form, "groups": groups,
               "eform_data": request.POST if request.method == "POST" else None, "eform_errors": eform_errors,
               "errors": summary}
    return render(request, "backoffice/intake.html", context, status=422 if summary else 200)


@never_cache
@staff_required
def receipt(request, code: str):
    """The receipt (Giấy tiếp nhận hồ sơ và hẹn trả kết quả, Mẫu 01): shown as it prints, with a print
    button, the PDF, and the way back to the desk."""
    try:
        dossier, form = dossier_form_for(actor=request.user, code=code, kind="receipt")
    except NotFound as exc:
        return not_found(request, exc.detail)
    return render(request, "backoffice/receipt.html", {"dossier": dossier, "form": form})


@never_cache
@xframe_options_sameorigin  # shown in the receipt page's frame, printed from there
@staff_required
def receipt_print(request, code: str):
    """The receipt's HTML from the printing package (``render_form_html``: the PDF's own template, escaped)."""
    try:
        dossier, form = dossier_form_for(actor=request.user, code=code, kind="receipt")
    except NotFound as exc:
        return not_found(request, exc.detail)
    return HttpResponse(render_form_html(dossier=dossier, kind=form.kind))
