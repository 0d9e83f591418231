"""Forms of the login pages: Vietnamese messages that say what to do, not Django's defaults."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tinhso.core.ratelimit import rate_limit_count, rate_limit_hit, request_client_ip


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _(
            "Tên đăng nhập hoặc mật khẩu không đúng. Lưu ý: mật khẩu phân biệt chữ hoa và chữ thường."
        ),
        "inactive": _("Tài khoản này đã bị khóa. Vui lòng liên hệ quản trị viên của đơn vị."),
        "too_many_attempts": _(
            "Đăng nhập sai quá nhiều lần. Vì an toàn cho tài khoản, vui lòng thử lại sau %(minutes)s phút."
        ),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("Tên đăng nhập")
        self.fields["username"].error_messages["required"] = _("Vui lòng nhập tên đăng nhập.")
        self.fields["password"].label = _("Mật khẩu")
        self.fields["password"].error_messages["required"] = _("Vui lòng nhập mật khẩu.")

    def clean(self):
        """Password guessing is slowed per account and per client address: after too many failures in
        the window (``TINHSO_LOGIN_MAX_FAILURES`` per account, ``…_PER_IP`` per address), every try is
        refused — even a right password — until the window ends. Only failures are counted."""
        window = settings.TINHSO_LOGIN_WINDOW_SECONDS
        subjects = (
            ("login-account", (self.data.get("username") or "").strip().lower(), settings.TINHSO_LOGIN_MAX_FAILURES),
            ("login-ip", request_client_ip(self.request) if self.request else "unknown",
             settings.TINHSO_LOGIN_MAX_FAILURES_PER_IP),
        )
        for scope, subject, limit in subjects:
            if limit > 0 and rate_limit_count(scope=scope, subject=subject, window=window) >= limit:
                raise ValidationError(self.error_messages["too_many_attempts"], code="too_many_attempts",
                                      params={"minutes": max(1, window // 60)})
        try:
            return super().clean()
        except ValidationError:
            for scope, subject, limit in subjects:
                rate_limit_hit(scope=scope, subject=subject, limit=limit, window=window)
            raise


class TotpCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=20,
        error_messages={"required": _("Vui lòng nhập mã xác thực.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True, "spellcheck": "false"}
        ),
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())
