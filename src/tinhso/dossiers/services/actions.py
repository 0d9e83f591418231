"""The one place that says what a user may do with a dossier now, and performs it by name.

``dossier_available_actions`` lists the actions (name, Vietnamese label, fields to fill); the API
(``available_actions`` of ``GET /api/v1/dossiers/{code}``) and the staff and citizen pages render
exactly this list, and ``POST …/actions/{name}`` goes through ``dossier_action_perform``. The
availability tests use the same predicates the services enforce, and each service re-checks them
under the row lock, so a stale button can never do what the list no longer offers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import datetime

from django.utils import timezone
from django.utils.dateparse import parse_datetime

from tinhso.catalog.choices import StepAction
from tinhso.core.errors import NotFound, ValidationFailed
from tinhso.dossiers.models import Dossier, DossierDocument, FormIssue, SupplementRequest
from tinhso.dossiers.permissions import (
    ActorContext,
    actor_context,
    acts_for_applicant,
    is_owner,
    is_reception,
    may_act_on_step,
)
from tinhso.dossiers.services import lifecycle, processing, reception
from tinhso.dossiers.services.engine import step_agency, step_transitions
from tinhso.dossiers.status import IN_PROGRESS, ReturnMethod, Status
from tinhso.org.models import Membership
from tinhso.org.roles import Role


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str  # text, textarea, datetime, decimal, choice, user, agency, file_ids, documents, supplement_items
    required: bool
    label: str
    choices: list[dict] | None = None


@dataclass(frozen=True)
class ActionSpec:
    name: str
    label: str
    fields: list[FieldSpec] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


NOTE = FieldSpec("note", "textarea", False, "Ghi chú")
EXPECTED = "expected_version"


def _reason(label: str = "Lý do") -> FieldSpec:
    return FieldSpec("reason", "textarea", True, label)


# --- availability ---------------------------------------------------------------------------------


@dataclass
class _Now:
    """What the checks need, loaded once per call."""

    context: ActorContext
    dossier: Dossier
    transitions: list


def _step_spec(now: _Now, action: str, label: str, extra: list[FieldSpec]) -> ActionSpec | None:
    options = [t for t in now.transitions if t.action == action]
    if not options:
        return None
    fields = list(extra)
    targets = {(t.to_step.code if t.to_step_id else "end"): (t.to_step.name if t.to_step_id else "Kết thúc")
               for t in options}
    if len(targets) > 1:
        fields.insert(0, FieldSpec("to_step", "choice", True, "Chuyển tới bước",
                                   [{"value": code, "label": name} for code, name in targets.items()]))
    custom = next((t.label for t in options if t.label), "")
    return ActionSpec(action, custom or label, fields)


def _assign_spec(now: _Now) -> ActionSpec | None:
    spec = _step_spec(now, StepAction.ASSIGN, "Phân công", [NOTE])
    if spec is None:
        return None
    options = [t for t in now.transitions if t.action == StepAction.ASSIGN]
    choices = None
    if len(options) == 1:
        target = options[0].to_step or now.dossier.current_step
        agency = step_agency(now.dossier, target)
        members = Membership.objects.filter(agency=agency, role=target.role, is_active=True,
                                            user__is_active=True).select_related("user").order_by("user__full_name")
        choices = [{"value": m.user.username, "label": m.user.display_name} for m in members]
    return ActionSpec(spec.name, spec.label, [*spec.fields[:-1], FieldSpec("assignee", "user", True,
                                                                            "Cán bộ được phân công", choices), NOTE])


def dossier_available_actions(*, actor, dossier: Dossier) -> list[ActionSpec]:
    """What ``actor`` may do with ``dossier`` now, in display order. Two or three queries."""
    if not getattr(actor, "is_authenticated", False):
        return []
    context = actor_context(actor)
    status = dossier.status
    now = _Now(context=context, dossier=dossier, transitions=[])
    specs: list[ActionSpec | None] = []
    reception_here = is_reception(context, dossier)
    owner = is_owner(context, dossier)

    if status == Status.SUBMITTED and reception_here:
        specs.append(ActionSpec("receive", "Tiếp nhận hồ sơ", [NOTE]))
        if reception.supplement_request_allowed(dossier):
            specs.append(ActionSpec("request_supplement", "Yêu cầu bổ sung hồ sơ", [
                FieldSpec("items", "supplement_items", True, "Giấy tờ, nội dung cần bổ sung"),
                _reason("Lý do yêu cầu bổ sung")]))
        specs.append(ActionSpec("refuse", "Từ chối tiếp nhận", [_reason("Lý do từ chối tiếp nhận")]))

    if status == Status.SUPPLEMENT_REQUESTED and (owner or (reception_here and acts_for_applicant(dossier))):
        specs.append(ActionSpec("submit_supplement", "Nộp bổ sung giấy tờ", [
            FieldSpec("documents", "documents", True, "Giấy tờ bổ sung"), NOTE]))

    at_step = status in processing.STEP_STATES and may_act_on_step(context, dossier)
    if at_step:
        now.transitions = step_transitions(dossier.current_step)
        specs += [
            _step_spec(now, StepAction.FORWARD, "Chuyển bước tiếp theo", [NOTE]),
            _assign_spec(now),
            _step_spec(now, StepAction.SEND_BACK, "Trả lại bước trước", [_reason("Lý do trả lại")]),
            _step_spec(now, StepAction.REQUEST_SUPPLEMENT, "Yêu cầu bổ sung hồ sơ", [
                FieldSpec("items", "supplement_items", True, "Giấy tờ, nội dung cần bổ sung"),
                _reason("Lý do yêu cầu bổ sung")]) if reception.supplement_request_allowed(dossier) else None,
            _step_spec(now, StepAction.REQUEST_PAYMENT, "Yêu cầu thực hiện nghĩa vụ tài chính", [
                FieldSpec("amount", "decimal", False, "Số tiền (đồng), để trống: theo mức phí của thủ tục"), NOTE]),
            _step_spec(now, StepAction.CONSULT, "Xin ý kiến cơ quan liên quan", [
                FieldSpec("agency", "agency", True, "Cơ quan được xin ý kiến"),
                FieldSpec("question", "textarea", True, "Nội dung xin ý kiến"),
                FieldSpec("due_at", "datetime", False, "Hạn trả lời")]),
            _step_spec(now, StepAction.APPROVE, "Phê duyệt", [NOTE]),
            _step_spec(now, StepAction.SIGN, "Ký duyệt", [NOTE]),
            _step_spec(now, StepAction.DENY, "Từ chối giải quyết", [_reason("Lý do từ chối giải quyết")]),
        ]
        if any(t.action in processing.RESULT_STEP_ACTIONS for t in now.transitions):
            if not dossier.documents.filter(role=DossierDocument.Role.RESULT).exists():
                specs.append(ActionSpec("generate_result", "Lập văn bản kết quả từ mẫu", []))
            specs.append(ActionSpec("attach_result", "Đính kèm kết quả", [
                FieldSpec("file_ids", "file_ids", True, "Tệp kết quả")]))
        specs.append(_step_spec(now, StepAction.ISSUE_RESULT, "Ban hành kết quả", [
            FieldSpec("file_ids", "file_ids", False, "Tệp kết quả (nếu chưa đính kèm)"), NOTE]))

    if status == Status.PAYMENT_REQUESTED and (reception_here or may_act_on_step(context, dossier)):
        specs.append(ActionSpec("payment_confirm", "Xác nhận đã nộp phí, lệ phí", [
            FieldSpec("reference", "text", False, "Số biên lai, mã giao dịch")]))
        specs.append(ActionSpec("payment_waive", "Miễn, giảm phí, lệ phí", [_reason("Lý do miễn, giảm")]))

    if status in IN_PROGRESS and dossier.consultations.filter(answered_at__isnull=True).exists():
        open_for = dossier.consultations.filter(answered_at__isnull=True).values_list("to_agency_id", flat=True)
        if any(context.has_role(a, (Role.SPECIALIST, Role.UNIT_HEAD, Role.LEADER)) for a in open_for):
            specs.append(ActionSpec("answer_consultation", "Trả lời xin ý kiến", [
                FieldSpec("answer", "textarea", True, "Ý kiến")]))

    if status == Status.RESOLVED and processing.return_result_allowed(context, dossier):
        specs.append(ActionSpec("return_result", "Trả kết quả", [
            FieldSpec("method", "choice", True, "Hình thức trả",
                      [{"value": v, "label": str(lbl)} for v, lbl in ReturnMethod.choices]), NOTE]))

    if status in IN_PROGRESS and lifecycle.apology_allowed(context, dossier) \
            and lifecycle.apology_in_time(dossier, now=timezone.now()) \
            and not dossier.forms.filter(kind=FormIssue.Kind.APOLOGY).exists():
        specs.append(ActionSpec("issue_apology", "Xin lỗi, hẹn lại ngày trả kết quả", [
            _reason("Lý do chậm"), FieldSpec("new_due_at", "datetime", True, "Ngày hẹn trả mới")]))
    if status in IN_PROGRESS and lifecycle.stop_allowed(context, dossier):
        specs.append(ActionSpec("stop", "Dừng xử lý hồ sơ", [_reason("Lý do dừng xử lý")]))
    if status in lifecycle.WITHDRAWABLE and lifecycle.withdraw_allowed(context, dossier):
        specs.append(ActionSpec("withdraw", "Rút hồ sơ", [_reason("Lý do rút hồ sơ")]))
    return [spec for spec in specs if spec is not None]


# --- performing by name ---------------------------------------------------------------------------


def _datetime(value, *, field_name: str) -> datetime | None:
    if value in (None, ""):
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
    if parsed is None:
        raise ValidationFailed(f"“{field_name}” phải là thời điểm ISO 8601, ví dụ 2026-03-09T10:00:00+07:00.",
                               code="invalid_datetime")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _version(data: dict) -> int | None:
    value = data.get(EXPECTED)
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise ValidationFailed("expected_version phải là số nguyên.", code="invalid_input") from None


def dossier_request_supplement(*, actor, dossier: Dossier, items, reason: str, to_step: str | None = None,
                               expected_version: int | None = None) -> SupplementRequest:
    """Request a supplement: at reception (once, Mẫu 02) while the dossier is new, during processing
    (clock stops) once it is at a process step."""
    status = Dossier.objects.filter(pk=dossier.pk).values_list("status", flat=True).first()
    if status == Status.SUBMITTED:
        return reception.dossier_request_supplement_at_reception(
            actor=actor, dossier=dossier, items=items, reason=reason, expected_version=expected_version)
    return processing.dossier_request_supplement_in_processing(
        actor=actor, dossier=dossier, items=items, reason=reason, to_step=to_step, expected_version=expected_version)


PERFORMERS: dict[str, Callable[[object, Dossier, dict, int | None], object]] = {
    "receive": lambda a, d, b, v: reception.dossier_receive(actor=a, dossier=d, note=b.get("note", ""),
                                                            expected_version=v),
    "request_supplement": lambda a, d, b, v: dossier_request_supplement(
        actor=a, dossier=d, items=b.get("items"), reason=b.get("reason", ""), to_step=b.get("to_step"),
        expected_version=v),
    "refuse": lambda a, d, b, v: reception.dossier_refuse(actor=a, dossier=d, reason=b.get("reason", ""),
                                                          expected_version=v),
    "submit_supplement": lambda a, d, b, v: reception.dossier_submit_supplement(
        actor=a, dossier=d, documents=b.get("documents") or [], note=b.get("note", ""), expected_version=v),
    "forward": lambda a, d, b, v: processing.dossier_forward(actor=a, dossier=d, to_step=b.get("to_step"),
                                                             note=b.get("note", ""), expected_version=v),
    "send_back": lambda a, d, b, v: processing.dossier_send_back(actor=a, dossier=d, reason=b.get("reason", ""),
                                                                 to_step=b.get("to_step"), expected_version=v),
    "assign": lambda a, d, b, v: processing.dossier_assign(actor=a, dossier=d, assignee=b.get("assignee"),
                                                           to_step=b.get("to_step"), note=b.get("note", ""),
                                                           expected_version=v),
    "request_payment": lambda a, d, b, v: processing.dossier_request_payment(
        actor=a, dossier=d, amount=b.get("amount"), note=b.get("note", ""), to_step=b.get("to_step"),
        expected_version=v),
    "payment_confirm": lambda a, d, b, v: processing.dossier_payment_confirm(
        actor=a, dossier=d, reference=b.get("reference", ""), expected_version=v),
    "payment_waive": lambda a, d, b, v: processing.dossier_payment_waive(actor=a, dossier=d,
                                                                         reason=b.get("reason", ""),
                                                                         expected_version=v),
    "consult": lambda a, d, b, v: processing.dossier_consult(
        actor=a, dossier=d, agency=b.get("agency"), question=b.get("question", ""),
        due_at=_datetime(b.get("due_at"), field_name="due_at"), expected_version=v),
    "answer_consultation": lambda a, d, b, v: processing.dossier_consultation_answer(
        actor=a, dossier=d, answer=b.get("answer", ""), consultation=b.get("consultation"), expected_version=v),
    "approve": lambda a, d, b, v: processing.dossier_approve(actor=a, dossier=d, note=b.get("note", ""),
                                                             to_step=b.get("to_step"), expected_version=v),
    "sign": lambda a, d, b, v: processing.dossier_sign(actor=a, dossier=d, note=b.get("note", ""),
                                                       to_step=b.get("to_step"), expected_version=v),
    "deny": lambda a, d, b, v: processing.dossier_deny(actor=a, dossier=d, reason=b.get("reason", ""),
                                                       to_step=b.get("to_step"), expected_version=v),
    "attach_result": lambda a, d, b, v: processing.dossier_result_attach(actor=a, dossier=d,
                                                                         file_ids=b.get("file_ids") or [],
                                                                         expected_version=v),
    "generate_result": lambda a, d, b, v: processing.dossier_result_generate(actor=a, dossier=d,
                                                                            expected_version=v),
    "issue_result": lambda a, d, b, v: processing.dossier_issue_result(
        actor=a, dossier=d, file_ids=b.get("file_ids") or [], note=b.get("note", ""), to_step=b.get("to_step"),
        expected_version=v),
    "return_result": lambda a, d, b, v: processing.dossier_return_result(
        actor=a, dossier=d, method=b.get("method", ""), note=b.get("note", ""), expected_version=v),
    "withdraw": lambda a, d, b, v: lifecycle.dossier_withdraw(actor=a, dossier=d, reason=b.get("reason", ""),
                                                              expected_version=v),
    "stop": lambda a, d, b, v: lifecycle.dossier_stop(actor=a, dossier=d, reason=b.get("reason", ""),
                                                      expected_version=v),
    "issue_apology": lambda a, d, b, v: lifecycle.dossier_issue_apology(
        actor=a, dossier=d, reason=b.get("reason", ""),
        new_due_at=_datetime(b.get("new_due_at"), field_name="new_due_at"), expected_version=v),
}
ACTION_NAMES = tuple(PERFORMERS)


def dossier_action_perform(*, actor, dossier: Dossier, action: str, data: dict | None = None,
                           expected_version: int | None = None):
    """Perform ``action`` (a name from ``dossier_available_actions``) with the body ``data``.

    ``expected_version`` (or ``data["expected_version"]``) makes a stale call fail with 409
    ``dossier_state_changed`` instead of acting on a state the caller did not see. Returns what
    the service returned (the dossier, or the supplement request, payment, form, consultation).
    """
    performer = PERFORMERS.get(action)
    if performer is None:
        raise NotFound(f"Không có thao tác “{action}”.", code="action_not_found")
    data = dict(data or {})
    version = expected_version if expected_version is not None else _version(data)
    return performer(actor, dossier, data, version)


__all__ = [
    "ACTION_NAMES",
    "ActionSpec",
    "FieldSpec",
    "dossier_action_perform",
    "dossier_available_actions",
    "dossier_request_supplement",
]
