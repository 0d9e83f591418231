"""Public pages of the catalogue: search with filters, and one procedure (printable).

Filters are a plain GET form, so everything works without JavaScript. The e-form of a procedure
is shown as it will be filled in, and "Kiểm tra thông tin" validates it on the server without
saving anything (submission belongs to the one-stop shop).
"""

from __future__ import annotations

from pathlib import PurePosixPath
from urllib.parse import urlencode

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from tinhso.catalog import selectors
from tinhso.catalog.choices import AgencyRole, Channel, Level, OnlineLevel, Role, StepScope
from tinhso.catalog.eforms import eform_validate
from tinhso.core.errors import DomainError, NotFound, ValidationFailed
from tinhso.org.selectors import agency_list

FILTERS = ("sector", "level", "agency", "online_level")
RESULTS_PER_PAGE = 20


def procedure_search_view(request):
    q = (request.GET.get("q") or "").strip()[:200]
    filters = {name: (request.GET.get(name) or "").strip() for name in FILTERS}
    try:
        page_number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page_number = 1
    error = ""
    try:
        result = selectors.procedure_search(q=q, page=page_number, page_size=RESULTS_PER_PAGE, **filters)
    except DomainError as exc:  # an unknown filter value typed into the address bar
        error = exc.detail
        result = selectors.procedure_search(q=q, page=page_number, page_size=RESULTS_PER_PAGE)
    kept = {k: v for k, v in {"q": q, **filters}.items() if v}
    context = {
        "q": q,
        "filters": filters,
        "result": result,
        "error": error,
        "base_query": urlencode(kept),
        "has_criteria": bool(kept),
        "sectors": selectors.sector_list(),
        # Choice labels stay Vietnamese in the enums (API, forms); pages show them translated.
        "levels": [(value, _(label)) for value, label in Level.choices],
        "online_levels": [(value, _(label)) for value, label in OnlineLevel.choices],
        "agencies": agency_list(),
    }
    return render(request, "catalog/search.html", context)


def procedure_detail_view(request, code: str):
    try:
        version = selectors.procedure_detail(code=code)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    eform_data, eform_errors = None, []
    if request.method == "POST" and version.eform_schema:
        eform_data = request.POST
        try:
            eform_validate(version.eform_schema, request.POST)
            messages.success(request, _("Thông tin trên biểu mẫu hợp lệ. (Trang này chỉ kiểm tra, không nộp hồ sơ.)"))
        except ValidationFailed as exc:
            eform_errors = exc.errors
    links: dict[str, list] = {role: [] for role in AgencyRole.values}
    for link in version.agency_links.all():
        links[link.role].append(link.agency)
    context = {
        "version": version,
        "procedure": version.procedure,
        "documents_by_case": selectors.version_documents_by_case(version),
        "process": selectors.version_process(version),
        "competent_agencies": links[AgencyRole.COMPETENT],
        "receiving_agencies": links[AgencyRole.RECEIVING],
        "coordinating_agencies": links[AgencyRole.COORDINATING],
        "channels": [_(Channel(c).label) for c in version.submission_channels if c in Channel.values],
        "role_labels": {value: _(label) for value, label in Role.choices},
        "scope_labels": {value: _(label) for value, label in StepScope.choices},
        "eform_data": eform_data,
        "eform_errors": eform_errors,
        "dvcqg_url": version.source.get("dvcqg_url") or "",
    }
    status = 422 if eform_errors else 200
    return render(request, "catalog/detail.html", context, status=status)


def template_download_view(request, code: str, document_id: int):
    """A form template of the catalogue, as an attachment (never rendered by the browser)."""
    try:
        document = selectors.required_document_template(code=code, document_id=document_id)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    name = PurePosixPath(document.template_file.name).name
    return FileResponse(document.template_file.open("rb"), as_attachment=True, filename=name)
