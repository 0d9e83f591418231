"""Actions on the result: draw it up from the template, attach a file, issue it (the agency's seal)
and return it to the applicant (docs/dossiers.md "Signing in the one-stop shop")."""

from __future__ import annotations

from pydantic import Field

from tinhso.catalog.choices import StepAction
from tinhso.core.actions import ActionInput
from tinhso.core.errors import Conflict
from tinhso.dossiers.actions.base import (
    DossierAction,
    DossierContext,
    Ids,
    StepDossierAction,
    Text,
    note_field,
    to_step_field,
)
from tinhso.dossiers.permissions import step_require
from tinhso.dossiers.services import processing
from tinhso.dossiers.services.common import state_require
from tinhso.dossiers.status import ReturnMethod


def result_step_check(context: DossierContext, *, what: str, refusal: str) -> None:
    """At a step of the actor's that signs, approves or issues: where the result is drawn up."""
    state_require(context.dossier, processing.STEP_STATES, what=what)
    step_require(context.roles, context.dossier)
    if not processing.step_makes_result(context.transitions):
        raise Conflict(refusal, code="action_not_available")


class GenerateResult(DossierAction):
    name = "generate_result"
    label = "Lập văn bản kết quả từ mẫu"

    def check(self, context: DossierContext) -> None:
        result_step_check(context, what="lập kết quả", refusal="Bước này không lập văn bản kết quả.")
        if not processing.result_missing(context.dossier):
            raise Conflict("Hồ sơ đã có văn bản kết quả.", code="result_already_attached")

    def execute(self, context: DossierContext, data: ActionInput):
        return processing.result_generate_step_apply(context.dossier, actor=context.actor)


class AttachResult(DossierAction):
    name = "attach_result"
    label = "Đính kèm kết quả"

    class Input(ActionInput):
        file_ids: Ids = Field(default_factory=list, title="Tệp kết quả", json_schema_extra={
            "widget": "file_ids", "form_required": True})

    def check(self, context: DossierContext) -> None:
        result_step_check(context, what="đính kèm kết quả", refusal="Bước này không đính kèm văn bản kết quả.")

    def execute(self, context: DossierContext, data: Input):
        return processing.result_attach_apply(context.dossier, actor=context.actor, file_ids=data.file_ids)


class IssueResult(StepDossierAction):
    name = "issue_result"
    label = "Ban hành kết quả"
    step_action = StepAction.ISSUE_RESULT
    what = "ban hành kết quả"

    class Input(ActionInput):
        to_step: str | None = to_step_field()
        file_ids: Ids = Field(default_factory=list, title="Tệp kết quả (nếu chưa đính kèm)",
                              json_schema_extra={"widget": "file_ids"})
        note: Text = note_field()

    def execute(self, context: DossierContext, data: Input):
        return processing.issue_result_apply(context.dossier, actor=context.actor, file_ids=data.file_ids,
                                             note=data.note, to_step=data.to_step)


class ReturnResult(DossierAction):
    name = "return_result"
    label = "Trả kết quả"

    class Input(ActionInput):
        method: Text = Field("", title="Hình thức trả", description="counter, post hoặc electronic",
                             json_schema_extra={"widget": "choice", "form_required": True, "choices": [
                                 {"value": v, "label": str(lbl)} for v, lbl in ReturnMethod.choices]})
        note: Text = note_field()

    def check(self, context: DossierContext) -> None:
        transitions = context.transitions if context.dossier.current_step_id else []
        processing.return_result_require(context.roles, context.dossier, transitions)

    def execute(self, context: DossierContext, data: Input):
        return processing.return_result_apply(context.dossier, actor=context.actor, method=data.method,
                                              note=data.note)
