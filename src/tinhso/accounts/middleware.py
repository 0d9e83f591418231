"""Enforces two-factor authentication on every request (after ``AuthenticationMiddleware``).

* A session of an account with 2FA on that was not stamped by the code step is logged out, whatever
  path created it.
* With ``TINHSO_STAFF_2FA_REQUIRED`` on, staff without 2FA are sent to the enrolment page (and the
  API refuses their session) until they enrol.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from tinhso.accounts.twofactor import needs_second_factor, session_is_verified


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
        detail = "Tài khoản cán bộ phải bật xác thực hai bước trước khi sử dụng hệ thống."
        if request.path.startswith("/api/"):
            body = {
                "type": "urn:tinhso:error:totp_required",
                "title": "Không có quyền",
                "status": 403,
                "code": "totp_required",
                "detail": detail,
            }
            return JsonResponse(body, status=403, content_type="application/problem+json")
        return redirect("accounts:totp_setup")
