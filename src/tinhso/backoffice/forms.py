"""Forms of the staff pages: counter intake, and one small form per available action built from the
``ActionSpec`` that ``dossier_available_actions`` returns. Shape only; the services judge content."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tinhso.dossiers.models import ApplicantKind
from tinhso.dossiers.status import Channel
from tinhso.web.labels import choice_label

DATE_FORMATS = ["%d/%m/%Y"]
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]


class IntakeForm(forms.Form):
    """Counter or post intake (tiếp nhận trực tiếp): applicant, channel, note. E-form fields and the
    scans are posted alongside and handed to ``dossier_intake`` as they are."""

    agency = forms.ChoiceField(label=_("Cơ quan tiếp nhận"))
    channel = forms.ChoiceField(label=_("Hình thức nộp"), widget=forms.RadioSelect, initial=Channel.COUNTER,
                                choices=[(Channel.COUNTER, _("Trực tiếp tại Bộ phận Một cửa")),
                                         (Channel.POST, _("Qua dịch vụ bưu chính công ích"))])
    kind = forms.ChoiceField(label=_("Chủ hồ sơ là"), widget=forms.RadioSelect, initial=ApplicantKind.CITIZEN,
                             choices=[(value, _(label)) for value, label in ApplicantKind.choices])
    full_name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=200,
                                error_messages={"required": _("Vui lòng nhập họ tên chủ hồ sơ.")})
    id_number = forms.CharField(label=_("Số định danh cá nhân"), max_length=12, required=False,
                                help_text=_("12 chữ số; bắt buộc với công dân."),
                                widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    tax_code = forms.CharField(label=_("Mã số thuế"), max_length=14, required=False,
                               help_text=_("Bắt buộc với tổ chức, doanh nghiệp."),
                               widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    birth_date = forms.DateField(label=_("Ngày sinh"), required=False, input_formats=DATE_FORMATS,
                                 help_text=_("Dạng ngày/tháng/năm, ví dụ 12/03/1985."),
                                 widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy",
                                                                                  "inputmode": "numeric"}),
                                 error_messages={"invalid": _("Ngày sinh phải có dạng ngày/tháng/năm.")})
    phone = forms.CharField(label=_("Số điện thoại"), max_length=15,
                            widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}),
                            error_messages={"required": _("Vui lòng nhập số điện thoại của người nộp.")})
    email = forms.EmailField(label=_("Thư điện tử"), required=False,
                             error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]
        if len(agencies) == 1:
            self.fields["agency"].initial = agencies[0].code


def _field_for(spec, *, agencies=(), documents=()):
    label = choice_label(spec.label)  # the spec speaks Vietnamese (API); the page speaks the visitor's language
    required = spec.required
    if spec.type == "textarea":
        return forms.CharField(label=label, required=required, max_length=4000,
                               widget=forms.Textarea(attrs={"rows": 3}),
                               error_messages={"required": _("Vui lòng nhập “%(label)s”.") % {"label": label}})
    if spec.type == "datetime":
        return forms.DateTimeField(label=label, required=required, input_formats=DATETIME_FORMATS,
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"},
                                                              format="%Y-%m-%dT%H:%M"),
                                   error_messages={"required": _("Vui lòng chọn “%(label)s”.") % {"label": label},
                                                   "invalid": _("Thời điểm không hợp lệ.")})
    if spec.type == "boolean":
        return forms.BooleanField(label=label, required=False)
    if spec.type == "decimal":
        return forms.DecimalField(label=label, required=required, min_value=0, decimal_places=0,
                                  widget=forms.NumberInput(attrs={"step": "1000", "inputmode": "numeric"}))
    if spec.type in ("choice", "user") and spec.choices:
        return forms.ChoiceField(label=label, required=required,
                                 choices=[("", _("— Chọn —"))] + [(c["value"], choice_label(c["label"])) for c in spec.choices],
                                 error_messages={"required": _("Vui lòng chọn “%(label)s”.") % {"label": label}})
    if spec.type == "agency":
        return forms.ChoiceField(label=label, required=required,
                                 choices=[("", _("— Chọn cơ quan —"))] + [(a.code, a.name) for a in agencies])
    if spec.type == "file_ids":
        return forms.FileField(label=label, required=required,
                               help_text=_("Tệp PDF (bản ký số) hoặc ảnh JPG, PNG."),
                               error_messages={"required": _("Vui lòng chọn tệp kết quả.")})
    if spec.type == "supplement_items":
        return forms.MultipleChoiceField(label=label, required=False, widget=forms.CheckboxSelectMultiple,
                                         choices=[(d.code, d.name) for d in documents])
    return forms.CharField(label=label, required=required, max_length=500,
                           error_messages={"required": _("Vui lòng nhập “%(label)s”.") % {"label": label}})


class ActionForm(forms.Form):
    """The fields of one action; ``prefix`` = the action's name so several forms share one page."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, spec, agencies=(), documents=(), supplement_items=(), **kwargs):
        kwargs.setdefault("prefix", spec.name)
        super().__init__(*args, **kwargs)
        self.spec = spec
        self.supplement_items = list(supplement_items)
        self.multipart = False
        for field_spec in spec.fields:
            if field_spec.type == "documents":
                # On the applicant's behalf: one file per item of the open supplement request.
                for index, item in enumerate(self.supplement_items):
                    self.fields[f"item_{index}"] = forms.FileField(label=item.get("name") or _("Giấy tờ bổ sung"),
                                                                    required=False, help_text=item.get("reason", ""))
                self.multipart = True
                continue
            self.fields[field_spec.name] = _field_for(field_spec, agencies=agencies, documents=documents)
            if field_spec.type == "supplement_items":
                self.fields["other_items"] = forms.CharField(
                    label=_("Nội dung khác cần bổ sung (mỗi dòng một mục)"), required=False, max_length=4000,
                    widget=forms.Textarea(attrs={"rows": 2}))
            if field_spec.type == "file_ids":
                self.multipart = True

    def clean(self):
        data = super().clean()
        if any(f.type == "supplement_items" for f in self.spec.fields):
            if not data.get("items") and not (data.get("other_items") or "").strip():
                self.add_error("items", _("Vui lòng chọn hoặc ghi ít nhất một giấy tờ, nội dung cần bổ sung."))
        return data


class BulkAssignForm(forms.Form):
    dossiers = forms.MultipleChoiceField(label=_("Hồ sơ"), widget=forms.CheckboxSelectMultiple,
                                         error_messages={"required": _("Vui lòng đánh dấu ít nhất một hồ sơ.")})
    assignee = forms.ChoiceField(label=_("Phân công cho"),
                                 error_messages={"required": _("Vui lòng chọn cán bộ được phân công.")})

    def __init__(self, *args, codes, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["dossiers"].choices = [(c, c) for c in codes]
        self.fields["assignee"].choices = [("", _("— Chọn cán bộ —"))] + people


class RegisterPeriodForm(forms.Form):
    agency = forms.ChoiceField(label=_("Cơ quan"))
    date_from = forms.DateField(label=_("Từ ngày"), input_formats=DATE_FORMATS,
                                widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
                                error_messages={"required": _("Vui lòng nhập ngày bắt đầu."),
                                                "invalid": _("Ngày phải có dạng ngày/tháng/năm.")})
    date_to = forms.DateField(label=_("Đến ngày"), input_formats=DATE_FORMATS,
                              widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy"}),
                              error_messages={"required": _("Vui lòng nhập ngày kết thúc."),
                                              "invalid": _("Ngày phải có dạng ngày/tháng/năm.")})

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]


class PetitionIntakeForm(forms.Form):
    """Feedback taken by phone, by post or at the desk (``petition_intake``); the service validates."""

    channel = forms.ChoiceField(label=_("Kênh tiếp nhận"), widget=forms.RadioSelect, initial="hotline",
                                choices=[("hotline", _("Đường dây nóng")), ("post", _("Qua bưu chính")),
                                         ("in_person", _("Trực tiếp"))])
    sender_name = forms.CharField(label=_("Họ và tên người phản ánh"), max_length=200,
                                  error_messages={"required": _("Vui lòng nhập họ và tên.")})
    sender_phone = forms.CharField(label=_("Số điện thoại"), max_length=15, required=False,
                                   widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel"}))
    sender_email = forms.EmailField(label=_("Thư điện tử"), required=False,
                                    error_messages={"invalid": _("Địa chỉ thư điện tử không hợp lệ.")})
    sender_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Phản ánh, kiến nghị về"), widget=forms.RadioSelect,
                             choices=[("regulation", _("Về quy định, thủ tục hành chính")),
                                      ("conduct", _("Về hành vi, thái độ của cán bộ, công chức")),
                                      ("other", _("Khác"))])
    named_officer = forms.CharField(label=_("Tên đăng nhập cán bộ bị phản ánh (nếu có)"), max_length=150,
                                    required=False)
    subject = forms.CharField(label=_("Tiêu đề"), max_length=200,
                              error_messages={"required": _("Vui lòng nhập tiêu đề.")})
    content = forms.CharField(label=_("Nội dung"), max_length=10000, widget=forms.Textarea(attrs={"rows": 5}),
                              error_messages={"required": _("Vui lòng nhập nội dung phản ánh, kiến nghị.")})
    commune_code = forms.CharField(label=_("Mã xã, phường nơi xảy ra sự việc (nếu có)"), max_length=10,
                                   required=False)
    procedure_code = forms.CharField(label=_("Mã thủ tục hành chính liên quan (nếu có)"), max_length=30,
                                     required=False)
    dossier_code = forms.CharField(label=_("Mã hồ sơ liên quan (nếu có)"), max_length=60, required=False)
    publish_consent = forms.BooleanField(label=_("Người phản ánh đồng ý công khai nội dung và trả lời"),
                                         required=False, initial=True)
