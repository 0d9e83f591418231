"""Statistics pages for leaders and monitors (issue #14): the numbers of the period per agency and
sector with the dossiers behind each, and the QĐ 766 score with its drill-down group → indicator →
agency → dossiers, and its Excel export. Thin: every figure comes from ``tinhso.reports.selectors``."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tinhso.backoffice.access import forbidden, not_found, staff_required
from tinhso.backoffice.excel import XLSX
from tinhso.core.errors import DomainError, NotFound, PermissionDenied
from tinhso.reports import selectors
from tinhso.reports.access import agencies_in_scope, report_scope
from tinhso.reports.excel import score_workbook
from tinhso.reports.periods import period_from_query

PERIOD_KINDS = [("month", "Tháng"), ("quarter", "Quý"), ("year", "Năm"), ("custom", "Khoảng ngày")]


class Filters:
    """The period and agency of the request, the choices of the filter bar, and the query string that
    carries them to the next page."""

    def __init__(self, request):
        self.params = request.GET
        self.error = ""
        self.period = None
        self.agency = (request.GET.get("agency") or "").strip().upper()
        try:
            self.period = period_from_query(request.GET)
        except DomainError as exc:
            self.error = exc.detail
        self.scope = report_scope(request.user)
        self.agencies = list(agencies_in_scope(self.scope))

    def query(self, **extra) -> str:
        values = dict(self.period.query()) if self.period else {}
        if self.agency:
            values["agency"] = self.agency
        values.update({k: v for k, v in extra.items() if v not in (None, "")})
        return urlencode(values)

    def context(self) -> dict:
        return {
            "filters": self, "period": self.period, "kinds": PERIOD_KINDS, "quarters": range(1, 5),
            "months": range(1, 13), "agency_code": self.agency,
            "year_value": self.params.get("year") or (self.period.year if self.period else ""), "agencies": self.agencies,
            "whole_province": self.scope.whole_province, "query": self.query(),
        }


def _guard(view):
    """Refusals of the selectors become the staff error pages."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as exc:
            return forbidden(request, exc.detail)
        except NotFound as exc:
            return not_found(request, exc.detail)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return staff_required(never_cache(wrapped))


@_guard
def dashboard(request):
    """Received, resolved, on-time rate, online ratio, overdue: in total, per agency, per sector."""
    filters = Filters(request)
    figures = None
    if filters.period is not None:
        try:
            figures = selectors.dossier_figures(actor=request.user, period=filters.period,
                                                agency=filters.agency or None)
        except DomainError as exc:
            if isinstance(exc, PermissionDenied | NotFound):
                raise
            filters.error = exc.detail
    return render(request, "backoffice/reports/dashboard.html", {**filters.context(), "figures": figures},
                  status=422 if filters.error else 200)


@_guard
def figure_dossiers(request):
    """The dossiers behind one number of the dashboard."""
    filters = Filters(request)
    measure = request.GET.get("measure") or "received"
    sector = (request.GET.get("sector") or "").strip()
    page = None
    if filters.period is not None:
        try:
            page = selectors.figure_dossiers(actor=request.user, period=filters.period, measure=measure,
                                             agency=filters.agency or None, sector=sector or None,
                                             page=_page_number(request))
        except DomainError as exc:
            if isinstance(exc, PermissionDenied | NotFound):
                raise
            filters.error = exc.detail
    return render(request, "backoffice/reports/dossiers.html", {
        **filters.context(), "page": page, "measure": measure, "sector": sector,
        "measure_label": selectors.MEASURES.get(measure, ""),
        "page_query": filters.query(measure=measure, sector=sector),
    }, status=422 if filters.error else 200)


def _page_number(request) -> int:
    value = request.GET.get("page") or "1"
    return int(value) if value.isdigit() else 1


@_guard
def score(request):
    """The QĐ 766 score: total, groups, every indicator with its numerator, denominator and points."""
    filters = Filters(request)
    card = None
    if filters.period is not None:
        card = selectors.score_766(actor=request.user, period=filters.period, agency=filters.agency or None)
        if request.GET.get("format") == "xlsx":
            response = HttpResponse(score_workbook(card), content_type=XLSX)
            name = f"chi-so-766-{filters.agency or 'toan-bo'}-{filters.period.first:%Y%m%d}-{filters.period.last:%Y%m%d}"
            response["Content-Disposition"] = f'attachment; filename="{name.lower()}.xlsx"'
            return response
    return render(request, "backoffice/reports/score.html", {**filters.context(), "card": card},
                  status=422 if filters.error else 200)


@_guard
def indicator(request, number: int):
    """One indicator: its rule, its figure, per agency, and what loses points."""
    filters = Filters(request)
    item = selectors.indicator_get(number)
    figure = rows = losing = None
    if filters.period is not None:
        card = selectors.score_766(actor=request.user, period=filters.period, agency=filters.agency or None)
        figure = card.figure(item.number)
        if not filters.agency:
            rows = selectors.indicator_by_agency(actor=request.user, period=filters.period, number=item.number)
        losing = selectors.indicator_losing(actor=request.user, period=filters.period, number=item.number,
                                            agency=filters.agency or None, page=_page_number(request))
    base = filters.query()
    return render(request, "backoffice/reports/indicator.html", {
        **filters.context(), "item": item, "figure": figure, "rows": rows, "losing": losing,
        "period_query": urlencode(filters.period.query()) if filters.period else "", "page_query": base,
    }, status=422 if filters.error else 200)


__all__ = ["dashboard", "figure_dossiers", "indicator", "score", "_"]
