"""Feedback pages (phản ánh, kiến nghị — issue #13): send (signed in, or with a phone confirmed by a
one-time code), the published answers with search and filters, the counters per agency and for the
province, the sender's lookup by code and phone, and the sender's page (answer, rating, one objection,
more information when asked).

The sender's page acts for the signed-in sender, or for whoever proved code + phone in this session
(``petitions.permissions.SenderProof``, kept in the session after a successful lookup). Every action is
``petition_action_perform`` with the version the page showed. Services validate; views only shape.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tinhso.catalog.models import Sector
from tinhso.core.errors import Conflict, DomainError, NotFound, RateLimited
from tinhso.core.ratelimit import request_client_ip
from tinhso.core.validators import normalize_phone
from tinhso.org.models import AdministrativeUnit, Agency
from tinhso.petitions import selectors
from tinhso.petitions.actions import petition_action_perform
from tinhso.petitions.errors import PetitionError
from tinhso.petitions.models import Petition, RoutingRule
from tinhso.petitions.permissions import SenderProof
from tinhso.petitions.services import PetitionDraft, petition_otp_request, petition_submit
from tinhso.portal.forms_petitions import LookupForm, OtpRequestForm, PetitionForm, PublicFilterForm
from tinhso.portal.pages import applicant_required, not_found
from tinhso.web.errors import attach, summary_of

SESSION_PHONE = "petition_otp_phone"
SESSION_PROOFS = "petition_proofs"  # petition ids whose code + phone this session proved
SESSION_SENT = "petition_sent"
FIELDS_BY_CODE = {
    PetitionError.MARKUP: "content", PetitionError.EMPTY: "content", PetitionError.TOO_LONG: "content",
    PetitionError.UNKNOWN_COMMUNE: "commune_code", PetitionError.UNKNOWN_PROCEDURE: "procedure_code",
    PetitionError.UNKNOWN_DOSSIER: "dossier_code", PetitionError.PHONE_REQUIRED: "sender_phone",
    PetitionError.OTP_REQUIRED: "otp_code", "otp_invalid": "otp_code", "otp_expired": "otp_code",
    "otp_too_many_attempts": "otp_code", "invalid_phone": "sender_phone", "invalid_email": "sender_email",
    PetitionError.INVALID_KIND: "kind",
}


def _communes():
    """The communes a petition can name: those of the province's unit, and those the routing rules
    and agencies refer to (a deployment may not have loaded the whole province)."""
    province = Agency.objects.filter(code=settings.TINHSO_PROVINCE_CODE).values_list("administrative_unit_id",
                                                                                     flat=True).first()
    current = AdministrativeUnit.objects.filter(valid_to__isnull=True, kind__in=AdministrativeUnit.COMMUNAL_KINDS)
    wanted = Q(agencies__isnull=False) | Q(pk__in=_rule_communes())
    if province:
        wanted |= Q(parent_id=province)
    return current.filter(wanted).distinct().order_by("name")


def _rule_communes():
    return RoutingRule.objects.filter(commune__isnull=False).values("commune_id")


# --- sending ---------------------------------------------------------------------------------------------


@never_cache
def send(request):
    """Signed-in citizens and businesses send at once; anyone else first asks for a one-time code
    (``otp_request``), then sends the form with it. Staff use the staff intake page instead."""
    anonymous = not request.user.is_authenticated
    if request.user.is_authenticated and not request.user.is_applicant:
        messages.warning(request, _("Cán bộ nhập phản ánh nhận qua đường dây nóng, bưu chính hoặc trực tiếp "
                                    "tại trang Nghiệp vụ."))
    communes = _communes()
    status = 200
    if request.method == "POST":
        form = PetitionForm(request.POST, anonymous=anonymous, communes=communes)
        if form.is_valid():
            data = form.cleaned_data
            draft = PetitionDraft(kind=data["kind"], subject=data["subject"], content=data["content"],
                                  sender_name=data.get("sender_name", ""), sender_phone=data.get("sender_phone", ""),
                                  sender_email=data.get("sender_email", ""), commune_code=data["commune_code"],
                                  procedure_code=data["procedure_code"], dossier_code=data["dossier_code"],
                                  publish_consent=data["publish_consent"])
            try:
                petition = petition_submit(actor=request.user, draft=draft, uploads=request.FILES.getlist("files"),
                                           otp_code=data.get("otp_code", ""), client_ip=request_client_ip(request))
            except RateLimited as exc:
                form.add_error(None, exc.detail)
                status = 429
            except DomainError as exc:
                if exc.code.startswith("file_"):
                    form.add_error(None, exc.detail)
                else:
                    attach(form, exc, FIELDS_BY_CODE)
            else:
                request.session[SESSION_SENT] = petition.code
                if anonymous:
                    _prove(request, petition.pk)
                return redirect("portal:petition_sent")
        if status == 200:
            status = 422
    else:
        form = PetitionForm(anonymous=anonymous, communes=communes,
                            initial={"sender_phone": request.session.get(SESSION_PHONE, ""), "publish_consent": True})
    otp_form = OtpRequestForm(initial={"phone": request.session.get(SESSION_PHONE, "")}) if anonymous else None
    return render(request, "portal/petitions/send.html", {
        "form": form, "otp_form": otp_form, "anonymous": anonymous, "errors": summary_of(form),
        "otp_sent_to": request.session.get(SESSION_PHONE, ""),
        "max_files": getattr(settings, "TINHSO_PETITION_MAX_FILES", 5)}, status=status)


@require_POST
def otp_request(request):
    form = OtpRequestForm(request.POST)
    if form.is_valid():
        try:
            petition_otp_request(phone=form.cleaned_data["phone"], client_ip=request_client_ip(request))
        except DomainError as exc:
            messages.error(request, exc.detail)
        else:
            request.session[SESSION_PHONE] = normalize_phone(form.cleaned_data["phone"])
            messages.success(request, _("Đã gửi mã xác thực tới số điện thoại %(phone)s. Mã có hiệu lực 10 phút.")
                             % {"phone": request.session[SESSION_PHONE]})
    else:
        messages.error(request, _("Vui lòng nhập số điện thoại di động."))
    return redirect(f"{_url('portal:petition_send')}#gui-phan-anh")


def _url(name: str, **kwargs) -> str:
    return reverse(name, kwargs=kwargs or None)


@never_cache
def sent(request):
    code = request.session.get(SESSION_SENT)
    if not code:
        return redirect("portal:petition_send")
    return render(request, "portal/petitions/sent.html", {"code": code})


# --- public list and counters ------------------------------------------------------------------------------


def _filters(request):
    # Both lists stay small whatever the number of petitions: agencies from the tallies, every sector.
    agencies = selectors.public_list_agencies()
    sectors = Sector.objects.order_by("name")
    return PublicFilterForm(request.GET or None, agencies=agencies, sectors=sectors)


@never_cache
def public_list(request):
    form = _filters(request)
    values = form.cleaned_data if form.is_bound and form.is_valid() else {}
    try:
        page_number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page_number = 1
    page = selectors.petition_public_list(q=values.get("q"), agency=values.get("agency"), sector=values.get("sector"),
                                          date_from=values.get("date_from"), date_to=values.get("date_to"),
                                          page=page_number)
    agency_code = values.get("agency") or ""
    counters = selectors.petition_counters()
    agency_counters = selectors.petition_counters(agency=agency_code) if agency_code else None
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "portal/petitions/list.html", {
        "form": form, "page": page, "counters": counters, "agency_counters": agency_counters,
        "agency_name": dict(form.fields["agency"].choices).get(agency_code, ""), "query": query.urlencode(),
        "errors": summary_of(form) if form.is_bound else []})


def counters_page(request):
    return render(request, "portal/petitions/counters.html", {
        "province": selectors.petition_counters(), "agencies": selectors.petition_counters_by_agency()})


# --- the sender's lookup and page ----------------------------------------------------------------------------


def _prove(request, petition_id: int) -> None:
    proofs = [p for p in request.session.get(SESSION_PROOFS, []) if p != petition_id][-9:]
    request.session[SESSION_PROOFS] = [*proofs, petition_id]


@never_cache
def lookup(request):
    status, limited = 200, ""
    if request.method == "POST":
        form = LookupForm(request.POST)
        if form.is_valid():
            try:
                view = selectors.petition_lookup(code=form.cleaned_data["code"], phone=form.cleaned_data["phone"],
                                                 client_ip=request_client_ip(request))
            except RateLimited as exc:
                limited, status = exc.detail, 429
            except NotFound as exc:
                form.add_error(None, exc.detail)
                status = 404
            else:
                _prove(request, view.petition.pk)
                return redirect("portal:petition_page", code=view.petition.code)
        if form.errors and status == 200:
            status = 422
    else:
        code = (request.GET.get("code") or request.GET.get("ma") or "").strip()[:30]
        if code and _actor_for(request, code) is not None:
            # the notification's link, opened by the signed-in sender (or the session that proved it)
            return redirect("portal:petition_page", code=code.upper())
        form = LookupForm(initial={"code": code})
    return render(request, "portal/petitions/lookup.html", {"form": form, "limited": limited,
                                                            "errors": summary_of(form)}, status=status)


def _actor_for(request, code: str):
    """The signed-in sender, or the proof this session holds for the petition; None otherwise."""
    petition = Petition.objects.filter(code=(code or "").strip().upper()).only("pk", "sender_user_id").first()
    if petition is None:
        return None
    if request.user.is_authenticated and petition.sender_user_id == request.user.pk:
        return request.user
    if petition.pk in request.session.get(SESSION_PROOFS, []):
        return SenderProof(petition_id=petition.pk)
    return None


SENDER_ACTIONS = ("provide_info", "rate", "object")


@never_cache
def petition_page(request, code: str):
    actor = _actor_for(request, code)
    if actor is None:
        messages.info(request, _("Vui lòng nhập mã phản ánh và số điện thoại để xem phản ánh của Ông/Bà."))
        return redirect(f"{_url('portal:petition_lookup')}?code={code}")
    try:
        view = selectors.petition_detail(actor=actor, code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    actions = {a.name: a for a in view.actions if a.name in SENDER_ACTIONS}
    return render(request, "portal/petitions/detail.html", {
        "view": view, "petition": view.petition, "actions": actions, "flags": selectors.flags(view.petition)})


@require_POST
def sender_action(request, code: str, action: str):
    actor = _actor_for(request, code)
    if actor is None or action not in SENDER_ACTIONS:
        return not_found(request)
    try:
        view = selectors.petition_detail(actor=actor, code=code)
        data = {key: request.POST.get(key, "") for key in ("feedback", "reason", "answer")}
        expected = request.POST.get("expected_version")
        petition_action_perform(actor=actor, petition=view.petition, name=action, data=data,
                                expected_version=int(expected) if (expected or "").isdigit() else None)
    except Conflict as exc:
        messages.error(request, exc.detail)
    except DomainError as exc:
        messages.error(request, exc.detail if exc.code != "invalid_input" else _("Vui lòng điền đủ nội dung."))
    else:
        messages.success(request, {
            "rate": _("Cảm ơn Ông/Bà đã đánh giá trả lời."),
            "object": _("Đã gửi ý kiến không đồng ý; phản ánh được mở lại để xem xét."),
            "provide_info": _("Đã gửi thông tin bổ sung."),
        }[action])
    return redirect("portal:petition_page", code=code)


@never_cache
@applicant_required
def mine(request):
    try:
        page_number = max(1, int(request.GET.get("page") or 1))
    except ValueError:
        page_number = 1
    return render(request, "portal/petitions/mine.html", {
        "page": selectors.petitions_of_sender(actor=request.user, page=page_number)})
