"""Sign-up forms of applicants. They check the shape of the input only (required, lengths, the two
passwords equal); identity rules (the 12-digit number against birth date and gender, the tax-code
check digit, password strength, duplicates) are the accounts services' and come back as their errors."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tinhso.accounts.models import User

DATE_HINT = _("Dạng ngày/tháng/năm, ví dụ 12/03/1985.")


def _required_message(label) -> str:
    return gettext("Vui lòng nhập %(label)s.") % {"label": str(label).lower()}


# Formatted when shown, in the visitor's language (a ``%`` on a lazy string would format it once, at import).
_required_message_lazy = lazy(_required_message, str)


def _text(label, *, max_length=200, help_text="", autocomplete="", inputmode="", required=True):
    attrs = {}
    if autocomplete:
        attrs["autocomplete"] = autocomplete
    if inputmode:
        attrs["inputmode"] = inputmode
    return forms.CharField(label=label, max_length=max_length, help_text=help_text, required=required,
                           widget=forms.TextInput(attrs=attrs),
                           error_messages={"required": _required_message_lazy(label)})


class _Contact(forms.Form):
    phone = forms.CharField(
        label=_("Số điện thoại di động"), max_length=15,
        help_text=_("Dùng để nhận mã xác minh, thông báo và tra cứu hồ sơ. Dạng 0xxxxxxxxx."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Vui lòng nhập số điện thoại di động.")},
    )
    email = forms.EmailField(
        label=_("Thư điện tử"), required=False, help_text=_("Không bắt buộc."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")},
    )
    password = forms.CharField(
        label=_("Mật khẩu"), strip=False,
        help_text=_("Ít nhất 8 ký tự, không quá đơn giản, không trùng số định danh hay họ tên."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vui lòng đặt mật khẩu.")},
    )
    password2 = forms.CharField(
        label=_("Nhập lại mật khẩu"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={"required": _("Vui lòng nhập lại mật khẩu.")},
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("Hai mật khẩu không giống nhau."))
        return data


class CitizenRegistrationForm(_Contact):
    id_number = _text(_("Số định danh cá nhân"), max_length=12, inputmode="numeric", autocomplete="username",
                      help_text=_("12 chữ số trên thẻ căn cước; dùng làm tên đăng nhập."))
    full_name = _text(_("Họ, chữ đệm và tên"), autocomplete="name")
    birth_date = forms.DateField(
        label=_("Ngày sinh"), help_text=DATE_HINT, input_formats=["%d/%m/%Y"],
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"inputmode": "numeric", "autocomplete": "bday",
                                                          "placeholder": "dd/mm/yyyy"}),
        error_messages={"required": _("Vui lòng nhập ngày sinh."),
                        "invalid": _("Ngày sinh phải có dạng ngày/tháng/năm, ví dụ 12/03/1985.")},
    )
    gender = forms.ChoiceField(
        label=_("Giới tính"), choices=[(value, _(label)) for value, label in User.Gender.choices],
        widget=forms.RadioSelect,
        error_messages={"required": _("Vui lòng chọn giới tính.")},
    )
    field_order = ["id_number", "full_name", "birth_date", "gender", "phone", "email", "password", "password2"]


class BusinessRegistrationForm(_Contact):
    tax_code = _text(_("Mã số thuế"), max_length=14, inputmode="numeric", autocomplete="username",
                     help_text=_("10 chữ số (hoặc dạng 0100109106-001 với đơn vị phụ thuộc); dùng làm tên đăng nhập."))
    name = _text(_("Tên tổ chức, doanh nghiệp"), max_length=200, autocomplete="organization")
    address = _text(_("Địa chỉ trụ sở"), max_length=300, required=False, autocomplete="street-address")
    field_order = ["tax_code", "name", "address", "phone", "email", "password", "password2"]


class VerifyChannelForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Nhận mã xác minh qua"), widget=forms.RadioSelect,
        choices=[("sms", _("Tin nhắn SMS")), ("email", _("Thư điện tử"))],
        error_messages={"required": _("Vui lòng chọn cách nhận mã.")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if user.phone:
            choices.append(("sms", _("Tin nhắn SMS đến %(phone)s") % {"phone": user.phone}))
        if user.email:
            choices.append(("email", _("Thư điện tử đến %(email)s") % {"email": user.email}))
        self.fields["channel"].choices = choices
        if choices:
            self.fields["channel"].initial = choices[0][0]


class VerifyCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác minh"), max_length=10,
        help_text=_("Mã gồm các chữ số trong tin nhắn hoặc thư vừa gửi; có hiệu lực trong ít phút."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                      "spellcheck": "false"}),
        error_messages={"required": _("Vui lòng nhập mã xác minh.")},
    )

    def clean_code(self) -> str:
        return "".join(self.cleaned_data["code"].split())
