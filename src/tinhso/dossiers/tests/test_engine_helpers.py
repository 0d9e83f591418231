"""The engine helpers of the one-stop shop refuse to run outside their caller's transaction.

Each writes part of one transition (a handover, a numbered form, the timeline row, a lock); outside a
transaction a failure half-way would leave part of it behind. No test database here: without one no
transaction is open, which is the mistake being caught, and the helper stops before touching a row.
"""

from __future__ import annotations

import inspect

import pytest

from tinhso.dossiers.services import common, engine, reception, results

HELPERS = [
    common.dossier_lock, common.transition_record, common.event_also, common.access_grant,
    common.handover_open, common.handover_close, common.form_issue,
    engine.step_enter, engine.clock_resume,
    reception.receive_apply, reception.supplement_request_apply,
    results.result_generate_apply, results.results_sign_personal, results.results_seal,
]


def _call_with_placeholders(function):
    args, kwargs = [], {}
    for parameter in inspect.signature(function).parameters.values():
        if parameter.default is not inspect.Parameter.empty:
            continue
        if parameter.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[parameter.name] = None
        else:
            args.append(None)
    return function(*args, **kwargs)


@pytest.mark.parametrize("helper", HELPERS, ids=lambda f: f.__name__)
def test_helper_refuses_to_run_outside_a_transaction(helper):
    with pytest.raises(RuntimeError, match="must run inside the caller's transaction"):
        _call_with_placeholders(helper)
    assert "Runs in the caller's transaction" in (helper.__doc__ or "")
