"""Forms of the citizen's dossier pages. Shape only: the dossier services validate the content."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ApplicantStepForm(forms.Form):
    """Step 1: the receiving agency (when several receive the procedure) and the contact details.

    The applicant's identity (name, identification number or tax code) is the account's and is
    shown, not edited: an account submits for itself only (``applicant_mismatch``).
    """

    agency = forms.ChoiceField(
        label=_("Nơi nộp hồ sơ (cơ quan tiếp nhận)"),
        help_text=_("Bạn có thể chọn bất kỳ nơi tiếp nhận nào trong tỉnh, không phụ thuộc nơi cư trú."),
        error_messages={"required": _("Vui lòng chọn cơ quan tiếp nhận hồ sơ."),
                        "invalid_choice": _("Cơ quan đã chọn không tiếp nhận thủ tục này.")},
    )
    phone = forms.CharField(
        label=_("Số điện thoại di động"), max_length=15,
        help_text=_("Để nhận thông báo và tra cứu hồ sơ. Dạng 0xxxxxxxxx."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"required": _("Vui lòng nhập số điện thoại di động.")},
    )
    email = forms.EmailField(label=_("Thư điện tử"), required=False,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                             error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})
    address = forms.CharField(label=_("Địa chỉ liên hệ"), max_length=300, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        if len(agencies) > 1:
            self.fields["agency"].choices = [("", _("— Chọn cơ quan tiếp nhận —"))] + [
                (a.code, a.name) for a in agencies]
        else:
            del self.fields["agency"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Lý do rút hồ sơ"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
                             error_messages={"required": _("Vui lòng ghi lý do rút hồ sơ.")})
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class TrackingForm(forms.Form):
    code = forms.CharField(label=_("Mã hồ sơ"), max_length=60,
                           help_text=_("In trên giấy tiếp nhận, ví dụ H44.01.01-260105-0001."),
                           widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
                           error_messages={"required": _("Vui lòng nhập mã hồ sơ.")})
    phone = forms.CharField(label=_("Số điện thoại của người nộp"), max_length=15,
                            help_text=_("Số điện thoại đã khai khi nộp hồ sơ."),
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
                            error_messages={"required": _("Vui lòng nhập số điện thoại.")})
