"""Applicants' sign-up (citizen or business) and the verification of their phone or e-mail by a
one-time code. Sign-in and sign-out are the accounts pages (``/tai-khoan/dang-nhap/``)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tinhso.accounts.services import business_register, citizen_register, user_contact_verify
from tinhso.core.errors import DomainError
from tinhso.portal.forms_account import (
    BusinessRegistrationForm,
    CitizenRegistrationForm,
    VerifyChannelForm,
    VerifyCodeForm,
)
from tinhso.portal.verification import PURPOSE, verification_destination
from tinhso.web.errors import attach, summary_of

BACKEND = "django.contrib.auth.backends.ModelBackend"
SESSION_CHANNEL = "portal_verify_channel"

CITIZEN_FIELDS = {"invalid_id_number": "id_number", "id_number_taken": "id_number", "weak_password": "password",
                  "invalid_phone": "phone", "invalid_email": "email", "invalid_birth_date": "birth_date"}
BUSINESS_FIELDS = {"invalid_tax_code": "tax_code", "tax_code_taken": "tax_code", "weak_password": "password",
                   "invalid_phone": "phone", "invalid_email": "email"}


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        return target
    return default


@never_cache
def register(request):
    if request.user.is_authenticated:
        return redirect("portal:my_dossiers" if request.user.is_applicant else "portal:home")
    business = request.GET.get("loai") == "doanh-nghiep"
    form_class = BusinessRegistrationForm if business else CitizenRegistrationForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if business:
                user = business_register(tax_code=data["tax_code"], name=data["name"], password=data["password"],
                                         phone=data["phone"], email=data["email"], address=data["address"])
            else:
                user = citizen_register(id_number=data["id_number"], full_name=data["full_name"],
                                        birth_date=data["birth_date"], gender=data["gender"],
                                        password=data["password"], phone=data["phone"], email=data["email"])
        except DomainError as exc:
            attach(form, exc, BUSINESS_FIELDS if business else CITIZEN_FIELDS)
        else:
            auth_login(request, user, backend=BACKEND)
            messages.success(request, _("Đã tạo tài khoản. Tên đăng nhập của bạn là %(username)s.")
                             % {"username": user.username})
            return redirect(_verify_url(_safe_next(request, "")))
    context = {"form": form, "business": business, "errors": summary_of(form),
               "next": _safe_next(request, "")}
    return render(request, "portal/account/register.html", context, status=422 if form.errors else 200)


def _verify_url(next_url: str = "") -> str:
    url = reverse("portal:verify")
    return f"{url}?{urlencode({'next': next_url})}" if next_url else url


def _otp():
    """The one-time-code service of ``notifications`` (imported late: that part may be absent)."""
    try:
        from tinhso.notifications.otp import otp_issue, otp_verify
    except ImportError:
        return None, None
    return otp_issue, otp_verify


@never_cache
@login_required
def verify(request):
    """Step 1: choose SMS or e-mail and get a code; step 2: type the code. Plain forms, no script."""
    user = request.user
    if not user.is_applicant:
        return redirect("portal:home")
    done_url = _safe_next(request, "") or _after_verify_default()
    otp_issue, otp_verify = _otp()
    channel = request.session.get(SESSION_CHANNEL, "")
    channel_form = VerifyChannelForm(request.POST if request.POST.get("step") == "send" else None, user=user)
    code_form = VerifyCodeForm(request.POST if request.POST.get("step") == "verify" else None)
    unavailable = otp_issue is None
    if request.method == "POST" and not unavailable:
        if request.POST.get("step") == "send" and channel_form.is_valid():
            channel = channel_form.cleaned_data["channel"]
            try:
                otp_issue(purpose=PURPOSE, destination=verification_destination(user=user, channel=channel),
                          channel=channel)
            except DomainError as exc:
                channel_form.add_error("channel", exc.detail)
            else:
                request.session[SESSION_CHANNEL] = channel
                messages.info(request, _("Đã gửi mã xác minh. Vui lòng kiểm tra tin nhắn hoặc hộp thư."))
                return redirect(_verify_url(done_url))
        elif request.POST.get("step") == "verify" and channel and code_form.is_valid():
            try:
                ok = otp_verify(purpose=PURPOSE, destination=verification_destination(user=user, channel=channel),
                                code=code_form.cleaned_data["code"])
            except DomainError as exc:
                code_form.add_error("code", exc.detail)
            else:
                if ok is False:
                    code_form.add_error("code", _("Mã xác minh không đúng hoặc đã hết hạn."))
                else:
                    user_contact_verify(user=user, channel=channel)
                    request.session.pop(SESSION_CHANNEL, None)
                    what = _("số điện thoại") if channel == "sms" else _("thư điện tử")
                    messages.success(request, _("Đã xác minh %(what)s.") % {"what": what})
                    return redirect(done_url)
    bound = channel_form if channel_form.is_bound else code_form
    context = {
        "channel_form": channel_form, "code_form": code_form, "channel": channel, "unavailable": unavailable,
        "errors": summary_of(bound), "next": done_url,
        "destination": verification_destination(user=user, channel=channel) if channel else "",
    }
    return render(request, "portal/account/verify.html", context,
                  status=503 if unavailable else (422 if bound.errors else 200))


def _after_verify_default() -> str:
    return reverse("portal:my_dossiers")
