"""Forms of the login pages: Vietnamese messages that say what to do, not Django's defaults."""

from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.throttle import login_attempt_begin, login_attempt_succeeded


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
        """Password guessing is slowed per account and per client address (``accounts.throttle``):
        past the limits of the window every try is refused — even with the right password — until
        the window ends."""
        username = self.data.get("username") or ""
        minutes = login_attempt_begin(self.request, username)
        if minutes:
            raise ValidationError(self.error_messages["too_many_attempts"], code="too_many_attempts",
                                  params={"minutes": minutes})
        cleaned = super().clean()
        login_attempt_succeeded(self.request, username)
        return cleaned


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
