"""Staff pages of the exchange (issue #12 §5, §7): what arrived by edXML and waits for the clerk (with
register / refuse, the core registry's actions), deliveries that failed or were refused first (with
resend), counts by state and per day. Thin: every rule lives in ``tinhso.exchange``."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tinhso.backoffice.access import not_found, staff_required
from tinhso.backoffice.forms import ActionForm
from tinhso.core.errors import Conflict, DomainError
from tinhso.exchange import edxml
from tinhso.exchange.handling import inbound_actions, inbound_perform
from tinhso.exchange.models import Delivery, Message
from tinhso.exchange.selectors import exchange_overview, inbound_get, inbound_waiting
from tinhso.exchange.sending import delivery_resend


def _card(message: Message, user, bound=None) -> dict:
    doc = edxml.parse(bytes(message.raw)).document
    specs = inbound_actions.available(inbound_actions.context(user, message))
    forms = [bound if bound is not None and bound.spec.name == s.name else
             ActionForm(spec=s, initial={"expected_version": message.version}) for s in specs]
    return {"message": message, "doc": doc, "forms": forms,
            "attachments": [a.name for a in doc.attachments] if doc else []}


def _home(request, bound=None, bound_pk=None, status=200):
    overview = exchange_overview(actor=request.user)
    cards = [_card(m, request.user, bound if str(m.pk) == bound_pk else None)
             for m in inbound_waiting(actor=request.user)[:50]]
    return render(request, "backoffice/exchange/home.html", {
        "overview": overview, "cards": cards, "states": dict(Message.State.choices),
        "directions": dict(Message.Direction.choices)}, status=status)


@never_cache
@staff_required
def exchange_home(request):
    return _home(request)


@require_POST
@staff_required
def inbound_action(request, pk: str, action: str):
    message = inbound_get(actor=request.user, pk=pk)
    if message is None:
        return not_found(request, _("Không tìm thấy gói tin liên thông."))
    spec = next((s for s in inbound_actions.available(inbound_actions.context(request.user, message))
                 if s.name == action), None)
    if spec is None:
        messages.error(request, _("Thao tác này không còn thực hiện được (gói tin đã được xử lý)."))
        return redirect("backoffice:exchange")
    form = ActionForm(request.POST, spec=spec)
    if not form.is_valid():
        return _home(request, bound=form, bound_pk=str(pk), status=422)
    data = {f.name: form.cleaned_data.get(f.name) or "" for f in spec.fields}
    try:
        result = inbound_perform(actor=request.user, message=message, name=action, data=data,
                                 expected_version=form.cleaned_data["expected_version"])
    except Conflict as exc:
        messages.error(request, exc.detail)
        return redirect("backoffice:exchange")
    except DomainError as exc:
        form.add_error(None, exc.detail)
        return _home(request, bound=form, bound_pk=str(pk), status=exc.status)
    messages.success(request, _("Đã thực hiện: %(label)s.") % {"label": spec.label})
    if action == "register":
        return redirect("backoffice:document", ref=result.ref)
    return redirect("backoffice:exchange")


@require_POST
@staff_required
def delivery_resend_view(request, pk: int):
    delivery = Delivery.objects.filter(pk=pk).select_related("message").first()
    if delivery is None:
        return not_found(request, _("Không tìm thấy lượt gửi."))
    try:
        delivery_resend(actor=request.user, delivery=delivery)
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Đã xếp gói tin vào hàng gửi lại."))
    return redirect(request.POST.get("next") or "backoffice:exchange")
