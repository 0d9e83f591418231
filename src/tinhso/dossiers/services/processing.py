"""The process engine's actions at a step (issue #5; DESIGN §5.2).

A step of the dossier's ``ProcessDefinition`` offers the actions of its transitions; each action
here is one service and one transaction: lock, permission (the step's role in the agency holding
the dossier — ``permissions.may_act_on_step``), state (``expected_version`` and status), then the
new state, a handover row (Mẫu 05/06), the timeline, the audit entry and the events.

Statuses (national code): ``received`` (2) until the first action, then ``processing`` (4);
``supplement_requested`` (5) and ``payment_requested`` (6) stop the clock; ``resolved`` (9) once
the result is issued (approved) or the dossier is denied; ``returned`` (10) when handed over.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from tinhso.catalog.choices import FeeChannel, StepAction
from tinhso.catalog.models import Transition
from tinhso.core.actions import in_transaction
from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.core.files import files_owned
from tinhso.core.text import clean_text
from tinhso.dossiers.deadlines import verdict_for
from tinhso.dossiers.models import Consultation, Dossier, DossierDocument, DossierPayment, SupplementRequest
from tinhso.dossiers.permissions import (
    ActorContext,
    actor_context,
    is_head,
    is_reception,
    may_act_on_step,
    require_authenticated,
)
from tinhso.dossiers.services import results
from tinhso.dossiers.services.common import (
    access_grant,
    action_perform,
    actor_label,
    dossier_lock,
    event_also,
    handover_close,
    handover_current,
    state_require,
    transition_record,
)
from tinhso.dossiers.services.engine import (
    clock_pause,
    clock_resume,
    queue_leave,
    reception_enter,
    step_agency,
    step_enter,
    step_transitions,
)
from tinhso.dossiers.services.reception import (
    supplement_items_clean,
    supplement_request_apply,
)
from tinhso.dossiers.status import IN_PROGRESS, Channel, Outcome, ReturnMethod, Status
from tinhso.org.models import Agency
from tinhso.org.roles import Role

STEP_STATES = frozenset({Status.RECEIVED, Status.PROCESSING})
ACTION_LABELS = dict(StepAction.choices)


def _reason(text: str, *, what: str) -> str:
    cleaned = clean_text(text)
    if not cleaned:
        raise ValidationFailed(f"Vui lòng ghi rõ lý do {what}.", code="reason_required")
    return cleaned


def transition_pick(dossier: Dossier, action: str, to_step: str | None) -> Transition:
    """The transition of the current step for ``action``; ``to_step`` (a step code, or ``"end"``)
    chooses when the step offers the action towards several steps."""
    choices = [t for t in step_transitions(dossier.current_step) if t.action == action]
    if not choices:
        raise Conflict(
            f"Bước “{dossier.current_step.name}” không có thao tác “{ACTION_LABELS.get(action, action)}”.",
            code="action_not_available",
        )
    if to_step:
        for transition in choices:
            code = transition.to_step.code if transition.to_step_id else "end"
            if code == to_step:
                return transition
        raise ValidationFailed(
            f"Không thể chuyển tới bước “{to_step}” bằng thao tác này; chọn một trong: "
            + ", ".join(t.to_step.code if t.to_step_id else "end" for t in choices) + ".",
            code="invalid_to_step",
        )
    if len(choices) > 1:
        raise ValidationFailed(
            "Thao tác này có nhiều bước tiếp theo; vui lòng chọn bước (to_step): "
            + ", ".join(f"{t.to_step.code} ({t.to_step.name})" if t.to_step_id else "end (kết thúc)"
                        for t in choices) + ".",
            code="to_step_required",
        )
    return choices[0]


def _started(dossier: Dossier) -> str:
    """First action after receipt: "Được tiếp nhận" becomes "Đang xử lý"."""
    status_from = dossier.status
    if dossier.status == Status.RECEIVED:
        dossier.status = Status.PROCESSING
    return status_from


def _move(dossier: Dossier, *, transition: Transition, actor, at: datetime, action: str, note: str = "",
          assignee=None):
    """Close the current step's handover and enter the transition's target step (if any)."""
    from_step = dossier.current_step
    closed = handover_close(dossier, at=at, action=action, by=actor, note=note)
    if transition.to_step_id:
        step_enter(dossier, step=transition.to_step, at=at, given_by=actor, assignee=assignee)
    return from_step, closed


def _step_payload(dossier: Dossier, from_step, closed, *, action: str, note: str = "") -> dict:
    return {
        "from_step": from_step.code if from_step else None,
        "to_step": dossier.current_step.code if dossier.current_step_id else None,
        "to_agency": dossier.current_agency.code if dossier.current_agency_id else None,
        "assignee_id": dossier.assignee_id,
        "step_due_at": dossier.step_due_at,
        "closed_handover_verdict": closed.verdict if closed else None,
        "transition": action,
        **({"note": note} if note else {}),
    }


def _step_change(*, actor, dossier: Dossier, action: str, transition: Transition, label: str, note: str = "",
                 assignee=None, data: dict | None = None) -> Dossier:
    if transition.to_step_id is None:  # only ending actions may end (catalog.process); they handle it
        raise Conflict("Thao tác này không thể kết thúc quy trình.", code="action_not_available")
    at = timezone.now()
    status_from = _started(dossier)
    acting_agency = dossier.current_agency  # the timeline names where the officer acted, not the next desk
    from_step, closed = _move(dossier, transition=transition, actor=actor, at=at, action=action, note=note,
                              assignee=assignee)
    transition_record(
        dossier, actor=actor, action=action, label=label, status_from=status_from, at=at, note=note,
        agency=acting_agency, data={"from_step": from_step.code if from_step else None,
                                              "to_step": dossier.current_step.code, **(data or {})},
        event="dossier.step_changed", payload=_step_payload(dossier, from_step, closed, action=action, note=note),
    )
    return dossier


# --- moving between steps ---------------------------------------------------------------------------------


def forward_apply(dossier: Dossier, *, actor, to_step: str | None = None, note: str = "") -> Dossier:
    """Chuyển bước tiếp theo on the locked, checked dossier. Event ``dossier.step_changed``."""
    in_transaction("forward_apply")
    transition = transition_pick(dossier, StepAction.FORWARD, to_step)
    return _step_change(actor=actor, dossier=dossier, action="forward", transition=transition,
                        label="Chuyển bước xử lý", note=clean_text(note))


def dossier_forward(*, actor, dossier: Dossier, to_step: str | None = None, note: str = "",
                    expected_version: int | None = None) -> Dossier:
    """Chuyển bước tiếp theo (the action ``forward``). Event ``dossier.step_changed``."""
    return action_perform("forward", actor=actor, dossier=dossier, data={"to_step": to_step, "note": note},
                          expected_version=expected_version)


def send_back_apply(dossier: Dossier, *, actor, reason: str, to_step: str | None = None) -> Dossier:
    in_transaction("send_back_apply")
    reason = _reason(reason, what="trả lại")
    transition = transition_pick(dossier, StepAction.SEND_BACK, to_step)
    return _step_change(actor=actor, dossier=dossier, action="send_back", transition=transition,
                        label="Trả lại bước trước", note=reason, data={"reason": reason})


def dossier_send_back(*, actor, dossier: Dossier, reason: str, to_step: str | None = None,
                      expected_version: int | None = None) -> Dossier:
    """Trả lại bước trước, with the reason (the action ``send_back``). Event ``dossier.step_changed``."""
    return action_perform("send_back", actor=actor, dossier=dossier, data={"to_step": to_step, "reason": reason},
                          expected_version=expected_version)


def _assignee_resolve(*, dossier: Dossier, step, assignee):
    """The user to assign: active, holding the step's role in the agency the step runs in."""
    User = get_user_model()
    if assignee is None or assignee == "":
        raise ValidationFailed("Vui lòng chọn cán bộ được phân công.", code="assignee_required")
    if not isinstance(assignee, User):
        lookup = {"pk": int(assignee)} if str(assignee).isdigit() else {"username": str(assignee)}
        assignee = User.objects.filter(is_active=True, **lookup).first()
        if assignee is None:
            raise ValidationFailed("Không tìm thấy cán bộ được phân công.", code="invalid_assignee")
    agency = step_agency(dossier, step)
    if not actor_context(assignee).has_role(agency.pk, step.role, department_code=step.department_code):
        raise ValidationFailed(
            f"{assignee.display_name} không có vai trò thực hiện bước “{step.name}” tại {agency.name}.",
            code="invalid_assignee",
        )
    return assignee


def dossier_assign(*, actor, dossier: Dossier, assignee, to_step: str | None = None, note: str = "",
                   expected_version: int | None = None) -> Dossier:
    """Phân công (the action ``assign``): hand the dossier to a person for the transition's target
    step (or, when the transition stays on the current step, to a person for this step). The
    assignee must hold the step's role in its agency. Event ``dossier.step_changed``
    (``dossier.assigned`` when the step does not change)."""
    if isinstance(assignee, get_user_model()):
        assignee = assignee.pk
    return action_perform("assign", actor=actor, dossier=dossier,
                          data={"assignee": assignee, "to_step": to_step, "note": note},
                          expected_version=expected_version)


def assign_apply(dossier: Dossier, *, actor, assignee, to_step: str | None = None, note: str = "") -> Dossier:
    in_transaction("assign_apply")
    transition = transition_pick(dossier, StepAction.ASSIGN, to_step)
    target = transition.to_step or dossier.current_step
    person = _assignee_resolve(dossier=dossier, step=target, assignee=assignee)
    note = clean_text(note)
    if target.pk != dossier.current_step_id:
        return _step_change(actor=actor, dossier=dossier, action="assign", transition=transition,
                            label="Phân công xử lý", note=note, assignee=person, data={"assignee": person.username})
    return _assign_here(actor=actor, dossier=dossier, person=person, note=note)


def _assign_here(*, actor, dossier: Dossier, person, note: str = "") -> Dossier:
    at = timezone.now()
    status_from = _started(dossier)
    dossier.assignee = person
    row = handover_current(dossier)
    if row is not None:
        row.taken_by = person
        row.save(update_fields=["taken_by"])
    transition_record(
        dossier, actor=actor, action="assign", label="Phân công xử lý", status_from=status_from, at=at, note=note,
        agency=dossier.current_agency, data={"assignee": person.username}, event="dossier.assigned",
        payload={"assignee_id": person.pk, "step": dossier.current_step.code if dossier.current_step_id else None},
    )
    return dossier


@transaction.atomic
def bulk_assign(*, actor, dossiers, assignee) -> list[Dossier]:
    """A unit head or leader assigns several dossiers of their agency at their current step.

    All or nothing: the first dossier that cannot be assigned (not held by an agency the actor
    heads, or the assignee lacks the step's role) fails the whole call with its code in the message.
    """
    require_authenticated(actor)
    context = actor_context(actor)
    done = []
    for item in dossiers:
        dossier = dossier_lock(item)
        state_require(dossier, STEP_STATES, what="phân công")
        if dossier.current_step_id is None or not is_head(context, dossier.current_agency_id):
            raise PermissionDenied(
                f"Bạn không phải lãnh đạo đơn vị đang giữ hồ sơ {dossier.code}; không thể phân công.",
                code="forbidden",
            )
        person = _assignee_resolve(dossier=dossier, step=dossier.current_step, assignee=assignee)
        done.append(_assign_here(actor=actor, dossier=dossier, person=person))
    return done


# --- stopping the clock: supplement and payment ------------------------------------------------------------


def dossier_request_supplement_in_processing(*, actor, dossier: Dossier, items, reason: str,
                                             to_step: str | None = None,
                                             expected_version: int | None = None) -> SupplementRequest:
    """Yêu cầu bổ sung during processing (the action ``request_supplement`` at a step)."""
    return action_perform("request_supplement", actor=actor, dossier=dossier,
                          data={"items": items, "reason": reason, "to_step": to_step},
                          expected_version=expected_version)


def supplement_in_processing_apply(dossier: Dossier, *, actor, items, reason: str,
                                   to_step: str | None = None) -> SupplementRequest:
    """Yêu cầu bổ sung during processing: the clock stops until the supplement arrives (status 5);
    the dossier then returns to the transition's target step (or stays at this one)."""
    in_transaction("supplement_in_processing_apply")
    transition = transition_pick(dossier, StepAction.REQUEST_SUPPLEMENT, to_step)
    reason = _reason(reason, what="yêu cầu bổ sung")
    cleaned = supplement_items_clean(dossier, items)
    at = timezone.now()
    status_from = dossier.status
    request = supplement_request_apply(dossier, actor=actor, at=at, stage=SupplementRequest.Stage.PROCESSING,
                                       items=cleaned, reason=reason, agency=dossier.current_agency,
                                       resume_step=transition.to_step)
    dossier.status = Status.SUPPLEMENT_REQUESTED
    clock_pause(dossier, at=at)
    transition_record(
        dossier, actor=actor, action="request_supplement", label="Yêu cầu bổ sung giấy tờ", status_from=status_from,
        at=at, agency=dossier.current_agency, data={"items": cleaned, "reason": reason, "stage": "processing"},
        event="dossier.supplement_requested",
        payload={"supplement_request_id": request.pk, "stage": "processing", "form_issue_id": request.form_id},
    )
    return request


def fees_due(dossier: Dossier) -> tuple[Decimal, list[dict]]:
    """The version's fixed fees for this dossier's channel (fees "by rule" need an amount from staff)."""
    channel: dict[str, str] = {Channel.ONLINE: FeeChannel.ONLINE, Channel.COUNTER: FeeChannel.COUNTER,
                               Channel.POST: FeeChannel.POST}
    items: list[dict[str, Any]] = [
        {"name": fee.name or fee.get_kind_display(), "kind": fee.kind, "amount": int(fee.amount)}
        for fee in dossier.procedure_version.fees.all()
        if fee.amount is not None and fee.channel in (FeeChannel.ALL, channel[dossier.channel])
    ]
    return Decimal(sum(item["amount"] for item in items)), items


def dossier_request_payment(*, actor, dossier: Dossier, amount=None, note: str = "", to_step: str | None = None,
                            expected_version: int | None = None) -> DossierPayment:
    """Yêu cầu thực hiện nghĩa vụ tài chính (the action ``request_payment``)."""
    return action_perform("request_payment", actor=actor, dossier=dossier,
                          data={"amount": amount, "note": note, "to_step": to_step}, expected_version=expected_version)


def payment_request_apply(dossier: Dossier, *, actor, amount: Decimal | None = None, note: str = "",
                          to_step: str | None = None) -> DossierPayment:
    """Yêu cầu thực hiện nghĩa vụ tài chính (status 6): the amount (default: the version's fees for
    this channel) is recorded and the clock stops until staff confirm payment or waive it."""
    in_transaction("payment_request_apply")
    transition = transition_pick(dossier, StepAction.REQUEST_PAYMENT, to_step)
    total, items = fees_due(dossier)
    if amount is not None:
        total = amount
        items = [{"name": clean_text(note) or "Phí, lệ phí", "amount": int(total)}]
    if total <= 0:
        raise ValidationFailed("Thủ tục không có khoản phí cố định; vui lòng nhập số tiền phải nộp.",
                               code="payment_amount_required")
    at = timezone.now()
    status_from = dossier.status
    payment = DossierPayment.objects.create(dossier=dossier, amount=total, items=items, note=clean_text(note),
                                            resume_step=transition.to_step, requested_by=actor, requested_at=at)
    dossier.status = Status.PAYMENT_REQUESTED
    clock_pause(dossier, at=at)
    transition_record(
        dossier, actor=actor, action="request_payment", label="Yêu cầu thực hiện nghĩa vụ tài chính",
        status_from=status_from, at=at, agency=dossier.current_agency, data={"amount": total},
        event="dossier.payment_requested", payload={"payment_id": payment.pk, "amount": total},
    )
    return payment


def payment_settle_allowed(roles: ActorContext, dossier: Dossier) -> bool:
    return is_reception(roles, dossier) or may_act_on_step(roles, dossier)


def payment_settle_require(roles: ActorContext, dossier: Dossier) -> None:
    if not payment_settle_allowed(roles, dossier):
        raise PermissionDenied("Chỉ Bộ phận Một cửa hoặc cán bộ đang xử lý hồ sơ mới được xác nhận nghĩa vụ tài chính.",
                               code="forbidden")
    state_require(dossier, {Status.PAYMENT_REQUESTED}, what="xác nhận nghĩa vụ tài chính")


def payment_settle_apply(dossier: Dossier, *, actor, state: str, reference: str = "",
                         reason: str = "") -> DossierPayment:
    """Confirm (``paid``) or waive the requested payment on the locked, checked dossier; the clock restarts."""
    in_transaction("payment_settle_apply")
    if state == DossierPayment.State.WAIVED:
        reason = _reason(reason, what="miễn, giảm")
    payment = dossier.payments.filter(state=DossierPayment.State.REQUESTED).order_by("-requested_at").first()
    if payment is None:  # a payment_requested dossier whose request row is gone: refuse instead of a 500
        raise Conflict("Không tìm thấy yêu cầu thực hiện nghĩa vụ tài chính đang chờ của hồ sơ.",
                       code="payment_request_missing")
    at = timezone.now()
    payment.state = state
    payment.settled_by = actor
    payment.settled_at = at
    payment.reference = clean_text(reference)[:100]
    if reason:
        payment.note = f"{payment.note}\n{reason}".strip()
    payment.save()
    status_from = dossier.status
    minutes = clock_resume(dossier, at=at)
    dossier.status = Status.PROCESSING
    if payment.resume_step_id and payment.resume_step_id != dossier.current_step_id:
        handover_close(dossier, at=at, action="payment_settled", by=actor)
        step_enter(dossier, step=payment.resume_step, at=at, given_by=actor)
    label = "Đã thực hiện nghĩa vụ tài chính" if state == DossierPayment.State.PAID else "Được miễn, giảm phí"
    transition_record(
        dossier, actor=actor, action=f"payment_{'confirm' if state == DossierPayment.State.PAID else 'waive'}",
        label=label, status_from=status_from, at=at, agency=dossier.current_agency, note=reason,
        data={"payment": payment.pk, "reference": payment.reference, "paused_minutes": minutes},
        event="dossier.payment_settled",
        payload={"payment_id": payment.pk, "state": state, "amount": payment.amount, "due_at": dossier.due_at},
    )
    return payment


def dossier_payment_confirm(*, actor, dossier: Dossier, reference: str = "",
                            expected_version: int | None = None) -> DossierPayment:
    """Staff confirm the fee was paid (receipt number in ``reference``); the clock restarts.
    The action ``payment_confirm``."""
    return action_perform("payment_confirm", actor=actor, dossier=dossier, data={"reference": reference},
                          expected_version=expected_version)


def dossier_payment_waive(*, actor, dossier: Dossier, reason: str,
                          expected_version: int | None = None) -> DossierPayment:
    """Staff waive the fee (exemption) with the reason; the clock restarts. The action ``payment_waive``."""
    return action_perform("payment_waive", actor=actor, dossier=dossier, data={"reason": reason},
                          expected_version=expected_version)


# --- consulting another agency ----------------------------------------------------------------------------


def dossier_consult(*, actor, dossier: Dossier, agency: str | Agency, question: str, due_at: datetime | None = None,
                    expected_version: int | None = None) -> Consultation:
    """Lấy ý kiến (the action ``consult``). Event ``dossier.consultation_requested``."""
    return action_perform("consult", actor=actor, dossier=dossier, data={
        "agency": agency.code if isinstance(agency, Agency) else agency, "question": question, "due_at": due_at},
        expected_version=expected_version)


def consult_apply(dossier: Dossier, *, actor, agency: str | Agency, question: str,
                  due_at: datetime | None = None) -> Consultation:
    """Lấy ý kiến: ask another agency of the province; the dossier stays at its step and the other
    agency's staff see it (and answer) in their own queue. Event ``dossier.consultation_requested``."""
    in_transaction("consult_apply")
    transition_pick(dossier, StepAction.CONSULT, None)
    target = agency if isinstance(agency, Agency) else Agency.objects.filter(
        code=str(agency or "").strip().upper(), is_active=True).first()
    if target is None or target.pk == dossier.current_agency_id:
        raise ValidationFailed("Vui lòng chọn một cơ quan khác để xin ý kiến.", code="invalid_agency")
    question = clean_text(question)
    if not question:
        raise ValidationFailed("Vui lòng nhập nội dung xin ý kiến.", code="question_required")
    if dossier.current_agency is None:  # only a dossier in processing is consulted on; it has an agency
        raise Conflict("Hồ sơ chưa có cơ quan đang xử lý.", code="dossier_state_changed")
    at = timezone.now()
    status_from = _started(dossier)
    consultation = Consultation.objects.create(dossier=dossier, from_agency=dossier.current_agency, to_agency=target,
                                               question=question, requested_by=actor, requested_at=at, due_at=due_at)
    access_grant(dossier, target)
    transition_record(
        dossier, actor=actor, action="consult", label="Xin ý kiến cơ quan liên quan", status_from=status_from, at=at,
        agency=dossier.current_agency, data={"to_agency": target.code, "consultation": consultation.pk},
        event="dossier.consultation_requested", payload={"consultation_id": consultation.pk, "to_agency": target.code},
    )
    return consultation


CONSULTED_ROLES = (Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER)


def consultations_open_for(roles: ActorContext, dossier: Dossier, consultation: int | None = None) -> list:
    """Open consultations addressed to an agency where the actor is staff (not reception)."""
    open_ones = dossier.consultations.filter(answered_at__isnull=True).select_related("to_agency")
    if consultation is not None:
        open_ones = open_ones.filter(pk=consultation)
    return [c for c in open_ones if roles.has_role(c.to_agency_id, CONSULTED_ROLES)]


def _no_consultation() -> PermissionDenied:
    return PermissionDenied("Không có yêu cầu xin ý kiến nào gửi tới cơ quan của bạn đang chờ trả lời.",
                            code="forbidden")


def consultation_answer_require(roles: ActorContext, dossier: Dossier) -> None:
    state_require(dossier, IN_PROGRESS, what="trả lời xin ý kiến")
    if not consultations_open_for(roles, dossier):
        raise _no_consultation()


def dossier_consultation_answer(*, actor, dossier: Dossier, answer: str, consultation: Consultation | int | None = None,
                                expected_version: int | None = None) -> Consultation:
    """The consulted agency's staff answer (the action ``answer_consultation``)."""
    if isinstance(consultation, Consultation):
        consultation = consultation.pk
    return action_perform("answer_consultation", actor=actor, dossier=dossier,
                          data={"answer": answer, "consultation": consultation}, expected_version=expected_version)


def consultation_answer_apply(dossier: Dossier, *, actor, roles: ActorContext, answer: str,
                              consultation: int | None = None) -> Consultation:
    """The consulted agency's staff answer (any staff role there except reception)."""
    in_transaction("consultation_answer_apply")
    mine = consultations_open_for(roles, dossier, consultation) if consultation is not None else \
        consultations_open_for(roles, dossier)
    if not mine:
        raise _no_consultation()
    answer = clean_text(answer)
    if not answer:
        raise ValidationFailed("Vui lòng nhập ý kiến trả lời.", code="answer_required")
    item = mine[0]
    at = timezone.now()
    item.answer, item.answered_by, item.answered_at = answer, actor, at
    item.save(update_fields=["answer", "answered_by", "answered_at"])
    transition_record(
        dossier, actor=actor, action="answer_consultation", label="Cơ quan liên quan đã có ý kiến",
        status_from=dossier.status, at=at, agency=item.to_agency, data={"consultation": item.pk},
        event="dossier.consultation_answered", payload={"consultation_id": item.pk, "agency": item.to_agency.code},
    )
    return item


# --- decisions and results ------------------------------------------------------------------------------


def dossier_approve(*, actor, dossier: Dossier, note: str = "", to_step: str | None = None,
                    expected_version: int | None = None) -> Dossier:
    """Phê duyệt (the action ``approve``)."""
    return action_perform("approve", actor=actor, dossier=dossier, data={"note": note, "to_step": to_step},
                          expected_version=expected_version)


def approve_apply(dossier: Dossier, *, actor, note: str = "", to_step: str | None = None) -> Dossier:
    """Phê duyệt: outcome "approved", then the next step (usually issuing the result)."""
    in_transaction("approve_apply")
    transition = transition_pick(dossier, StepAction.APPROVE, to_step)
    dossier.outcome = Outcome.APPROVED
    signed = []
    if dossier.current_step.role == Role.LEADER:  # the leader's approval is the signature (§7.3 g)
        signed = results.results_sign_personal(dossier, actor=actor, at=timezone.now())
    return _step_change(actor=actor, dossier=dossier, action="approve", transition=transition, label="Phê duyệt",
                        note=clean_text(note), data={"signatures": signed} if signed else None)


def dossier_sign(*, actor, dossier: Dossier, note: str = "", to_step: str | None = None,
                 expected_version: int | None = None) -> Dossier:
    """Ký duyệt (the action ``sign``)."""
    return action_perform("sign", actor=actor, dossier=dossier, data={"note": note, "to_step": to_step},
                          expected_version=expected_version)


def sign_apply(dossier: Dossier, *, actor, note: str = "", to_step: str | None = None) -> Dossier:
    """Ký duyệt: the actor's personal digital signature on every PDF result not signed yet (the result
    is generated from the procedure's template when there is none), then the next step.
    ``certificate_required`` without a usable personal certificate (``TINHSO_RESULT_SIGNING_REQUIRED``)."""
    in_transaction("sign_apply")
    transition = transition_pick(dossier, StepAction.SIGN, to_step)
    signed = results.results_sign_personal(dossier, actor=actor, at=timezone.now())
    return _step_change(actor=actor, dossier=dossier, action="sign", transition=transition, label="Đã ký duyệt",
                        note=clean_text(note), data={"signatures": signed} if signed else None)


def _resolve(dossier: Dossier, *, at: datetime) -> None:
    dossier.status = Status.RESOLVED
    dossier.resolved_at = at
    dossier.verdict = verdict_for(finished_at=at, due=dossier.original_due_at,
                                  supplement_count=dossier.supplement_count)


def dossier_deny(*, actor, dossier: Dossier, reason: str, to_step: str | None = None,
                 expected_version: int | None = None) -> Dossier:
    """Từ chối giải quyết (the action ``deny``)."""
    return action_perform("deny", actor=actor, dossier=dossier, data={"reason": reason, "to_step": to_step},
                          expected_version=expected_version)


def deny_apply(dossier: Dossier, *, actor, reason: str, to_step: str | None = None) -> Dossier:
    """Từ chối giải quyết with the reason: outcome "denied". When the transition ends the process the
    dossier is resolved (status 9) and waits at reception to return the answer; otherwise it goes to
    the target step (e.g. a leader's signature). Event ``dossier.resolved`` or ``dossier.step_changed``."""
    in_transaction("deny_apply")
    reason = _reason(reason, what="từ chối giải quyết")
    transition = transition_pick(dossier, StepAction.DENY, to_step)
    dossier.outcome = Outcome.DENIED
    if transition.to_step_id:
        return _step_change(actor=actor, dossier=dossier, action="deny", transition=transition,
                            label="Từ chối giải quyết", note=reason, data={"reason": reason})
    at = timezone.now()
    status_from = _started(dossier)
    acting_agency = dossier.current_agency
    from_step, closed = _move(dossier, transition=transition, actor=actor, at=at, action="deny", note=reason)
    _resolve(dossier, at=at)
    reception_enter(dossier)
    transition_record(
        dossier, actor=actor, action="deny", label="Đã xử lý xong (từ chối giải quyết)", status_from=status_from,
        at=at, note=reason, agency=acting_agency,
        data={"reason": reason}, event="dossier.resolved",
        payload={"outcome": Outcome.DENIED, "verdict": dossier.verdict, "resolved_at": at, "reason": reason,
                 **_step_payload(dossier, from_step, closed, action="deny")},
    )
    return dossier


def _result_documents_add(dossier: Dossier, *, actor, file_ids, at: datetime) -> list[DossierDocument]:
    ids = [str(i) for i in (file_ids or [])]
    files = files_owned(actor=actor, ids=ids)
    if len(files) != len(set(ids)):
        raise ValidationFailed("Không tìm thấy tệp kết quả trong các tệp bạn đã tải lên.", code="file_not_found")
    return DossierDocument.objects.bulk_create(
        DossierDocument(dossier=dossier, name=f"Kết quả giải quyết: {f.original_name}", file=f,
                        role=DossierDocument.Role.RESULT, uploaded_by=actor, uploaded_at=at)
        for f in files.values()
    )


def dossier_result_attach(*, actor, dossier: Dossier, file_ids, expected_version: int | None = None) -> Dossier:
    """Attach result documents (the action ``attach_result``)."""
    return action_perform("attach_result", actor=actor, dossier=dossier, data={"file_ids": list(file_ids or [])},
                          expected_version=expected_version)


def result_attach_apply(dossier: Dossier, *, actor, file_ids) -> Dossier:
    """Attach result documents (uploaded scans, or PDFs generated from a template and stored with
    ``core.files.file_store_generated`` by the caller) before the result is issued."""
    in_transaction("result_attach_apply")
    if not file_ids:
        raise ValidationFailed("Vui lòng chọn tệp kết quả.", code="result_required")
    at = timezone.now()
    status_from = _started(dossier)
    added = _result_documents_add(dossier, actor=actor, file_ids=file_ids, at=at)
    transition_record(dossier, actor=actor, action="attach_result", label="Đính kèm kết quả giải quyết",
                      status_from=status_from, at=at, public=False, agency=dossier.current_agency,
                      data={"documents": [d.pk for d in added]})
    return dossier


RESULT_STEP_ACTIONS = (StepAction.SIGN, StepAction.APPROVE, StepAction.ISSUE_RESULT)


def step_makes_result(transitions) -> bool:
    """A step that signs, approves or issues is where the result document is drawn up or attached."""
    return any(t.action in RESULT_STEP_ACTIONS for t in transitions)


def result_missing(dossier: Dossier) -> bool:
    return not dossier.documents.filter(role=DossierDocument.Role.RESULT).exists()


def dossier_result_generate(*, actor, dossier: Dossier, expected_version: int | None = None) -> DossierDocument:
    """Lập kết quả từ mẫu (the action ``generate_result``)."""
    return action_perform("generate_result", actor=actor, dossier=dossier, data={},
                          expected_version=expected_version)


def result_generate_step_apply(dossier: Dossier, *, actor) -> DossierDocument:
    """Lập kết quả từ mẫu: render the procedure's result template (``dossiers/results/``) with the
    dossier's data for the agency holding it and attach it, at a step that signs, approves or issues,
    while the dossier has no result yet (``result_already_attached``)."""
    in_transaction("result_generate_step_apply")
    at = timezone.now()
    status_from = _started(dossier)
    document = results.result_generate_apply(dossier, actor=actor, at=at)
    transition_record(dossier, actor=actor, action="generate_result", label="Lập văn bản kết quả từ mẫu",
                      status_from=status_from, at=at, public=False, agency=dossier.current_agency,
                      data={"documents": [document.pk]})
    return document


def dossier_issue_result(*, actor, dossier: Dossier, file_ids=(), note: str = "", to_step: str | None = None,
                         expected_version: int | None = None) -> Dossier:
    """Ban hành kết quả (the action ``issue_result``)."""
    return action_perform("issue_result", actor=actor, dossier=dossier,
                          data={"file_ids": list(file_ids or []), "note": note, "to_step": to_step},
                          expected_version=expected_version)


def issue_result_apply(dossier: Dossier, *, actor, file_ids=(), note: str = "", to_step: str | None = None) -> Dossier:
    """Ban hành kết quả: the result (attached now or before) is issued; status "Đã xử lý xong" (9),
    ``resolved_at`` and the on-time verdict are set; the dossier goes to the return step, or to the
    receiving agency's reception desk. Events ``dossier.resolved`` and ``dossier.result_issued``."""
    in_transaction("issue_result_apply")
    transition = transition_pick(dossier, StepAction.ISSUE_RESULT, to_step)
    at = timezone.now()
    if file_ids:
        _result_documents_add(dossier, actor=actor, file_ids=file_ids, at=at)
    documents = list(dossier.documents.filter(role=DossierDocument.Role.RESULT).values_list("pk", flat=True))
    if not documents and dossier.outcome != Outcome.DENIED:
        raise ValidationFailed("Vui lòng đính kèm văn bản kết quả giải quyết trước khi ban hành.",
                               code="result_required")
    signed = results.results_seal(dossier, actor=actor, at=at,
                                  decider=dossier.current_step.role in results.DECIDER_ROLES)
    status_from = _started(dossier)
    if not dossier.outcome:
        dossier.outcome = Outcome.APPROVED
    acting_agency = dossier.current_agency
    from_step, closed = _move(dossier, transition=transition, actor=actor, at=at, action="issue_result",
                              note=clean_text(note))
    _resolve(dossier, at=at)
    if not transition.to_step_id:
        reception_enter(dossier)
    transition_record(
        dossier, actor=actor, action="issue_result", label="Đã xử lý xong", status_from=status_from, at=at,
        note=clean_text(note), agency=acting_agency,
        data={"result_documents": documents, **({"signatures": signed} if signed else {})},
        event="dossier.resolved",
        payload={"outcome": dossier.outcome, "verdict": dossier.verdict, "resolved_at": at,
                 **_step_payload(dossier, from_step, closed, action="issue_result")},
    )
    event_also(dossier, name="dossier.result_issued", at=at, payload={"result_document_ids": documents})
    return dossier


def return_result_allowed(context: ActorContext, dossier: Dossier, transitions=None) -> bool:
    """At a step offering "return result": that step's actor; otherwise reception of the receiving agency.
    ``transitions``: the current step's, when the caller has them already."""
    if dossier.current_step_id is not None:
        if transitions is None:
            transitions = step_transitions(dossier.current_step)
        offers = any(t.action == StepAction.RETURN_RESULT for t in transitions)
        return offers and may_act_on_step(context, dossier)
    return is_reception(context, dossier)


def return_result_require(roles: ActorContext, dossier: Dossier, transitions=None) -> None:
    refused = PermissionDenied("Chỉ Bộ phận Một cửa (hoặc cán bộ ở bước trả kết quả) mới được trả kết quả.",
                               code="forbidden")
    if not (is_reception(roles, dossier) or may_act_on_step(roles, dossier)):
        raise refused
    state_require(dossier, {Status.RESOLVED}, what="trả kết quả")
    if not return_result_allowed(roles, dossier, transitions):
        raise refused


def dossier_return_result(*, actor, dossier: Dossier, method: str, note: str = "",
                          expected_version: int | None = None) -> Dossier:
    """Trả kết quả (the action ``return_result``). Event ``dossier.returned``."""
    return action_perform("return_result", actor=actor, dossier=dossier, data={"method": method, "note": note},
                          expected_version=expected_version)


def return_result_apply(dossier: Dossier, *, actor, method: str, note: str = "") -> Dossier:
    """Trả kết quả: at the counter, by post or electronically (the applicant downloads it); status 10."""
    in_transaction("return_result_apply")
    if method not in ReturnMethod.values:
        raise ValidationFailed("Hình thức trả kết quả phải là counter, post hoặc electronic.",
                               code="invalid_return_method")
    if method == ReturnMethod.ELECTRONIC and not dossier.documents.filter(role=DossierDocument.Role.RESULT).exists():
        raise ValidationFailed("Hồ sơ chưa có bản điện tử của kết quả để trả trực tuyến.", code="result_required")
    at = timezone.now()
    status_from = dossier.status
    dossier.status = Status.RETURNED
    dossier.returned_at = at
    dossier.return_method = method
    handover_close(dossier, at=at, action="return_result", by=actor, note=clean_text(note))
    queue_leave(dossier)
    transition_record(
        dossier, actor=actor, action="return_result", label="Đã trả kết quả", status_from=status_from, at=at,
        note=clean_text(note), agency=dossier.receiving_agency, data={"method": method},
        event="dossier.returned", payload={"method": method, "returned_at": at, "by": actor_label(actor)},
    )
    return dossier
