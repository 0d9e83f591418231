"""Staff pages of the feedback (phản ánh, kiến nghị — issue #13): the queue of the officer's agencies
(sender masked) and one petition with its history and one form per action that
``petitions.actions.registry`` offers. Opening a petition that shows the sender is an audited read
(``petition_detail``). Thin: every rule lives in ``tinhso.petitions``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tinhso.backoffice.access import not_found, staff_required
from tinhso.backoffice.forms import ActionForm, PetitionIntakeForm
from tinhso.core.errors import Conflict, DomainError, NotFound
from tinhso.org.models import Agency
from tinhso.petitions import selectors
from tinhso.petitions.actions import petition_action_perform
from tinhso.petitions.services import PetitionDraft, petition_intake
from tinhso.petitions.status import Status
from tinhso.web.errors import attach, summary_of
from tinhso.web.labels import choice_label

STATUS_FILTERS = [("", gettext_noop("Đang xử lý (mọi trạng thái)")), *((s.value, s.label) for s in Status)]


@never_cache
@staff_required
def queue(request):
    status = request.GET.get("status") or ""
    flag = "overdue" if request.GET.get("flag") == "overdue" else None
    q = (request.GET.get("q") or "").strip()
    try:
        page_number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page_number = 1
    page = selectors.petition_queue(actor=request.user, status=status or None, flag=flag, q=q or None,
                                    mine=request.GET.get("mine") == "1", page=page_number)
    thresholds: dict = {}
    rows = [{"p": p, "flags": selectors.flags(p, thresholds=thresholds), "sender": selectors.mask_name(p.sender_name)}
            for p in page.items]
    return render(request, "backoffice/petitions/queue.html", {
        "page": page, "rows": rows, "q": q, "status": status, "flag": flag or "",
        "statuses": [(value, choice_label(label)) for value, label in STATUS_FILTERS]})


def _forms(view, bound=None):
    agencies = Agency.objects.filter(is_active=True).exclude(pk=view.petition.agency_id).order_by("name")
    return [bound if bound is not None and bound.spec.name == spec.name else
            ActionForm(spec=spec, agencies=agencies, initial={"expected_version": view.petition.version})
            for spec in view.actions]


def _page(request, code: str, bound=None, status: int = 200):
    try:
        view = selectors.petition_detail(actor=request.user, code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    return render(request, "backoffice/petitions/page.html", {
        "view": view, "petition": view.petition, "flags": selectors.flags(view.petition),
        "forms": _forms(view, bound), "staff": view.context.staff_here}, status=status)


@never_cache
@staff_required
def petition_page(request, code: str):
    return _page(request, code)


def _data(form: ActionForm) -> dict:
    data = {}
    for spec in form.spec.fields:
        value = form.cleaned_data.get(spec.name)
        data[spec.name] = value if value is not None else ""
    return data


@require_POST
@staff_required
def petition_action(request, code: str, action: str):
    try:
        view = selectors.petition_detail(actor=request.user, code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    spec = next((s for s in view.actions if s.name == action), None)
    if spec is None:
        messages.error(request, _("Thao tác này không còn thực hiện được (phản ánh đã thay đổi)."))
        return redirect("backoffice:petition", code=view.petition.code)
    agencies = Agency.objects.filter(is_active=True).exclude(pk=view.petition.agency_id)
    form = ActionForm(request.POST, spec=spec, agencies=agencies)
    if not form.is_valid():
        return _page(request, code, bound=form, status=422)
    try:
        petition_action_perform(actor=request.user, petition=view.petition, name=action, data=_data(form),
                                expected_version=form.cleaned_data["expected_version"])
    except Conflict as exc:
        messages.error(request, exc.detail)
        return redirect("backoffice:petition", code=view.petition.code)
    except DomainError as exc:
        form.add_error(None, exc.detail)
        return _page(request, code, bound=form, status=exc.status)
    messages.success(request, _("Đã thực hiện: %(label)s.") % {"label": choice_label(spec.label)})
    try:
        selectors.petition_detail(actor=request.user, code=code)
    except NotFound:
        # transferred away: this officer's agency no longer holds it
        return redirect("backoffice:petition_queue")
    return redirect("backoffice:petition", code=view.petition.code)


INTAKE_FIELDS = {"text_markup_not_allowed": "content", "petition_text_required": "content",
                 "petition_text_too_long": "content", "petition_unknown_commune": "commune_code",
                 "petition_unknown_procedure": "procedure_code", "petition_unknown_dossier": "dossier_code",
                 "petition_unknown_assignee": "named_officer", "invalid_phone": "sender_phone",
                 "petition_invalid_channel": "channel", "petition_invalid_kind": "kind"}


@never_cache
@staff_required
def intake(request):
    """Feedback received by the hotline, by post or in person, entered by an officer with its channel."""
    form = PetitionIntakeForm(request.POST or None, initial={"publish_consent": True})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            draft = PetitionDraft(**{k: data[k] for k in (
                "kind", "subject", "content", "sender_name", "sender_phone", "sender_email", "sender_address",
                "commune_code", "procedure_code", "dossier_code", "named_officer", "publish_consent")})
            try:
                petition = petition_intake(actor=request.user, channel=data["channel"], draft=draft,
                                           uploads=request.FILES.getlist("files"))
            except DomainError as exc:
                if exc.code.startswith("file_"):
                    form.add_error(None, exc.detail)
                else:
                    attach(form, exc, INTAKE_FIELDS)
            else:
                messages.success(request, _("Đã nhập phản ánh %(code)s.") % {"code": petition.code})
                try:
                    selectors.petition_detail(actor=request.user, code=petition.code)
                except NotFound:
                    return redirect("backoffice:petition_queue")  # routed to another agency
                return redirect("backoffice:petition", code=petition.code)
        status = 422
    return render(request, "backoffice/petitions/intake.html", {"form": form, "errors": summary_of(form)},
                  status=status)
