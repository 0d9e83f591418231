"""Decisions outside the process graph: the apology with a new appointment (Mẫu 04), stopping
(status 8) and the applicant's withdrawal (status 7). Rules in ``services/lifecycle.py``."""

from __future__ import annotations

from pydantic import Field

from tinhso.core.actions import ActionInput
from tinhso.dossiers.actions.base import DossierAction, DossierContext, Moment, Text, reason_field
from tinhso.dossiers.services import lifecycle


class IssueApology(DossierAction):
    name = "issue_apology"
    label = "Xin lỗi, hẹn lại ngày trả kết quả"

    class Input(ActionInput):
        reason: Text = reason_field("Lý do chậm")
        new_due_at: Moment = Field(None, title="Ngày hẹn trả mới", json_schema_extra={
            "widget": "datetime", "form_required": True})

    def check(self, context: DossierContext) -> None:
        lifecycle.apology_require(context.roles, context.dossier)

    def execute(self, context: DossierContext, data: Input):
        return lifecycle.apology_apply(context.dossier, actor=context.actor, reason=data.reason,
                                       new_due_at=data.new_due_at)


class Stop(DossierAction):
    name = "stop"
    label = "Dừng xử lý hồ sơ"

    class Input(ActionInput):
        reason: Text = reason_field("Lý do dừng xử lý")

    def check(self, context: DossierContext) -> None:
        lifecycle.stop_require(context.roles, context.dossier)

    def execute(self, context: DossierContext, data: Input):
        return lifecycle.stop_apply(context.dossier, actor=context.actor, reason=data.reason)


class Withdraw(DossierAction):
    name = "withdraw"
    label = "Rút hồ sơ"

    class Input(ActionInput):
        reason: Text = reason_field("Lý do rút hồ sơ")

    def check(self, context: DossierContext) -> None:
        lifecycle.withdraw_require(context.roles, context.dossier)

    def execute(self, context: DossierContext, data: Input):
        return lifecycle.withdraw_apply(context.dossier, actor=context.actor, reason=data.reason)
