"""Actions at a process step (DESIGN §5.2): move between steps, assign, ask for payment, consult
another agency, approve, sign, deny — each follows a transition the step offers — and the actions
that answer a stopped clock (payment settled) or another agency's question."""

from __future__ import annotations

import dataclasses

from pydantic import Field

from tinhso.catalog.choices import StepAction
from tinhso.core.actions import ActionInput, FieldSpec
from tinhso.dossiers.actions.base import (
    Amount,
    DossierAction,
    DossierContext,
    Moment,
    StepDossierAction,
    StepNoteInput,
    Text,
    note_field,
    reason_field,
    to_step_field,
)
from tinhso.dossiers.models import DossierPayment
from tinhso.dossiers.services import processing
from tinhso.dossiers.services.engine import step_agency
from tinhso.org.models import Membership


class Forward(StepDossierAction):
    name = "forward"
    label = "Chuyển bước tiếp theo"
    step_action = StepAction.FORWARD
    what = "chuyển bước"
    Input = StepNoteInput

    def execute(self, context: DossierContext, data: StepNoteInput):
        return processing.forward_apply(context.dossier, actor=context.actor, to_step=data.to_step, note=data.note)


class Assign(StepDossierAction):
    name = "assign"
    label = "Phân công"
    step_action = StepAction.ASSIGN
    what = "phân công"

    class Input(ActionInput):
        to_step: str | None = to_step_field()
        assignee: Text | int | None = Field(None, title="Cán bộ được phân công", description="Tên đăng nhập (hoặc id)",
                                            json_schema_extra={"widget": "user", "form_required": True})
        note: Text = note_field()

    def fields(self, context: DossierContext) -> list[FieldSpec]:
        """The staff who may take the target step are the choices, when there is one target."""
        options = self._options(context)
        choices = None
        if len(options) == 1:
            target = options[0].to_step or context.dossier.current_step
            agency = step_agency(context.dossier, target)
            members = Membership.objects.filter(
                agency=agency, role=target.role, is_active=True, user__is_active=True,
            ).select_related("user").order_by("user__full_name")
            choices = [{"value": m.user.username, "label": m.user.display_name} for m in members]
        return [dataclasses.replace(spec, choices=choices) if spec.name == "assignee" else spec
                for spec in super().fields(context)]

    def execute(self, context: DossierContext, data: Input):
        return processing.assign_apply(context.dossier, actor=context.actor, assignee=data.assignee,
                                       to_step=data.to_step, note=data.note)


class SendBack(StepDossierAction):
    name = "send_back"
    label = "Trả lại bước trước"
    step_action = StepAction.SEND_BACK
    what = "trả lại bước trước"

    class Input(ActionInput):
        to_step: str | None = to_step_field()
        reason: Text = reason_field("Lý do trả lại")

    def execute(self, context: DossierContext, data: Input):
        return processing.send_back_apply(context.dossier, actor=context.actor, reason=data.reason,
                                          to_step=data.to_step)


class RequestPayment(StepDossierAction):
    name = "request_payment"
    label = "Yêu cầu thực hiện nghĩa vụ tài chính"
    step_action = StepAction.REQUEST_PAYMENT
    what = "yêu cầu nộp phí"

    class Input(ActionInput):
        to_step: str | None = to_step_field()
        amount: Amount = Field(None, title="Số tiền (đồng), để trống: theo mức phí của thủ tục",
                               json_schema_extra={"widget": "decimal"})
        note: Text = note_field()

    def execute(self, context: DossierContext, data: Input):
        return processing.payment_request_apply(context.dossier, actor=context.actor, amount=data.amount,
                                                note=data.note, to_step=data.to_step)


class Consult(StepDossierAction):
    name = "consult"
    label = "Xin ý kiến cơ quan liên quan"
    step_action = StepAction.CONSULT
    what = "xin ý kiến"

    class Input(ActionInput):
        to_step: str | None = to_step_field()
        agency: Text = Field("", title="Cơ quan được xin ý kiến", description="Mã định danh của cơ quan",
                             json_schema_extra={"widget": "agency", "form_required": True})
        question: Text = Field("", title="Nội dung xin ý kiến", json_schema_extra={
            "widget": "textarea", "form_required": True})
        due_at: Moment = Field(None, title="Hạn trả lời", json_schema_extra={"widget": "datetime"})

    def execute(self, context: DossierContext, data: Input):
        return processing.consult_apply(context.dossier, actor=context.actor, agency=data.agency,
                                        question=data.question, due_at=data.due_at)


class Approve(StepDossierAction):
    name = "approve"
    label = "Phê duyệt"
    step_action = StepAction.APPROVE
    what = "phê duyệt"
    Input = StepNoteInput

    def execute(self, context: DossierContext, data: StepNoteInput):
        return processing.approve_apply(context.dossier, actor=context.actor, note=data.note, to_step=data.to_step)


class Sign(StepDossierAction):
    name = "sign"
    label = "Ký duyệt"
    step_action = StepAction.SIGN
    what = "ký"
    Input = StepNoteInput

    def execute(self, context: DossierContext, data: StepNoteInput):
        return processing.sign_apply(context.dossier, actor=context.actor, note=data.note, to_step=data.to_step)


class Deny(StepDossierAction):
    name = "deny"
    label = "Từ chối giải quyết"
    step_action = StepAction.DENY
    what = "từ chối giải quyết"

    class Input(ActionInput):
        to_step: str | None = to_step_field()
        reason: Text = reason_field("Lý do từ chối giải quyết")

    def execute(self, context: DossierContext, data: Input):
        return processing.deny_apply(context.dossier, actor=context.actor, reason=data.reason, to_step=data.to_step)


class PaymentConfirm(DossierAction):
    name = "payment_confirm"
    label = "Xác nhận đã nộp phí, lệ phí"

    class Input(ActionInput):
        reference: Text = Field("", title="Số biên lai, mã giao dịch")

    def check(self, context: DossierContext) -> None:
        processing.payment_settle_require(context.roles, context.dossier)

    def execute(self, context: DossierContext, data: Input):
        return processing.payment_settle_apply(context.dossier, actor=context.actor, state=DossierPayment.State.PAID,
                                               reference=data.reference)


class PaymentWaive(DossierAction):
    name = "payment_waive"
    label = "Miễn, giảm phí, lệ phí"

    class Input(ActionInput):
        reason: Text = reason_field("Lý do miễn, giảm")

    def check(self, context: DossierContext) -> None:
        processing.payment_settle_require(context.roles, context.dossier)

    def execute(self, context: DossierContext, data: Input):
        return processing.payment_settle_apply(context.dossier, actor=context.actor,
                                               state=DossierPayment.State.WAIVED, reason=data.reason)


class AnswerConsultation(DossierAction):
    name = "answer_consultation"
    label = "Trả lời xin ý kiến"

    class Input(ActionInput):
        answer: Text = Field("", title="Ý kiến", json_schema_extra={"widget": "textarea", "form_required": True})
        consultation: int | None = Field(None, title="Yêu cầu xin ý kiến",
                                         description="id của yêu cầu; để trống: yêu cầu đầu tiên gửi tới cơ quan",
                                         json_schema_extra={"hidden": True})

    def check(self, context: DossierContext) -> None:
        processing.consultation_answer_require(context.roles, context.dossier)

    def execute(self, context: DossierContext, data: Input):
        return processing.consultation_answer_apply(context.dossier, actor=context.actor, roles=context.roles,
                                                    answer=data.answer, consultation=data.consultation)
