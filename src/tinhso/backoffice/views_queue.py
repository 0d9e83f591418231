"""The officer's work queue (issue #5 item 7): the ``work_queue`` selector's dossiers, most urgent
first, with overdue / at-risk marks in words and colour, a GET filter form, pagination, bulk
assignment for unit heads and leaders (``bulk_assign``) and the Excel export of the filtered list."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tinhso.backoffice.access import CONFLICT_TITLE, staff_required
from tinhso.backoffice.display import assignable_people
from tinhso.backoffice.excel import XLSX, work_queue_workbook
from tinhso.backoffice.forms import BulkAssignForm
from tinhso.core.errors import Conflict, DomainError
from tinhso.dossiers.selectors import MAX_PAGE_SIZE, visible_dossiers, work_queue, work_queue_steps
from tinhso.dossiers.services import bulk_assign
from tinhso.dossiers.status import Status
from tinhso.org.selectors import agencies_for
from tinhso.web.labels import STATUS_CONTEXT, choice_label

FILTERS = ("agency", "status", "flag", "procedure", "step", "q")
EXPORT_LIMIT = 5000
QUEUE_STATUSES = (Status.SUBMITTED, Status.RECEIVED, Status.PROCESSING, Status.SUPPLEMENT_REQUESTED,
                  Status.PAYMENT_REQUESTED, Status.RESOLVED)


def _filters(request) -> dict:
    values = {name: (request.GET.get(name) or "").strip()[:100] for name in FILTERS}
    if values["status"] not in QUEUE_STATUSES:
        values["status"] = ""
    if values["flag"] not in ("overdue", "at_risk"):
        values["flag"] = ""
    values["mine"] = request.GET.get("mine") == "1"
    return values


def _query(filters: dict) -> str:
    kept = {k: v for k, v in filters.items() if v and k != "mine"}
    if filters.get("mine"):
        kept["mine"] = "1"
    return urlencode(kept)


def _selector_args(filters: dict) -> dict:
    return {"agency": filters["agency"] or None, "status": filters["status"] or None,
            "flag": filters["flag"] or None, "procedure": filters["procedure"] or None, "q": filters["q"] or None,
            "step": filters["step"] or None, "mine": filters["mine"]}


@never_cache
@staff_required
def queue(request):
    filters = _filters(request)
    problem = ""
    try:
        page = work_queue(actor=request.user, page=request.GET.get("page") or 1, **_selector_args(filters))
    except DomainError as exc:  # an agency without a working calendar, a filter typed by hand
        page, problem = None, exc.detail
    people = assignable_people(actor=request.user)
    context = {
        "page": page, "problem": problem, "filters": filters, "query": _query(filters), "people": people,
        "agencies": list(agencies_for(user=request.user)),
        "statuses": [(s, choice_label(Status(s).label, STATUS_CONTEXT)) for s in QUEUE_STATUSES],
        "procedures": _procedures_in_scope(request.user),
        "steps": work_queue_steps(actor=request.user),
    }
    return render(request, "backoffice/work_queue.html", context)


def _procedures_in_scope(user) -> list[tuple[str, str]]:
    """Procedure codes and names of the dossiers the officer can see (the filter's choices)."""
    rows = (visible_dossiers(actor=user).filter(status__in=QUEUE_STATUSES)
            .values_list("procedure__code", "procedure_version__name").distinct().order_by("procedure__code"))
    seen: dict[str, str] = {}
    for code, name in rows[:300]:
        seen.setdefault(code, name)
    return list(seen.items())


@never_cache
@staff_required
def export(request):
    """The filtered queue as .xlsx, every page of it (up to ``EXPORT_LIMIT`` rows)."""
    filters = _filters(request)
    items, page_number = [], 1
    while len(items) < EXPORT_LIMIT:
        page = work_queue(actor=request.user, page=page_number, page_size=MAX_PAGE_SIZE, **_selector_args(filters))
        items += page.items
        if page_number >= page.pages:
            break
        page_number += 1
    response = HttpResponse(work_queue_workbook(items[:EXPORT_LIMIT]), content_type=XLSX)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="viec-can-lam-{stamp}.xlsx"'
    return response


@require_POST
@staff_required
def bulk(request):
    codes = request.POST.getlist("dossiers")
    people = assignable_people(actor=request.user)
    form = BulkAssignForm(request.POST, codes=codes, people=people)
    back = request.POST.get("back") or ""
    target = f"{_url()}?{back}" if back else _url()
    if not people:
        messages.error(request, _("Chỉ lãnh đạo đơn vị mới được phân công hàng loạt."))
        return redirect(target)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(target)
    dossiers = list(visible_dossiers(actor=request.user).filter(code__in=form.cleaned_data["dossiers"]))
    try:
        done = bulk_assign(actor=request.user, dossiers=dossiers, assignee=form.cleaned_data["assignee"])
    except DomainError as exc:
        messages.error(request, f"{CONFLICT_TITLE} {exc.detail}" if isinstance(exc, Conflict) else exc.detail)
    else:
        messages.success(request, _("Đã phân công %(n)d hồ sơ.") % {"n": len(done)})
    return redirect(target)


def _url() -> str:
    from django.urls import reverse

    return reverse("backoffice:work_queue")
