"""Reception's actions (vn-standards §4.3): receive (Mẫu 01), ask for a supplement (Mẫu 02), refuse
(Mẫu 03), and the applicant's supplement. The rules are the named ``*_require`` functions of
``services/reception.py``; the work is its ``*_apply`` helpers."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field

from tinhso.catalog.choices import StepAction
from tinhso.core.actions import ActionInput
from tinhso.core.text import clean_text
from tinhso.dossiers.actions.base import (
    DossierAction,
    DossierContext,
    StepDossierAction,
    Text,
    note_field,
    reason_field,
    step_check,
    to_step_field,
)
from tinhso.dossiers.services import processing, reception
from tinhso.dossiers.status import Status


class Receive(DossierAction):
    name = "receive"
    label = "Tiếp nhận hồ sơ"

    class Input(ActionInput):
        note: Text = note_field()

    def check(self, context: DossierContext) -> None:
        reception.receive_require(context.roles, context.dossier)

    def execute(self, context: DossierContext, data: Input):
        reception.receive_apply(context.dossier, actor=context.actor, at=timezone.now(), note=clean_text(data.note))
        return context.dossier


class SupplementItem(BaseModel):
    """One paper or piece of content to supplement: a component of the procedure (its code or id)
    and/or a name, and why."""

    model_config = ConfigDict(extra="allow")

    required_document: Text | None = Field(None, title="Mã thành phần hồ sơ")
    name: Text = Field("", title="Tên giấy tờ, nội dung")
    reason: Text = Field("", title="Lý do")


class RequestSupplement(StepDossierAction):
    """At reception (once, the clock not started) or at a process step offering it (the clock stops)."""

    name = "request_supplement"
    label = "Yêu cầu bổ sung hồ sơ"
    step_action = StepAction.REQUEST_SUPPLEMENT
    what = "yêu cầu bổ sung"

    class Input(ActionInput):
        to_step: str | None = to_step_field()
        items: list[SupplementItem | Text] | None = Field(None, title="Giấy tờ, nội dung cần bổ sung", json_schema_extra={
            "widget": "supplement_items", "form_required": True})
        reason: Text = reason_field("Lý do yêu cầu bổ sung")

    def position(self, context: DossierContext, index: int) -> float:
        # Next to "receive" at reception; after "send back" at a process step.
        if context.dossier.status == Status.SUBMITTED:
            return index
        return _after("send_back", index)

    def check(self, context: DossierContext) -> None:
        if context.dossier.status == Status.SUBMITTED:
            reception.supplement_at_reception_require(context.roles, context.dossier)
        else:
            step_check(context, self.step_action, what=self.what)
            reception.supplement_request_require(context.dossier)  # one count with reception's

    def execute(self, context: DossierContext, data: Input):
        items: list[Any] | None = None if data.items is None else [
            item.model_dump(exclude_none=True) if isinstance(item, BaseModel) else item for item in data.items]
        if context.dossier.status == Status.SUBMITTED:
            return reception.supplement_at_reception_apply(context.dossier, actor=context.actor, items=items,
                                                           reason=data.reason)
        return processing.supplement_in_processing_apply(context.dossier, actor=context.actor, items=items,
                                                         reason=data.reason, to_step=data.to_step)


def _after(name: str, index: int) -> float:
    """The position just after the action ``name`` (set by the registry's order in ``__init__``)."""
    from tinhso.dossiers.actions.registry import dossier_actions

    names = dossier_actions.names
    return names.index(name) + 0.5 if name in names else index


class Refuse(DossierAction):
    name = "refuse"
    label = "Từ chối tiếp nhận"

    class Input(ActionInput):
        reason: Text = reason_field("Lý do từ chối tiếp nhận")

    def check(self, context: DossierContext) -> None:
        reception.refuse_require(context.roles, context.dossier)

    def execute(self, context: DossierContext, data: Input):
        return reception.refuse_apply(context.dossier, actor=context.actor, reason=data.reason)


class SupplementDocument(BaseModel):
    """Files for one component, as in ``POST /dossiers`` (``file_id`` is accepted for one file)."""

    model_config = ConfigDict(extra="allow")

    required_document: Text = Field("", title="Mã thành phần hồ sơ")
    file_ids: list[Text] = Field(default_factory=list, title="Các tệp (id từ POST /files)")
    name: Text = Field("", title="Tên giấy tờ")


class SubmitSupplement(DossierAction):
    name = "submit_supplement"
    label = "Nộp bổ sung giấy tờ"

    class Input(ActionInput):
        documents: list[SupplementDocument] = Field(default_factory=list, title="Giấy tờ bổ sung", json_schema_extra={
            "widget": "documents", "form_required": True})
        note: Text = note_field()

    def check(self, context: DossierContext) -> None:
        reception.supplement_submit_require(context.roles, context.dossier)

    def execute(self, context: DossierContext, data: Input):
        return reception.supplement_submit_apply(
            context.dossier, actor=context.actor, roles=context.roles,
            documents=[d.model_dump() for d in data.documents], note=data.note)
