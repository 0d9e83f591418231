"""Public tracking (tra cứu hồ sơ, issue #4 item 6): dossier code + the applicant's phone.

The form is posted (the phone number stays out of addresses and server logs); ``?ma=<code>``, the
address the QR code on the receipt points to, fills in the code. ``dossiers.tracking`` answers
without personal data and enforces the rate limit; a limit reached is shown politely (429).
"""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.cache import never_cache

from tinhso.core.errors import DomainError, NotFound, RateLimited
from tinhso.core.ratelimit import request_client_ip
from tinhso.dossiers.tracking import tracking_lookup
from tinhso.portal.forms_dossiers import TrackingForm
from tinhso.web.errors import attach, summary_of


@never_cache
def tracking(request):
    result, status, limited = None, 200, ""
    if request.method == "POST":
        form = TrackingForm(request.POST)
        if form.is_valid():
            try:
                result = tracking_lookup(code=form.cleaned_data["code"], phone=form.cleaned_data["phone"],
                                         client_ip=request_client_ip(request))
            except RateLimited as exc:
                limited, status = exc.detail, 429
            except NotFound as exc:
                form.add_error(None, exc.detail)
                status = 404
            except DomainError as exc:
                attach(form, exc, {"invalid_phone": "phone"})
        if form.errors and status == 200:
            status = 422
    else:
        form = TrackingForm(initial={"code": (request.GET.get("ma") or "").strip()[:60]})
    context = {"form": form, "result": result, "limited": limited, "errors": summary_of(form)}
    return render(request, "portal/tracking.html", context, status=status)
