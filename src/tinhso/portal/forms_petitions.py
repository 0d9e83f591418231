"""Forms of the feedback (phản ánh, kiến nghị) and rating pages. Shape only: the petition and rating
services validate the content (markup, lengths, the one-time code, files) with their coded errors."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.petitions.status import Kind

KIND_CHOICES = [
    (Kind.REGULATION.value, _("Về quy định, thủ tục hành chính")),
    (Kind.CONDUCT.value, _("Về hành vi, thái độ của cán bộ, công chức")),
    (Kind.OTHER.value, _("Khác")),
]

DATES = ["%d/%m/%Y", "%Y-%m-%d"]  # dd/mm/yyyy on the page; ISO from links and the API
_PHONE_WIDGET = forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"})


class OtpRequestForm(forms.Form):
    phone = forms.CharField(label=_("Số điện thoại di động"), max_length=15, widget=_PHONE_WIDGET,
                            help_text=_("Chúng tôi gửi mã xác thực 6 chữ số tới số này; kết quả xử lý cũng gửi về đây."),
                            error_messages={"required": _("Vui lòng nhập số điện thoại di động.")})


class PetitionForm(forms.Form):
    """The feedback itself; ``anonymous`` adds the sender's name, phone and the one-time code."""

    sender_name = forms.CharField(label=_("Họ và tên"), max_length=200,
                                  widget=forms.TextInput(attrs={"autocomplete": "name"}),
                                  error_messages={"required": _("Vui lòng nhập họ và tên.")})
    sender_phone = forms.CharField(label=_("Số điện thoại di động"), max_length=15, widget=_PHONE_WIDGET,
                                   error_messages={"required": _("Vui lòng nhập số điện thoại di động.")})
    otp_code = forms.CharField(label=_("Mã xác thực"), max_length=6,
                               help_text=_("6 chữ số trong tin nhắn vừa gửi tới điện thoại của Ông/Bà."),
                               widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
                               error_messages={"required": _("Vui lòng nhập mã xác thực.")})
    sender_email = forms.EmailField(label=_("Thư điện tử"), required=False,
                                    widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                                    error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})
    kind = forms.ChoiceField(label=_("Phản ánh, kiến nghị về"), choices=KIND_CHOICES, widget=forms.RadioSelect,
                             error_messages={"required": _("Vui lòng chọn nội dung phản ánh, kiến nghị về việc gì.")})
    subject = forms.CharField(label=_("Tiêu đề"), max_length=200,
                              error_messages={"required": _("Vui lòng nhập tiêu đề.")})
    content = forms.CharField(label=_("Nội dung"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6}),
                              help_text=_("Mô tả sự việc: ở đâu, khi nào, như thế nào. Không dùng thẻ HTML."),
                              error_messages={"required": _("Vui lòng nhập nội dung phản ánh, kiến nghị.")})
    commune_code = forms.ChoiceField(label=_("Nơi xảy ra sự việc (xã, phường)"), required=False)
    procedure_code = forms.CharField(label=_("Mã thủ tục hành chính liên quan (nếu có)"), max_length=30,
                                     required=False, help_text=_("Ví dụ 1.001193."))
    dossier_code = forms.CharField(label=_("Mã hồ sơ liên quan (nếu có)"), max_length=60, required=False)
    publish_consent = forms.BooleanField(label=_("Tôi đồng ý công khai nội dung phản ánh và trả lời "
                                                 "(không công khai họ tên, số điện thoại)"),
                                         required=False, initial=True)

    def __init__(self, *args, anonymous: bool, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.anonymous = anonymous
        if not anonymous:
            for name in ("sender_name", "sender_phone", "otp_code", "sender_email"):
                del self.fields[name]
        self.fields["commune_code"].choices = [("", _("— Không xác định —"))] + [(u.code, u.name) for u in communes]


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Mã phản ánh"), max_length=30,
                           help_text=_("Mã đã gửi tới Ông/Bà khi gửi phản ánh, ví dụ PAKN-260105-0001."),
                           widget=forms.TextInput(attrs={"spellcheck": "false", "autocapitalize": "characters"}),
                           error_messages={"required": _("Vui lòng nhập mã phản ánh.")})
    phone = forms.CharField(label=_("Số điện thoại đã khai khi gửi"), max_length=15, widget=_PHONE_WIDGET,
                            error_messages={"required": _("Vui lòng nhập số điện thoại.")})


class PublicFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200,
                        help_text=_("Gõ có dấu hoặc không dấu."),
                        widget=forms.TextInput(attrs={"type": "search"}))
    agency = forms.ChoiceField(label=_("Cơ quan trả lời"), required=False)
    sector = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    date_from = forms.DateField(label=_("Công khai từ ngày"), required=False, input_formats=DATES,
                                widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
                                error_messages={"invalid": _("Ngày không hợp lệ.")})
    date_to = forms.DateField(label=_("đến ngày"), required=False, input_formats=DATES,
                              widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
                              error_messages={"invalid": _("Ngày không hợp lệ.")})

    def __init__(self, *args, agencies, sectors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [("", _("— Tất cả —"))] + [(a.code, a.name) for a in agencies]
        self.fields["sector"].choices = [("", _("— Tất cả —"))] + [(s.code, s.name) for s in sectors]


class RatingForm(forms.Form):
    """One radio group per criterion of the questionnaire, then an optional comment."""

    comment = forms.CharField(label=_("Góp ý thêm (không bắt buộc)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for number, criterion in enumerate(self.criteria, 1):
            self.fields[f"c_{criterion.code}"] = forms.ChoiceField(
                label=criterion.text, choices=levels, widget=forms.RadioSelect,
                error_messages={"required": _("Vui lòng chọn một mức cho tiêu chí %(n)s.") % {"n": number}})
        self.order_fields([f"c_{c.code}" for c in self.criteria] + ["comment"])

    def criterion_fields(self):
        return [self[f"c_{c.code}"] for c in self.criteria]

    def answers(self) -> dict[str, str]:
        return {c.code: self.cleaned_data[f"c_{c.code}"] for c in self.criteria}
