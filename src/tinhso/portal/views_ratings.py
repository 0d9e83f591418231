"""Satisfaction rating pages (issue #13; docs/ratings.md): the applicant rates a returned dossier from
"Hồ sơ của tôi" or the invitation link (signed token; the owner's login is still required), and the
reception desk's tablet (kiosk: no login, the desk's secret token in the address, large touch targets,
only the dossier that desk just returned, nothing personal on screen)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from tinhso.core.errors import DomainError, NotFound
from tinhso.dossiers.models import Dossier
from tinhso.portal.forms_petitions import RatingForm
from tinhso.portal.pages import applicant_required, not_found
from tinhso.ratings.models import Level
from tinhso.ratings.selectors import kiosk_desk_get, questionnaire_current, rating_state
from tinhso.ratings.services import KioskProof, kiosk_dossier, rating_submit, rating_update
from tinhso.ratings.tokens import rating_token_dossier_id
from tinhso.web.errors import attach, summary_of
from tinhso.web.labels import choice_label


def _levels():
    return [(level.value, choice_label(level.label)) for level in Level]


def _form(data=None, initial=None):
    questionnaire = questionnaire_current()
    criteria = questionnaire.criteria.all() if questionnaire is not None else []
    return RatingForm(data, criteria=criteria, levels=_levels(), initial=initial)


def _place_errors(form: RatingForm, exc: DomainError) -> None:
    fields = {item.get("field"): item.get("message") for item in exc.errors or []}
    placed = False
    for number, criterion in enumerate(form.criteria, 1):
        if criterion.code in fields:
            form.add_error(f"c_{criterion.code}", _("Vui lòng chọn một mức cho tiêu chí %(n)s.") % {"n": number})
            placed = True
    if not placed:
        attach(form, exc, {"text_markup_not_allowed": "comment", "rating_comment_too_long": "comment"})


@never_cache
@applicant_required
def dossier_rating(request, code: str):
    try:
        state = rating_state(actor=request.user, code=code)
    except NotFound as exc:
        return not_found(request, exc.detail)
    editing = state.editable and (request.GET.get("sua") or request.method == "POST")
    initial = None
    if state.rating is not None:
        initial = {f"c_{a.criterion.code}": a.level for a in state.rating.answers.all()} | {
            "comment": state.rating.comment}
    form = _form(request.POST if request.method == "POST" else None, initial=initial)
    status = 200
    if request.method == "POST" and not (state.can_rate or state.editable):
        messages.error(request, _("Hồ sơ này không thể đánh giá hoặc sửa đánh giá nữa."))
        return redirect("portal:dossier_rating", code=state.dossier.code)
    if request.method == "POST":
        if form.is_valid():
            try:
                run = rating_update if state.rating is not None else rating_submit
                run(actor=request.user, dossier_id=state.dossier.pk, answers=form.answers(),
                    comment=form.cleaned_data["comment"])
            except DomainError as exc:
                _place_errors(form, exc)
            else:
                messages.success(request, _("Cảm ơn Ông/Bà đã đánh giá mức độ hài lòng."))
                return redirect("portal:dossier_rating", code=state.dossier.code)
        status = 422
    return render(request, "portal/ratings/dossier.html", {
        "state": state, "dossier": state.dossier, "form": form, "editing": editing,
        "errors": summary_of(form) if form.is_bound else []}, status=status)


def invitation(request, token: str):
    """The link in the notification and the QR on the returned forms: which dossier, then its page."""
    try:
        dossier_id = rating_token_dossier_id(token)
    except NotFound as exc:
        return not_found(request, exc.detail)
    code = Dossier.objects.filter(pk=dossier_id).values_list("code", flat=True).first()
    if not code:
        return not_found(request)
    return redirect("portal:dossier_rating", code=code)


@never_cache
def kiosk(request, token: str):
    try:
        desk = kiosk_desk_get(token=token)
    except NotFound as exc:
        return render(request, "portal/ratings/kiosk.html", {"unknown": exc.detail}, status=404)
    dossier = kiosk_dossier(desk)
    form = _form(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if dossier is None or request.POST.get("dossier") != dossier.code:
            messages.error(request, _("Hồ sơ này không còn chờ đánh giá tại quầy."))
            return redirect("portal:kiosk", token=token)
        if form.is_valid():
            try:
                rating_submit(actor=KioskProof(desk), dossier_id=dossier.pk, answers=form.answers(),
                              comment=form.cleaned_data["comment"])
            except DomainError as exc:
                _place_errors(form, exc)
            else:
                return render(request, "portal/ratings/kiosk.html", {"desk": desk, "thanks": True})
        status = 422
    return render(request, "portal/ratings/kiosk.html", {
        "desk": desk, "dossier": dossier, "form": form, "errors": summary_of(form) if form.is_bound else []},
        status=status)
