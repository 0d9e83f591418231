"""Login with a second step for 2FA, and the page where staff switch 2FA on or off."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tinhso.accounts import twofactor
from tinhso.accounts.forms import LoginForm, TotpCodeForm
from tinhso.accounts.models import User
from tinhso.accounts.services import totp_disable, totp_enrol_begin, totp_enrol_confirm, totp_verify
from tinhso.accounts.throttle import login_attempt_begin, login_attempt_succeeded
from tinhso.core.errors import DomainError


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def get_default_redirect_url(self):
        user = getattr(self.request, "user", None)
        if user is not None and user.is_authenticated and user.kind == User.Kind.STAFF:
            return reverse("backoffice:dashboard")
        return super().get_default_redirect_url()

    def form_valid(self, form):
        user = form.get_user()
        if user.totp_enabled:
            # Password is right, but nobody is logged in until the code is checked.
            next_url = self.get_redirect_url() or (
                reverse("backoffice:dashboard") if user.kind == User.Kind.STAFF else "/"
            )
            twofactor.session_mark_pending(self.request, user=user, next_url=next_url)
            return redirect("accounts:totp_verify")
        return super().form_valid(form)


@never_cache
def totp_verify_view(request):
    pending = twofactor.session_pending(request)
    user = User.objects.filter(pk=pending["user"], is_active=True).first() if pending else None
    if user is None:
        messages.error(request, _("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."))
        return redirect("accounts:login")
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        # Wrong codes count against the account like wrong passwords: logging in again with the
        # password must not buy five new guesses each time.
        minutes = login_attempt_begin(request, user.get_username())
        if minutes:
            request.session.pop(twofactor.PENDING_KEY, None)
            messages.error(request, LoginForm.error_messages["too_many_attempts"] % {"minutes": minutes})
            return redirect("accounts:login")
        if totp_verify(user=user, code=form.cleaned_data["code"]):
            login_attempt_succeeded(request, user.get_username())
            request.session.pop(twofactor.PENDING_KEY, None)
            auth_login(request, user, backend=pending["backend"])
            twofactor.session_mark_verified(request)
            return redirect(pending["next"])
        pending["attempts"] += 1
        if pending["attempts"] >= twofactor.MAX_ATTEMPTS:
            request.session.pop(twofactor.PENDING_KEY, None)
            messages.error(request, _("Nhập sai mã xác thực quá nhiều lần. Vui lòng đăng nhập lại."))
            return redirect("accounts:login")
        request.session[twofactor.PENDING_KEY] = pending
        form.add_error(
            "code",
            _("Mã xác thực không đúng hoặc đã được dùng. Còn %(n)d lần thử.")
            % {"n": twofactor.MAX_ATTEMPTS - pending["attempts"]},
        )
    return render(request, "accounts/totp_verify.html", {"form": form, "pending_name": user.display_name})


def _require_staff(user) -> None:
    if not twofactor.needs_second_factor(user):
        raise PermissionDenied


def _qr_svg(uri: str) -> str:
    # Inline SVG: no image request, no CDN, readable by phone cameras at scale 5.
    return segno.make(uri, error="m").svg_inline(scale=5, title=_("Mã QR để quét bằng ứng dụng xác thực"))


@never_cache
@login_required
def totp_setup_view(request):
    _require_staff(request.user)
    if request.user.totp_enabled:
        return render(request, "accounts/totp_status.html", {"form": TotpCodeForm()})
    form = TotpCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = totp_enrol_confirm(user=request.user, code=form.cleaned_data["code"])
        except DomainError as exc:
            form.add_error("code", exc.detail)
        else:
            # This session proved the code: keep it logged in; other sessions of the account end.
            twofactor.session_mark_verified(request)
            messages.success(request, _("Đã bật xác thực hai bước."))
            return render(request, "accounts/totp_recovery.html", {"codes": codes})
    enrolment = totp_enrol_begin(user=request.user)
    secret_groups = " ".join(enrolment.secret[i : i + 4] for i in range(0, len(enrolment.secret), 4))
    return render(
        request,
        "accounts/totp_setup.html",
        {"form": form, "secret": secret_groups, "qr_svg": mark_safe(_qr_svg(enrolment.uri))},  # noqa: S308 - segno output
    )


@never_cache
@login_required
@require_POST
def totp_disable_view(request):
    _require_staff(request.user)
    form = TotpCodeForm(request.POST)
    if form.is_valid() and totp_verify(user=request.user, code=form.cleaned_data["code"]):
        totp_disable(actor=request.user, user=request.user)
        messages.success(request, _("Đã tắt xác thực hai bước."))
        return redirect("accounts:totp_setup")
    messages.error(request, _("Mã xác thực không đúng; xác thực hai bước vẫn đang bật."))
    return redirect("accounts:totp_setup")
