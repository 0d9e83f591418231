"""Public pages: the portal home and the agency directory (public data, no login)."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from tinhso.catalog.selectors import procedure_popular_list
from tinhso.core.errors import NotFound
from tinhso.org import selectors as org_selectors
from tinhso.org.models import Agency
from tinhso.petitions.selectors import petition_counters
from tinhso.portal.quicklinks import quick_links, search_target
from tinhso.web.labels import choice_label

AGENCIES_PER_PAGE = 50


def home(request):
    return render(
        request,
        "portal/home.html",
        {"quick_links": quick_links(), "search": search_target(), "popular_procedures": procedure_popular_list(limit=8)},
    )


def agency_list(request):
    q = request.GET.get("q", "").strip()[:200]
    level = request.GET.get("level", "")
    if level not in Agency.Level.values:
        level = ""
    agencies = org_selectors.agency_list(level=level or None, q=q)
    page = Paginator(agencies, AGENCIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "portal/agency_list.html",
        {"page": page, "q": q, "level": level,
         "levels": [(value, choice_label(label)) for value, label in Agency.Level.choices]},
    )


def agency_detail(request, code: str):
    try:
        agency = org_selectors.agency_get(code=code)
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    children = org_selectors.agency_list(parent=agency)
    departments = agency.departments.filter(is_active=True).order_by("code")
    return render(
        request, "portal/agency_detail.html", {"agency": agency, "children": children, "departments": departments,
                                               "petition_counters": petition_counters(agency=agency.code)}
    )
