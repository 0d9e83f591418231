"""Enforces two-factor authentication on every request (after ``AuthenticationMiddleware``).

* A session of an account with 2FA on that was not stamped by the code step is logged out, whatever
  path created it.
* With ``TINHSO_STAFF_2FA_REQUIRED`` on, staff without 2FA are sent to the enrolment page, told why
  in the page's language, and the API refuses their session (in Vietnamese, as every API problem
  detail) until they enrol.

It runs after ``MessageMiddleware``, which the notice on the enrolment page needs.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from tinhso.accounts.twofactor import needs_second_factor, session_is_verified

ENROLMENT_REQUIRED = gettext_noop("Tài khoản cán bộ phải bật xác thực hai bước trước khi sử dụng hệ thống.")


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            if user.totp_enabled and not session_is_verified(request):
                logout(request)
            elif (
                getattr(settings, "TINHSO_STAFF_2FA_REQUIRED", False)
                and not user.totp_enabled
                and needs_second_factor(user)
                and not self._exempt(request.path)
            ):
                return self._enrolment_required(request)
        return self.get_response(request)

    @staticmethod
    def _exempt(path: str) -> bool:
        allowed = (
            reverse("accounts:totp_setup"),
            reverse("accounts:logout"),
            reverse("set_language"),
            settings.STATIC_URL,
        )
        return any(path.startswith(prefix) for prefix in allowed)

    @staticmethod
    def _enrolment_required(request):
        if request.path.startswith("/api/"):
            body = {
                "type": "urn:tinhso:error:totp_required",
                "title": "Không có quyền",
                "status": 403,
                "code": "totp_required",
                "detail": ENROLMENT_REQUIRED,  # the API speaks Vietnamese (docs/i18n.md)
            }
            return JsonResponse(body, status=403, content_type="application/problem+json")
        if request.method == "GET" and "html" in request.headers.get("Accept", "text/html"):
            # Only for a page the officer opened: an image or a script that was refused would
            # leave the same notice queued for the next page again.
            messages.warning(request, gettext(ENROLMENT_REQUIRED))
        return redirect("accounts:totp_setup")
