"""One dossier for staff (issue #4 item 9, issue #5 item 7): the applicant in full (the selector logs
the read), documents, e-form data, timeline, handovers with their verdicts, the deadline, and
exactly the actions ``dossier_available_actions`` offers, each as a small form posted with the
version the page showed — a stale page gets the Conflict message, never a silent double action."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tinhso.backoffice.access import CONFLICT_TITLE, not_found, staff_required
from tinhso.backoffice.display import deadline_state
from tinhso.backoffice.forms import ActionForm
from tinhso.core.errors import Conflict, DomainError, NotFound, ValidationFailed
from tinhso.core.files import file_store
from tinhso.dossiers.selectors import (
    dossier_agency_results,
    dossier_detail,
    dossier_get_for,
    dossier_handovers,
)
from tinhso.dossiers.services import dossier_action_perform, dossier_available_actions
from tinhso.org.selectors import agency_list
from tinhso.web import downloads
from tinhso.web.display import eform_answers
from tinhso.web.labels import choice_label


def _open_supplement(dossier):
    return dossier.supplement_requests.filter(fulfilled_at__isnull=True).order_by("-requested_at").first()


def _form_for(spec, dossier, *, data=None, files=None) -> ActionForm:
    needs = {f.type for f in spec.fields}
    supplement = _open_supplement(dossier) if "documents" in needs else None
    return ActionForm(
        data, files, spec=spec, initial={"expected_version": dossier.version},
        agencies=list(agency_list()) if "agency" in needs else (),
        documents=list(dossier.procedure_version.documents.all()) if "supplement_items" in needs else (),
        supplement_items=supplement.items if supplement else (),
    )


def _page(request, code: str, *, bound: ActionForm | None = None, status: int = 200):
    try:
        detail = dossier_detail(actor=request.user, code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    dossier = detail.dossier
    handovers = dossier_handovers(actor=request.user, dossier=dossier)
    forms = [bound if bound is not None and bound.spec.name == spec.name else _form_for(spec, dossier)
             for spec in detail.actions]
    context = {
        "detail": detail, "dossier": dossier, "action_forms": forms,
        "documents": [d for d in detail.documents if d.role != "result"],
        "results": [d for d in detail.documents if d.role == "result"],
        "answers": eform_answers(dossier.procedure_version.eform_schema, dossier.form_data),
        "handovers": handovers, "agency_results": dossier_agency_results(handovers=handovers),
        "deadline": deadline_state(dossier),
        "forms": downloads.form_links(dossier, detail.forms),
        "errors": _summary(bound),
    }
    return render(request, "backoffice/dossier.html", context, status=status)


def _summary(form: ActionForm | None) -> list[dict]:
    if form is None or not form.errors:
        return []
    items = [{"id": "", "message": m} for m in form.non_field_errors()]
    items += [{"id": form[name].auto_id, "message": m} for name, errs in form.errors.items()
              if name != "__all__" for m in errs]
    return items


@never_cache
@staff_required
def dossier_page(request, code: str):
    return _page(request, code)


def _store(request, upload) -> str:
    return str(file_store(uploaded_by=request.user, upload=upload).pk)


def _action_data(request, form: ActionForm) -> dict:
    """The body ``dossier_action_perform`` expects, from the cleaned form (files stored first)."""
    cleaned = form.cleaned_data
    data: dict = {"expected_version": cleaned["expected_version"]}
    for spec in form.spec.fields:
        if spec.type == "supplement_items":
            items = [{"required_document": code} for code in cleaned.get("items") or []]
            items += [{"name": line.strip()} for line in (cleaned.get("other_items") or "").splitlines()
                      if line.strip()]
            data["items"] = items
        elif spec.type == "file_ids":
            upload = cleaned.get(spec.name)
            data["file_ids"] = [_store(request, upload)] if upload else []
        elif spec.type == "documents":
            documents = []
            for index, item in enumerate(form.supplement_items):
                upload = cleaned.get(f"item_{index}")
                if upload:
                    documents.append({"required_document": item.get("required_document") or "",
                                      "name": item.get("name") or "", "file_ids": [_store(request, upload)]})
            data["documents"] = documents
        else:
            value = cleaned.get(spec.name)
            data[spec.name] = value if value not in (None, "") else ("" if spec.type not in (
                "decimal", "datetime") else None)
    return data


@require_POST
@staff_required
def dossier_action(request, code: str, action: str):
    try:
        dossier = dossier_get_for(actor=request.user, code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    spec = next((s for s in dossier_available_actions(actor=request.user, dossier=dossier) if s.name == action), None)
    if spec is None:
        # Not offered any more: someone acted first, or the page was never right. The service decides.
        try:
            dossier_action_perform(actor=request.user, dossier=dossier, action=action,
                                   data={"expected_version": request.POST.get(f"{action}-expected_version")})
        except DomainError as exc:
            messages.error(request, f"{CONFLICT_TITLE} {exc.detail}" if isinstance(exc, Conflict) else exc.detail)
        else:  # pragma: no cover - an action outside the list cannot succeed
            messages.success(request, _("Đã thực hiện thao tác."))
        return redirect("backoffice:dossier", code=code)
    form = _form_for(spec, dossier, data=request.POST, files=request.FILES)
    if not form.is_valid():
        return _page(request, code, bound=form, status=422)
    try:
        dossier_action_perform(actor=request.user, dossier=dossier, action=action, data=_action_data(request, form))
    except Conflict as exc:
        messages.error(request, f"{CONFLICT_TITLE} {exc.detail}")
        return redirect("backoffice:dossier", code=code)
    except ValidationFailed as exc:
        for item in exc.errors or []:
            name = str(item.get("field", "")).split("[")[0].split(".")[0]
            if name in form.fields:
                form.add_error(name, item.get("message") or exc.detail)
        if not form.errors:
            form.add_error(None, exc.detail)
        return _page(request, code, bound=form, status=422)
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect("backoffice:dossier", code=code)
    messages.success(request, _("Đã thực hiện: %(label)s.") % {"label": choice_label(spec.label)})
    if action == "receive":
        return redirect("backoffice:receipt", code=code)
    try:
        dossier_get_for(actor=request.user, code=code)
    except NotFound:  # handed to an agency outside the officer's scope
        return redirect("backoffice:work_queue")
    return redirect("backoffice:dossier", code=code)


@staff_required
def document_download(request, code: str, document_id: int):
    try:
        return downloads.document_response(actor=request.user, code=code, document_id=document_id)
    except NotFound as exc:
        return not_found(request, exc.detail)


@staff_required
def form_pdf(request, code: str, slug: str):
    try:
        return downloads.form_pdf_response(actor=request.user, code=code, slug=slug)
    except NotFound as exc:
        return not_found(request, exc.detail)
