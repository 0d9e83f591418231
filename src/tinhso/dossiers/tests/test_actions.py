"""The one-stop shop's action registry: one class per action, the offered list and ``perform`` from
the same check, typed inputs, and the work helpers that only run inside the action's transaction."""

from __future__ import annotations

import pytest

from tinhso.core.errors import Conflict, PermissionDenied, ValidationFailed
from tinhso.dossiers.actions import dossier_action_perform, dossier_actions, dossier_available_actions
from tinhso.dossiers.models import Dossier
from tinhso.dossiers.services import processing, reception

pytestmark = pytest.mark.django_db

NAMES = {
    "receive", "request_supplement", "refuse", "submit_supplement", "forward", "send_back", "assign",
    "request_payment", "payment_confirm", "payment_waive", "consult", "answer_consultation", "approve", "sign",
    "deny", "attach_result", "generate_result", "issue_result", "return_result", "withdraw", "stop",
    "issue_apology",
}


def test_every_action_is_one_registered_class_with_a_label_and_typed_input():
    assert set(dossier_actions.names) == NAMES
    for action in dossier_actions:
        assert action.label and action.label[0].isupper(), action.name
    schemas = dossier_actions.input_schemas()
    assert schemas["issue_apology"].model_json_schema()["properties"]["new_due_at"]["title"] == "Ngày hẹn trả mới"


def test_offered_list_and_perform_share_the_check(world, submit):
    dossier = submit()
    offered = [a.name for a in dossier_available_actions(actor=world.reception, dossier=dossier)]
    assert offered == ["receive", "request_supplement", "refuse"]
    assert dossier_available_actions(actor=world.citizen, dossier=dossier)[0].name == "withdraw"
    with pytest.raises(PermissionDenied) as refused:  # the citizen is not offered "receive" and cannot do it
        dossier_action_perform(actor=world.citizen, dossier=dossier, action="receive")
    assert refused.value.code == "forbidden"
    dossier_action_perform(actor=world.reception, dossier=dossier, action="receive", data={"note": None})
    with pytest.raises(Conflict) as again:
        dossier_action_perform(actor=world.reception, dossier=dossier, action="receive")
    assert again.value.code == "invalid_state"


def test_a_supplement_is_offered_among_the_step_actions_at_a_step(world, received):
    dossier = received()
    dossier = dossier_action_perform(actor=world.unit_head, dossier=dossier, action="assign",
                                     data={"assignee": world.specialist.username})
    offered = [a.name for a in dossier_available_actions(actor=world.specialist, dossier=dossier)]
    assert offered == ["forward", "request_supplement", "request_payment", "consult"]


def test_typed_inputs_keep_the_services_codes(world, received):
    dossier = received()
    with pytest.raises(ValidationFailed) as bad_date:
        dossier_action_perform(actor=world.leader, dossier=dossier, action="issue_apology",
                               data={"reason": "Chậm", "new_due_at": "ngày mai"})
    assert bad_date.value.code == "invalid_datetime"
    with pytest.raises(ValidationFailed) as bad_items:
        dossier_action_perform(actor=world.unit_head, dossier=dossier, action="request_supplement",
                               data={"items": {"not": "a list"}, "reason": "Thiếu"})
    assert bad_items.value.code == "invalid_input"
    assert bad_items.value.errors[0]["field"].startswith("items")
    assert Dossier.objects.get(pk=dossier.pk).version == dossier.version  # nothing written


@pytest.mark.django_db(transaction=True)
def test_the_work_helpers_refuse_to_run_outside_the_actions_transaction(world, submit, received):
    with pytest.raises(RuntimeError):
        reception.refuse_apply(submit(), actor=world.reception, reason="Sai thủ tục")
    with pytest.raises(RuntimeError):
        processing.forward_apply(received(), actor=world.unit_head)
