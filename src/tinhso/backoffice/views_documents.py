"""Staff pages of the document office (issue #11 §8): the inbox, my tasks, drafts awaiting my review or
signature, the clerk's desk, drafting, registering, the document page with its timeline and the
actions the registry offers, and the registers. Thin: every rule lives in ``tinhso.documents``."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tinhso.backoffice.access import not_found, staff_required
from tinhso.backoffice.forms import ActionForm
from tinhso.core.errors import Conflict, DomainError, NotFound
from tinhso.core.files import file_open, file_store
from tinhso.documents import registers, selectors, shapes
from tinhso.documents.access import actor_load
from tinhso.documents.actions import incoming_actions, incoming_perform, outgoing_actions, outgoing_perform
from tinhso.documents.kinds import Confidentiality, DocumentType, SigningAuthority, Urgency
from tinhso.documents.models import IncomingDocument, OutgoingDocument
from tinhso.documents.services import incoming_register, outgoing_create
from tinhso.exchange.selectors import recipient_progress
from tinhso.org.models import Agency, Membership

DATE = ["%d/%m/%Y", "%Y-%m-%d"]
TABS = [("den", "Văn bản đến"), ("viec", "Việc của tôi"), ("cho-duyet", "Chờ tôi duyệt, ký"),
        ("van-thu", "Bàn văn thư"), ("di", "Văn bản đi")]


def _load(user, ref):
    parsed = shapes.parse_ref(ref)
    if parsed is None:
        raise NotFound(_("Không tìm thấy văn bản."))
    model, pk = parsed
    return (selectors.outgoing_get if model is OutgoingDocument else selectors.incoming_get)(actor=user, pk=pk)


@never_cache
@staff_required
def documents_home(request):
    who = actor_load(request.user)
    tab = request.GET.get("tab") or "den"
    q = (request.GET.get("q") or "").strip()
    if tab == "viec":
        rows = selectors.incoming_list(actor=who, q=q, mine=True)
    elif tab == "cho-duyet":
        rows = selectors.outgoing_list(actor=who, q=q, awaiting_me=True)
    elif tab == "van-thu":
        rows = selectors.clerk_desk(actor=who)["to_issue"]
    elif tab == "di":
        rows = selectors.outgoing_list(actor=who, q=q)
    else:
        tab, rows = "den", selectors.incoming_list(actor=who, q=q)
    items = [shapes.summary(d) for d in rows[:50]]
    is_clerk = any("clerk" in roles for roles in who.roles.values())
    return render(request, "backoffice/documents/list.html", {
        "tabs": TABS, "tab": tab, "items": items, "q": q, "is_clerk": is_clerk,
        "tab_label": dict(TABS)[tab]})


def _forms(document, user, bound=None):
    registry = outgoing_actions if isinstance(document, OutgoingDocument) else incoming_actions
    specs = registry.available(registry.context(user, document))
    return [bound if bound is not None and bound.spec.name == s.name else
            ActionForm(spec=s, initial={"expected_version": document.version}) for s in specs]


def _page(request, ref, bound=None, status=200):
    try:
        document = _load(request.user, ref)
    except NotFound as exc:
        return not_found(request, exc.detail)
    detail = shapes.detail(document, actor=request.user)
    outgoing = isinstance(document, OutgoingDocument)
    return render(request, "backoffice/documents/page.html", {
        "doc": document, "detail": detail, "forms": _forms(document, request.user, bound), "outgoing": outgoing,
        "exchange": recipient_progress(document=document) if outgoing else []}, status=status)


@never_cache
@staff_required
def document_page(request, ref: str):
    return _page(request, ref)


def _data(form: ActionForm) -> dict:
    data = {"expected_version": form.cleaned_data["expected_version"]}
    for spec in form.spec.fields:
        value = form.cleaned_data.get(spec.name)
        if spec.type == "list":
            value = [v.strip() for v in (value or "").replace(";", ",").split(",") if v.strip()]
        elif value in ("", None):
            value = None if spec.type in ("integer", "outgoing") else ""
        data[spec.name] = value
    return data


@require_POST
@staff_required
def document_action(request, ref: str, action: str):
    try:
        document = _load(request.user, ref)
    except NotFound as exc:
        return not_found(request, exc.detail)
    registry = outgoing_actions if isinstance(document, OutgoingDocument) else incoming_actions
    spec = next((s for s in registry.available(registry.context(request.user, document)) if s.name == action), None)
    if spec is None:
        messages.error(request, _("Thao tác này không còn thực hiện được (văn bản đã thay đổi)."))
        return redirect("backoffice:document", ref=ref)
    form = ActionForm(request.POST, spec=spec)
    if not form.is_valid():
        return _page(request, ref, bound=form, status=422)
    perform = outgoing_perform if isinstance(document, OutgoingDocument) else incoming_perform
    data = _data(form)
    try:
        result = perform(actor=request.user, document=document, name=action, data=data,
                         expected_version=data["expected_version"])
    except Conflict as exc:
        messages.error(request, exc.detail)
        return redirect("backoffice:document", ref=ref)
    except DomainError as exc:
        form.add_error(None, exc.detail)
        return _page(request, ref, bound=form, status=exc.status)
    messages.success(request, _("Đã thực hiện: %(label)s.") % {"label": spec.label})
    return redirect("backoffice:document", ref=getattr(result, "ref", ref))


@staff_required
def document_pdf(request, ref: str):
    try:
        document = _load(request.user, ref)
    except NotFound as exc:
        return not_found(request, exc.detail)
    stored = document.signed_file if isinstance(document, OutgoingDocument) else document.file
    if stored is not None:
        return HttpResponse(file_open(stored_file=stored).read(), content_type="application/pdf")
    if isinstance(document, IncomingDocument):
        return not_found(request, _("Văn bản chỉ được đăng ký thông tin, không có tệp."))
    from tinhso.documents.rendering import document_render

    return HttpResponse(document_render(document), content_type="application/pdf")


def _choices(enum):
    return [(value, label) for value, label in enum.choices]


class DraftForm(forms.Form):
    agency = forms.ChoiceField(label="Cơ quan ban hành")
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=_choices(DocumentType), initial=DocumentType.CONG_VAN)
    subject = forms.CharField(label="Trích yếu nội dung", max_length=500)
    body = forms.CharField(label="Nội dung", widget=forms.Textarea(attrs={"rows": 8}), required=False)
    recipients = forms.CharField(label="Nơi nhận (mỗi dòng: mã định danh | tên, ví dụ H44.02)",
                                 widget=forms.Textarea(attrs={"rows": 3}))
    signer = forms.ChoiceField(label="Người ký")
    authority = forms.ChoiceField(label="Thẩm quyền ký", choices=_choices(SigningAuthority), required=False)
    signer_title = forms.CharField(label="Chức vụ người ký", max_length=150)
    head_title = forms.CharField(label="Sau TM./KT. (ví dụ ỦY BAN NHÂN DÂN, CHỦ TỊCH)", max_length=150, required=False)
    urgency = forms.ChoiceField(label="Độ khẩn", choices=_choices(Urgency), initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(label="Độ mật", choices=_choices(Confidentiality),
                                        initial=Confidentiality.NORMAL)
    reply_due = forms.DateField(label="Hạn trả lời (dd/mm/yyyy)", input_formats=DATE, required=False)
    reply_to = forms.CharField(label="Trả lời văn bản đến (den-…)", required=False, widget=forms.HiddenInput)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]
        signers = (Membership.objects.filter(agency__in=agencies, role__in=["leader", "unit_head"], is_active=True)
                   .select_related("user", "agency").order_by("user__full_name"))
        self.fields["signer"].choices = [(m.user.username, f"{m.user.display_name} — {m.get_role_display()}")
                                         for m in signers]
        self.fields["signer"].choices = list(dict(self.fields["signer"].choices).items())


def _recipients(text: str) -> list[dict]:
    out = []
    for line in (text or "").splitlines():
        code, _sep, name = line.partition("|")
        if code.strip():
            out.append({"code": code.strip(), "name": name.strip()})
    return out


@never_cache
@staff_required
def draft_new(request):
    who = actor_load(request.user)
    agencies = list(Agency.objects.filter(pk__in=who.agency_ids).order_by("code"))
    form = DraftForm(request.POST or None, agencies=agencies, initial={"reply_to": request.GET.get("tra-loi", "")})
    if request.method == "POST" and form.is_valid():
        from tinhso.accounts.models import User

        c = form.cleaned_data
        try:
            reply_to = _load(request.user, c["reply_to"]) if c.get("reply_to") else None
            document = outgoing_create(
                actor=request.user, agency=next(a for a in agencies if a.code == c["agency"]), doc_type=c["doc_type"],
                subject=c["subject"], body=c["body"], signer=User.objects.get(username=c["signer"]),
                signer_title=c["signer_title"], authority=c["authority"] or "", head_title=c["head_title"],
                recipients=_recipients(c["recipients"]), urgency=c["urgency"], confidentiality=c["confidentiality"],
                reply_due=c["reply_due"], reply_to=reply_to if isinstance(reply_to, IncomingDocument) else None)
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Đã lưu dự thảo."))
            return redirect("backoffice:document", ref=document.ref)
    return render(request, "backoffice/documents/form.html", {"form": form, "title": "Soạn văn bản đi",
                                                               "multipart": False},
                  status=422 if form.errors else 200)


class IncomingForm(forms.Form):
    agency = forms.ChoiceField(label="Cơ quan nhận")
    sender_name = forms.CharField(label="Cơ quan ban hành", max_length=255)
    sender_code = forms.CharField(label="Mã định danh cơ quan ban hành", max_length=35, required=False)
    their_notation = forms.CharField(label="Số, ký hiệu", max_length=40)
    their_date = forms.DateField(label="Ngày văn bản (dd/mm/yyyy)", input_formats=DATE)
    doc_type = forms.ChoiceField(label="Loại văn bản", choices=_choices(DocumentType), initial=DocumentType.CONG_VAN)
    subject = forms.CharField(label="Trích yếu nội dung", max_length=500)
    urgency = forms.ChoiceField(label="Độ khẩn", choices=_choices(Urgency), initial=Urgency.NORMAL)
    confidentiality = forms.ChoiceField(label="Độ mật", choices=_choices(Confidentiality))
    signer_name = forms.CharField(label="Người ký", max_length=100, required=False)
    file = forms.FileField(label="Tệp văn bản (PDF)", required=False)
    metadata_only = forms.BooleanField(label="Chỉ đăng ký thông tin (không xử lý trên hệ thống)", required=False)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]


@never_cache
@staff_required
def incoming_new(request):
    who = actor_load(request.user)
    agencies = list(Agency.objects.filter(pk__in=[a for a, r in who.roles.items() if "clerk" in r]).order_by("code"))
    form = IncomingForm(request.POST or None, request.FILES or None, agencies=agencies)
    if request.method == "POST" and form.is_valid():
        c = form.cleaned_data
        try:
            file_id = str(file_store(uploaded_by=request.user, upload=c["file"]).pk) if c.get("file") else None
            document = incoming_register(
                actor=request.user, agency=next(a for a in agencies if a.code == c["agency"]),
                sender_name=c["sender_name"], sender_code=c["sender_code"], their_notation=c["their_notation"],
                their_date=c["their_date"], doc_type=c["doc_type"], subject=c["subject"], urgency=c["urgency"],
                confidentiality=c["confidentiality"], signer_name=c["signer_name"], file_id=file_id,
                metadata_only=c["metadata_only"])
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Đã vào sổ văn bản đến số %(n)s.") % {"n": document.arrival_number})
            return redirect("backoffice:document", ref=document.ref)
    return render(request, "backoffice/documents/form.html", {"form": form, "title": "Vào sổ văn bản đến",
                                                               "multipart": True},
                  status=422 if form.errors else 200)


class RegisterForm(forms.Form):
    kind = forms.ChoiceField(label="Sổ", choices=[("di", "Sổ đăng ký văn bản đi"), ("den", "Sổ đăng ký văn bản đến"),
                                                   ("theo-doi", "Sổ theo dõi giải quyết văn bản đến")])
    agency = forms.ChoiceField(label="Cơ quan")
    date_from = forms.DateField(label="Từ ngày (dd/mm/yyyy)", input_formats=DATE)
    date_to = forms.DateField(label="Đến ngày (dd/mm/yyyy)", input_formats=DATE)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]


@never_cache
@staff_required
def registers_page(request):
    who = actor_load(request.user)
    agencies = list(Agency.objects.filter(pk__in=who.agency_ids).order_by("code"))
    today = timezone.localdate()
    initial = {"date_from": date(today.year, 1, 1).strftime("%d/%m/%Y"), "date_to": today.strftime("%d/%m/%Y")}
    form = RegisterForm(request.GET or None, agencies=agencies, initial=initial)
    sheet = None
    if request.GET and form.is_valid():
        c = form.cleaned_data
        try:
            sheet = registers.register_sheet(actor=request.user, agency=next(a for a in agencies if a.code == c["agency"]),
                                             kind=c["kind"], first=c["date_from"], last=c["date_to"])
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            fmt = request.GET.get("format")
            if fmt == "pdf":
                return HttpResponse(registers.register_pdf(sheet), content_type="application/pdf")
            if fmt == "xlsx":
                response = HttpResponse(registers.register_xlsx(sheet), content_type=(
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))
                response["Content-Disposition"] = f'attachment; filename="so-{c["kind"]}.xlsx"'
                return response
    return render(request, "backoffice/documents/registers.html", {
        "form": form, "sheet": sheet, "query": request.GET.urlencode()})


class PeriodForm(forms.Form):
    agency = forms.ChoiceField(label="Cơ quan")
    date_from = forms.DateField(label="Từ ngày (dd/mm/yyyy)", input_formats=DATE)
    date_to = forms.DateField(label="Đến ngày (dd/mm/yyyy)", input_formats=DATE)

    def __init__(self, *args, agencies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].choices = [(a.code, a.name) for a in agencies]


@never_cache
@staff_required
def statistics_page(request):
    """Counts of an agency's documents for a period (documents.statistics), for its clerk and leaders."""
    from tinhso.documents.statistics import documents_statistics

    who = actor_load(request.user)
    agencies = list(Agency.objects.filter(pk__in=who.agency_ids).order_by("code"))
    today = timezone.localdate()
    initial = {"date_from": date(today.year, 1, 1).strftime("%d/%m/%Y"), "date_to": today.strftime("%d/%m/%Y")}
    data = request.GET if request.GET else None
    if data is None and agencies:
        data = {"agency": agencies[0].code, **initial}
    form = PeriodForm(data, agencies=agencies, initial=initial)
    stats = None
    if data is not None and form.is_valid():
        c = form.cleaned_data
        try:
            stats = documents_statistics(actor=request.user, agency=next(a for a in agencies if a.code == c["agency"]),
                                         first=c["date_from"], last=c["date_to"])
        except DomainError as exc:
            form.add_error(None, exc.detail)
    return render(request, "backoffice/documents/statistics.html", {"form": form, "stats": stats})
