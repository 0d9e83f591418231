"""What every dossier action shares: the context its check reads, the base classes and the input types.

A ``DossierContext`` is built once per call from the *locked* dossier (``perform``) or the dossier the
page shows (``available``): the actor, their roles (``permissions.actor_context``, one query) and the
current step's transitions (one query, only when an action at a step asks for them).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation
from functools import cached_property
from typing import Annotated, Any, ClassVar

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from pydantic import BeforeValidator, Field, ValidationInfo

from tinhso.core.actions import Action, ActionInput, FieldSpec, input_fields
from tinhso.core.errors import Conflict, ValidationFailed
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.permissions import ActorContext, step_require
from tinhso.dossiers.services.common import state_require
from tinhso.dossiers.services.engine import step_transitions
from tinhso.dossiers.services.processing import ACTION_LABELS, STEP_STATES


@dataclass
class DossierContext:
    """What the checks of one call read: who acts (``actor``, ``roles``) on which dossier."""

    actor: Any
    roles: ActorContext
    dossier: Dossier

    @cached_property
    def transitions(self) -> list:
        """The current step's transitions (one query, cached for the whole call)."""
        return step_transitions(self.dossier.current_step)

    def offers(self, action: str) -> list:
        return [t for t in self.transitions if t.action == action]


class DossierAction(Action[DossierContext]):
    """An action of the one-stop shop; ``execute`` returns the dossier or the record it created."""


# --- input types: what a client may send, coerced the way the services expect ------------------------


def _text(value):
    # Integrators send JSON null for "nothing"; numbers typed into a text box arrive as numbers.
    if value is None:
        return ""
    return str(value) if isinstance(value, int | float | Decimal) and not isinstance(value, bool) else value


def _moment(value, info: ValidationInfo):
    """An ISO 8601 moment; a naive one is local time. ``invalid_datetime`` names the field."""
    if value in (None, ""):
        return None
    parsed = value if isinstance(value, datetime) else parse_datetime(str(value))
    if parsed is None:
        raise ValidationFailed(f"“{info.field_name}” phải là thời điểm ISO 8601, ví dụ 2026-03-09T10:00:00+07:00.",
                               code="invalid_datetime")
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _amount(value):
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value)).quantize(Decimal(1))
    except InvalidOperation:
        raise ValidationFailed("Số tiền phải là một số nguyên (đồng).", code="invalid_amount") from None


def _ids(value):
    if value in (None, ""):
        return []
    return [str(item) for item in value] if isinstance(value, list | tuple) else value


Text = Annotated[str, BeforeValidator(_text)]
Moment = Annotated[datetime | None, BeforeValidator(_moment)]
Amount = Annotated[Decimal | None, BeforeValidator(_amount)]
Ids = Annotated[list[str], BeforeValidator(_ids)]


def note_field():
    return Field("", title="Ghi chú", json_schema_extra={"widget": "textarea"})


def reason_field(label: str = "Lý do"):
    """A reason the form asks for; the action refuses an empty one with ``reason_required``."""
    return Field("", title=label, json_schema_extra={"widget": "textarea", "form_required": True})


def to_step_field():
    return Field(None, title="Chuyển tới bước", description="Mã bước tiếp theo (hoặc “end”) khi thao tác "
                 "dẫn tới nhiều bước", json_schema_extra={"widget": "choice"})


class NoteInput(ActionInput):
    note: Text = note_field()


class StepNoteInput(ActionInput):
    to_step: str | None = to_step_field()
    note: Text = note_field()


# --- actions at a process step ---------------------------------------------------------------------------


def step_check(context: DossierContext, action: str, *, what: str) -> None:
    """The dossier is at a step (``received``/``processing``), the actor may act on it, and the step
    offers ``action`` — the refusal names the first of these that fails."""
    dossier = context.dossier
    state_require(dossier, STEP_STATES, what=what)
    step_require(context.roles, dossier)
    if not context.offers(action):
        raise Conflict(
            f"Bước “{dossier.current_step.name}” không có thao tác “{ACTION_LABELS.get(action, action)}”.",
            code="action_not_available",
        )


class StepDossierAction(DossierAction):
    """An action that follows a transition of the current step (``StepAction``). The process may
    rename it (the transition's ``label``); the form asks for ``to_step`` only when the step leads
    to several steps by this action."""

    step_action: ClassVar[str]
    what: ClassVar[str]

    def check(self, context: DossierContext) -> None:
        step_check(context, self.step_action, what=self.what)

    def label_for(self, context: DossierContext) -> str:
        return next((t.label for t in self._options(context) if t.label), "") or self.label

    def _options(self, context: DossierContext) -> list:
        return context.offers(self.step_action) if context.dossier.status in STEP_STATES else []

    def fields(self, context: DossierContext) -> list[FieldSpec]:
        specs = input_fields(self.Input)
        targets = {(t.to_step.code if t.to_step_id else "end"): (t.to_step.name if t.to_step_id else "Kết thúc")
                   for t in self._options(context)}
        result = []
        for spec in specs:
            if spec.name != "to_step":
                result.append(spec)
            elif len(targets) > 1:
                result.append(dataclasses.replace(spec, type="choice", required=True, choices=[
                    {"value": code, "label": name} for code, name in targets.items()]))
        return result


__all__ = [
    "Amount",
    "DossierAction",
    "DossierContext",
    "Ids",
    "Moment",
    "NoteInput",
    "StepDossierAction",
    "StepNoteInput",
    "Text",
    "note_field",
    "reason_field",
    "step_check",
    "to_step_field",
]
