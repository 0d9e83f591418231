"""The citizen's own dossiers: "Hồ sơ của tôi", one dossier in full (status, timeline, forms issued,
the open supplement request with its upload form, withdrawal, result download), and the
confirmation after submission. Reads come from ``dossiers.selectors`` scoped to the account;
actions go through ``dossier_action_perform`` with the version the page showed."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tinhso.core.errors import Conflict, DomainError, NotFound
from tinhso.core.files import file_store
from tinhso.dossiers.selectors import dossier_detail, dossier_draft_get, dossier_get_for, dossier_list_for
from tinhso.dossiers.services import dossier_action_perform, dossier_draft_delete
from tinhso.dossiers.status import Status
from tinhso.portal.forms_dossiers import WithdrawForm
from tinhso.portal.notices import notifications_list
from tinhso.portal.pages import CONFLICT_TITLE, applicant_required, not_found
from tinhso.ratings.selectors import rated_dossier_ids
from tinhso.web import downloads


@never_cache
@applicant_required
def my_dossiers(request):
    page = dossier_list_for(actor=request.user, page=request.GET.get("page") or 1, page_size=20)
    returned = [d.pk for d in page.items if d.status == Status.RETURNED]
    return render(request, "portal/dossiers/list.html", {
        "page": page, "notifications": notifications_list(user=request.user, limit=5),
        "rated": rated_dossier_ids(dossier_ids=returned) if returned else set()})


@never_cache
@applicant_required
def submitted(request, code: str):
    try:
        dossier = dossier_get_for(actor=request.user, code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    return render(request, "portal/dossiers/submitted.html", {"dossier": dossier})


def _open_supplement(detail):
    return next((r for r in reversed(detail.supplement_requests) if r.fulfilled_at is None), None)


def _detail_context(request, code: str, **extra) -> dict:
    detail = dossier_detail(actor=request.user, code=code)
    dossier = detail.dossier
    actions = {a.name: a for a in detail.actions}
    return {
        "detail": detail, "dossier": dossier, "actions": actions,
        "supplement": _open_supplement(detail) if "submit_supplement" in actions else None,
        "forms": downloads.form_links(dossier, detail.forms, handover_log=False),
        # dossier_detail already cut the applicant's view (results only once issued)
        "results": detail.results,
        "submitted_documents": detail.submitted_documents,
        "notifications": notifications_list(user=request.user, dossier=dossier, limit=20),
        "withdraw_form": extra.pop("withdraw_form", None) or WithdrawForm(initial={
            "expected_version": dossier.version}),
        **extra,
    }


@never_cache
@applicant_required
def dossier_page(request, code: str):
    try:
        context = _detail_context(request, code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    return render(request, "portal/dossiers/detail.html", context)


def _conflict_or_error(request, exc: DomainError) -> None:
    if isinstance(exc, Conflict):
        messages.error(request, f"{CONFLICT_TITLE} {exc.detail}")
    else:
        messages.error(request, exc.detail)


@require_POST
@applicant_required
def supplement_submit(request, code: str):
    """The applicant's answer to a supplement request: one file per requested item (and a spare)."""
    try:
        detail = dossier_detail(actor=request.user, code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    request_row = _open_supplement(detail)
    if request_row is None:
        messages.error(request, _("Hồ sơ không có yêu cầu bổ sung nào đang chờ."))
        return redirect("portal:dossier", code=code)
    documents, problems = [], []
    items = list(request_row.items) + [{"required_document": None, "name": request.POST.get("extra_name", "")}]
    for index, item in enumerate(items):
        upload = request.FILES.get(f"item-{index}")
        if not upload:
            continue
        try:
            stored = file_store(uploaded_by=request.user, upload=upload)
        except DomainError as exc:
            problems.append(exc.detail)
            continue
        name = item.get("name") or _("Giấy tờ bổ sung")
        documents.append({"required_document": item.get("required_document") or "", "name": name,
                          "file_ids": [str(stored.pk)]})
    if problems:
        for problem in problems:
            messages.error(request, problem)
        return redirect("portal:dossier", code=code)
    try:
        dossier = dossier_action_perform(actor=request.user, dossier=detail.dossier, action="submit_supplement", data={
            "documents": documents, "note": request.POST.get("note", ""),
            "expected_version": request.POST.get("expected_version")})
    except DomainError as exc:
        _conflict_or_error(request, exc)
    else:
        if getattr(dossier, "status", "") == Status.SUBMITTED:  # asked at reception: not received yet
            messages.success(request, _("Đã nộp bổ sung giấy tờ. Hồ sơ được chuyển lại cho Bộ phận Một cửa để "
                                        "xem xét tiếp nhận."))
        else:
            messages.success(request, _("Đã nộp bổ sung giấy tờ. Hồ sơ được chuyển lại cho cơ quan giải quyết."))
    return redirect("portal:dossier", code=code)


@require_POST
@applicant_required
def withdraw(request, code: str):
    try:
        dossier = dossier_get_for(actor=request.user, code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    form = WithdrawForm(request.POST)
    if form.is_valid():
        try:
            dossier_action_perform(actor=request.user, dossier=dossier, action="withdraw", data={
                "reason": form.cleaned_data["reason"], "expected_version": form.cleaned_data["expected_version"]})
        except DomainError as exc:
            _conflict_or_error(request, exc)
        else:
            messages.success(request, _("Đã rút hồ sơ."))
        return redirect("portal:dossier", code=code)
    context = _detail_context(request, code, withdraw_form=form)
    return render(request, "portal/dossiers/detail.html", context, status=422)


@require_POST
@applicant_required
def draft_delete(request, draft_id: int):
    try:
        dossier_draft_delete(actor=request.user, dossier=dossier_draft_get(actor=request.user, draft_id=draft_id))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Đã xóa bản nháp."))
    return redirect("portal:my_dossiers")


@applicant_required
def document_download(request, code: str, document_id: int):
    try:
        return downloads.document_response(actor=request.user, code=code, document_id=document_id)
    except NotFound as exc:
        return not_found(request, exc.detail)


@applicant_required
def result_download(request, code: str):
    try:
        return downloads.result_response(actor=request.user, code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)


@applicant_required
def form_pdf(request, code: str, slug: str):
    try:
        return downloads.form_pdf_response(actor=request.user, code=code, slug=slug)
    except NotFound as exc:
        return not_found(request, exc.detail)
