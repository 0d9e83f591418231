"""Sổ theo dõi hồ sơ (Mẫu 06 of 2018 / 07 of 2025) for a period: on screen, in Excel, and as PDF when
the printing package provides its rendering. Rows come from ``dossiers.selectors.dossier_register``, which
checks the officer's role and logs the read of personal data."""

from __future__ import annotations

from datetime import date

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tinhso.backoffice.access import forbidden, staff_required
from tinhso.backoffice.excel import XLSX
from tinhso.backoffice.forms import RegisterPeriodForm
from tinhso.core.errors import DomainError
from tinhso.dossiers.printing.register import register_pdf, register_xlsx
from tinhso.dossiers.selectors import REGISTER_ROLES, dossier_register
from tinhso.org.selectors import agencies_for
from tinhso.web.errors import summary_of


@never_cache
@staff_required
def register(request):
    agencies = list(agencies_for(user=request.user, role=REGISTER_ROLES))
    if not agencies:
        return forbidden(request, _("Bạn không có quyền xem sổ theo dõi hồ sơ."))
    today = timezone.localdate()
    initial = {"agency": agencies[0].code, "date_from": date(today.year, today.month, 1), "date_to": today}
    form = RegisterPeriodForm(request.GET or None, agencies=agencies, initial=initial)
    rows, agency, period, status = None, None, None, 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        agency = next(a for a in agencies if a.code == data["agency"])
        period = (data["date_from"], data["date_to"])
        try:
            rows = dossier_register(actor=request.user, agency=agency, period=period)
        except DomainError as exc:
            form.add_error("date_to" if exc.code == "invalid_period" else None, exc.detail)
            rows = None
        kind = request.GET.get("format")
        if rows is not None and kind in ("xlsx", "pdf"):
            # The printing package lays the register out (Mẫu 06/07) from the same selector.
            layout = register_xlsx if kind == "xlsx" else register_pdf
            try:
                content = layout(actor=request.user, agency=agency, first=period[0], last=period[1])
            except DomainError as exc:  # a period longer than a register may cover
                form.add_error("date_to", exc.detail)
                content = None
        if rows is not None and kind in ("xlsx", "pdf") and content is not None:
            response = HttpResponse(content, content_type=XLSX if kind == "xlsx" else "application/pdf")
            disposition = "attachment" if kind == "xlsx" else "inline"
            response["Content-Disposition"] = (f'{disposition}; filename="so-theo-doi-{agency.code}-'
                                               f'{period[0]:%Y%m%d}-{period[1]:%Y%m%d}.{kind}"')
            return response
    if form.errors:
        status = 422
    context = {"form": form, "rows": rows, "agency": agency, "period": period, "errors": summary_of(form),
               "query": request.GET.urlencode()}
    return render(request, "backoffice/register.html", context, status=status)
