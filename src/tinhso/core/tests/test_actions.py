"""The action registry: the offered list and ``perform`` come from the same checks, in one order."""

from dataclasses import dataclass

import pytest
from pydantic import Field

from tinhso.core.actions import Action, ActionInput, ActionRegistry, in_transaction
from tinhso.core.errors import Conflict, NotFound, PermissionDenied, ValidationFailed


@dataclass
class Box:
    """A stand-in record: the registry only needs lock, version and context callables."""

    state: str = "open"
    version: int = 1
    owner: str = "an"


@dataclass
class Ctx:
    actor: str
    box: Box


LOCKS: list[Box] = []


def _lock(box: Box) -> Box:
    in_transaction("locking a box")
    LOCKS.append(box)
    return box


registry: ActionRegistry[Box, Ctx] = ActionRegistry(
    domain="box", context=lambda actor, box: Ctx(actor, box), lock=_lock, version_of=lambda b: b.version,
    stale=lambda b: Conflict("Đã thay đổi.", code="box_state_changed"))


class CloseInput(ActionInput):
    reason: str = Field(min_length=3, title="Lý do", json_schema_extra={"widget": "textarea"})
    copies: int = Field(1, ge=1, title="Số bản")


@registry.register
class Close(Action[Ctx]):
    name = "close"
    label = "Đóng"
    Input = CloseInput

    def check(self, context: Ctx) -> None:
        if context.actor != context.box.owner:
            raise PermissionDenied(code="not_owner")
        if context.box.state != "open":
            raise Conflict("Đã đóng.", code="invalid_state")

    def execute(self, context: Ctx, data: CloseInput):
        context.box.state = "closed"
        context.box.version += 1
        return data.reason


@registry.register
class Reopen(Action[Ctx]):
    name = "reopen"
    label = "Mở lại"

    def check(self, context: Ctx) -> None:
        if context.box.state != "closed":
            raise Conflict("Đang mở.", code="invalid_state")

    def execute(self, context: Ctx, data: ActionInput):
        context.box.state = "open"


def test_offered_list_follows_the_checks_and_declares_the_fields():
    box = Box()
    specs = registry.available(registry.context("an", box))
    assert [s.name for s in specs] == ["close"]
    fields = {f.name: f for f in specs[0].fields}
    assert (fields["reason"].type, fields["reason"].required, fields["reason"].label) == ("textarea", True, "Lý do")
    assert (fields["copies"].type, fields["copies"].required) == ("integer", False)
    assert registry.available(registry.context("bình", box)) == []


@pytest.mark.django_db
def test_perform_parses_locks_checks_then_executes():
    box = Box()
    LOCKS.clear()
    assert registry.perform(actor="an", target=box, name="close", data={"reason": "  xong việc "}) == "xong việc"
    assert LOCKS == [box] and box.state == "closed"
    assert [s.name for s in registry.available(registry.context("an", box))] == ["reopen"]


@pytest.mark.django_db
def test_perform_refuses_with_the_checks_own_error_and_changes_nothing():
    box = Box()
    with pytest.raises(PermissionDenied) as refused:
        registry.perform(actor="bình", target=box, name="close", data={"reason": "không phải của tôi"})
    assert refused.value.code == "not_owner" and box.state == "open"
    with pytest.raises(Conflict) as stale:
        registry.perform(actor="an", target=box, name="close", data={"reason": "cũ rồi"}, expected_version=0)
    assert stale.value.code == "box_state_changed" and box.state == "open"


def test_every_invalid_field_is_reported_at_once_in_vietnamese():
    with pytest.raises(ValidationFailed) as error:
        registry.parse("close", {"reason": "x", "copies": 0})
    assert error.value.code == "invalid_input"
    assert {(e["field"], e["message"]) for e in error.value.errors} == {
        ("reason", "Phải có ít nhất 3 ký tự."), ("copies", "Phải lớn hơn hoặc bằng 1.")}


def test_unknown_action_and_duplicate_registration():
    with pytest.raises(NotFound) as missing:
        registry.get("explode")
    assert missing.value.code == "action_not_found"
    with pytest.raises(ValueError):
        registry.register(Close)
    assert registry.names == ("close", "reopen")
    assert set(registry.input_schemas()) == {"close", "reopen"}


@pytest.mark.django_db(transaction=True)
def test_in_transaction_guards_helpers():
    with pytest.raises(RuntimeError):
        in_transaction("numbering")


class NoteInput(ActionInput):
    reason: str = Field("", title="Lý do", json_schema_extra={"widget": "textarea", "form_required": True})
    ticket: int | None = Field(None, title="Số phiếu", json_schema_extra={"hidden": True})


def test_form_required_and_hidden_fields():
    from tinhso.core.actions import input_fields

    fields = input_fields(NoteInput)
    assert [(f.name, f.required) for f in fields] == [("reason", True)]  # asked for, validated by the action
    assert NoteInput.model_validate({}).reason == ""  # yet absent is not a schema error


def test_an_action_may_take_another_place_in_the_list():
    positioned: ActionRegistry[Box, Ctx] = ActionRegistry(
        domain="box2", context=lambda actor, box: Ctx(actor, box), lock=_lock, version_of=lambda b: b.version,
        stale=lambda b: Conflict("Đã thay đổi.", code="box_state_changed"))

    class First(Reopen):
        name = "first"

        def check(self, context: Ctx) -> None:
            pass

    class Late(First):
        name = "late"

        def position(self, context: Ctx, index: int) -> float:
            return 10 if context.box.state == "open" else index

    positioned.register(Late)
    positioned.register(First)
    assert [s.name for s in positioned.available(positioned.context("an", Box(state="closed")))] == ["late", "first"]
    assert [s.name for s in positioned.available(positioned.context("an", Box()))] == ["first", "late"]
