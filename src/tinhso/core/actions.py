"""Actions: one class per thing a person can do to a record (a dossier, a document, a petition…).

An action names itself, says who may use it now (``check``/``allowed``), declares its typed input
(a pydantic model) and performs the change (``execute``). A domain keeps its actions in one
``ActionRegistry``, which is the single source of the offered list (``available``), of the work
done by ``POST …/actions/{name}`` (``perform``), of the staff and citizen forms (the ``fields`` of
each spec) and of the OpenAPI description (``input_schemas``). Nothing else decides what is allowed.

``perform`` always runs the same sequence, so no action can skip a step:
    parse the input → open a transaction → lock the target row → compare ``expected_version`` →
    build the context from the *locked* row → ``check`` → ``execute``.
Because the check runs again on the locked row, a button drawn for an older state can never do what
the current state no longer allows (Wagtail's check/execute; Saleor's lock helpers).
"""

from __future__ import annotations

import types
import typing
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar

from django.db import transaction
from pydantic import BaseModel, ConfigDict
from pydantic import ValidationError as PydanticValidationError

from tinhso.core.errors import DomainError, NotFound, ValidationFailed
from tinhso.core.validation import validation_errors

ContextT = TypeVar("ContextT")
TargetT = TypeVar("TargetT")


class ActionInput(BaseModel):
    """Base of every action's input. Unknown keys are ignored (clients send ``expected_version``
    and form tokens in the same body); strings are stripped."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


@dataclass(frozen=True)
class FieldSpec:
    """One field of an action's form, as the API lists it and the pages draw it.

    ``type`` is the widget: text, textarea, datetime, date, decimal, integer, boolean, choice, user,
    agency, file_ids, documents, supplement_items — or whatever a domain adds for its own forms.
    """

    name: str
    type: str
    required: bool
    label: str
    choices: list[dict] | None = None


@dataclass(frozen=True)
class ActionSpec:
    """What the caller may do now: the action's name, its label and the fields to fill."""

    name: str
    label: str
    fields: list[FieldSpec] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


def _widget(annotation: Any) -> str:
    """The default widget of a pydantic field from its Python type."""
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in typing.get_args(annotation) if a is not type(None)]
        return _widget(inner[0]) if len(inner) == 1 else "text"
    if origin in (list, tuple, set):
        return "list"
    if origin is typing.Literal:
        return "choice"
    return {datetime: "datetime", date: "date", Decimal: "decimal", int: "integer", bool: "boolean"}.get(
        annotation, "text")


def input_fields(model: type[BaseModel]) -> list[FieldSpec]:
    """The form of an input model: ``title`` is the label, ``json_schema_extra={"widget": …}`` the
    widget (else guessed from the type), ``Literal`` values become choices. ``{"form_required": True}``
    marks a field the form must ask for although the model lets it be absent: the action validates
    its content itself, with its own error code (a missing reason is ``reason_required``, not a
    schema error). ``{"hidden": True}`` keeps an API-only field (an id a page never asks for) off
    the form."""
    specs = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        if extra.get("hidden"):
            continue
        choices = None
        if typing.get_origin(info.annotation) is typing.Literal:
            choices = [{"value": v, "label": str(v)} for v in typing.get_args(info.annotation)]
        specs.append(FieldSpec(
            name=name, type=str(extra.get("widget") or _widget(info.annotation)),
            required=bool(extra.get("form_required", info.is_required())),
            label=info.title or name, choices=extra.get("choices", choices)))  # type: ignore[arg-type]
    return specs


class Action(ABC, Generic[ContextT]):
    """One thing that can be done to a record. Subclasses set ``name``, ``label`` and ``Input`` and
    implement ``check`` and ``execute``; the registry calls them in its fixed order.

    ``check`` raises the ``DomainError`` that explains a refusal (``PermissionDenied`` for the wrong
    person, ``Conflict`` with ``invalid_state`` for the wrong moment); ``allowed`` is its yes/no form
    for building the offered list. Override ``fields`` when choices depend on the record (the staff
    who may be assigned, the steps a dossier may go to) and ``label_for`` when the process renames it.
    """

    name: ClassVar[str]
    label: ClassVar[str]
    Input: ClassVar[type[ActionInput]] = ActionInput

    @abstractmethod
    def check(self, context: ContextT) -> None:
        """Raise the error that explains why ``context`` may not do this now; return if it may."""

    def allowed(self, context: ContextT) -> bool:
        try:
            self.check(context)
        except DomainError:
            return False
        return True

    def label_for(self, context: ContextT) -> str:
        return self.label

    def position(self, context: ContextT, index: int) -> float:
        """Where the action stands in the offered list (``index`` = registration order). Override
        for an action that belongs at different places in different states (a supplement is asked
        for next to "receive" at reception, next to "send back" at a process step)."""
        return index

    def fields(self, context: ContextT) -> list[FieldSpec]:
        return input_fields(self.Input)

    def spec(self, context: ContextT) -> ActionSpec:
        return ActionSpec(self.name, self.label_for(context), self.fields(context))

    @abstractmethod
    def execute(self, context: ContextT, data: Any) -> Any:
        """Do the change; runs inside the transaction, on the locked record, after ``check``."""


class ActionRegistry(Generic[TargetT, ContextT]):
    """The actions of one domain, in display order, and the one way to perform them.

    ``lock(target)`` re-reads the target under ``SELECT … FOR UPDATE`` (inside the transaction);
    ``version_of(target)`` gives its optimistic-concurrency version and ``stale(target)`` the
    ``Conflict`` to raise when the caller's ``expected_version`` differs; ``context(actor, target)``
    loads what the checks need once (roles, related rows) for one call.
    """

    def __init__(self, *, domain: str, context: Callable[[Any, TargetT], ContextT],
                 lock: Callable[[TargetT], TargetT], version_of: Callable[[TargetT], int],
                 stale: Callable[[TargetT], DomainError]):
        self.domain = domain
        self._actions: dict[str, Action[ContextT]] = {}
        self._context = context
        self._lock = lock
        self._version_of = version_of
        self._stale = stale

    def register(self, cls: type[Action[ContextT]]) -> type[Action[ContextT]]:
        """Class decorator: add the action (display order = registration order)."""
        if cls.name in self._actions:
            raise ValueError(f"{self.domain}: action {cls.name!r} is registered twice")
        self._actions[cls.name] = cls()
        return cls

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self._actions)

    def __iter__(self) -> typing.Iterator[Action[ContextT]]:
        return iter(self._actions.values())

    def get(self, name: str) -> Action[ContextT]:
        try:
            return self._actions[name]
        except KeyError:
            raise NotFound(f"Không có thao tác “{name}”.", code="action_not_found") from None

    def context(self, actor, target: TargetT) -> ContextT:
        return self._context(actor, target)

    def available(self, context: ContextT, *, only: Iterable[str] | None = None) -> list[ActionSpec]:
        """The specs of every action ``context`` allows now, in display order."""
        wanted = set(only) if only is not None else None
        offered = [(action.position(context, index), action.spec(context))
                   for index, action in enumerate(self._actions.values())
                   if (wanted is None or action.name in wanted) and action.allowed(context)]
        return [spec for _, spec in sorted(offered, key=lambda pair: pair[0])]

    def parse(self, name: str, data: dict | None) -> tuple[Action[ContextT], ActionInput]:
        """The action and its validated input; every invalid field is reported at once (422)."""
        action = self.get(name)
        try:
            return action, action.Input.model_validate(dict(data or {}))
        except PydanticValidationError as error:
            errors = validation_errors([{**e, "loc": ("body", *e["loc"])} for e in error.errors()])
            raise ValidationFailed("Dữ liệu gửi kèm thao tác chưa hợp lệ; xem từng trường trong “errors”.",
                                   code="invalid_input", errors=errors) from None

    def perform(self, *, actor, target: TargetT, name: str, data: dict | None = None,
                expected_version: int | None = None) -> Any:
        """Run ``name`` on ``target`` for ``actor`` in one transaction (see the module docstring).
        Returns whatever the action's ``execute`` returns."""
        action, parsed = self.parse(name, data)
        with transaction.atomic():
            locked = self._lock(target)
            if expected_version is not None and int(expected_version) != self._version_of(locked):
                raise self._stale(locked)
            context = self._context(actor, locked)
            action.check(context)
            return action.execute(context, parsed)

    def input_schemas(self) -> dict[str, type[ActionInput]]:
        """name → input model, for the OpenAPI description of ``POST …/actions/{name}``."""
        return {name: action.Input for name, action in self._actions.items()}


def in_transaction(what: str) -> None:
    """Assert that the caller opened the transaction: for helpers that only make sense inside one
    (numbering, locking, recording a transition). Raises ``RuntimeError`` — a programming error."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"{what} must run inside the caller's transaction (transaction.atomic())")


__all__ = ["Action", "ActionInput", "ActionRegistry", "ActionSpec", "FieldSpec", "in_transaction", "input_fields"]
