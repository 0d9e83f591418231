"""The version helpers refuse to run outside their caller's transaction: copying a version's rows or
publishing and announcing it half-way would leave a version that is neither draft nor published.
No test database here: without one no transaction is open, which is the mistake being caught."""

from __future__ import annotations

import inspect

import pytest

from tinhso.catalog.services import versions


@pytest.mark.parametrize("name", ["version_children_copy", "version_publish", "version_published_announce"])
def test_version_helper_refuses_to_run_outside_a_transaction(name):
    helper = getattr(versions, name)
    required = [p for p in inspect.signature(helper).parameters.values() if p.default is inspect.Parameter.empty]
    args = [None for p in required if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    kwargs = {p.name: None for p in required if p.kind is inspect.Parameter.KEYWORD_ONLY}
    with pytest.raises(RuntimeError, match="must run inside the caller's transaction"):
        helper(*args, **kwargs)
    assert "Runs in the caller's transaction" in (helper.__doc__ or "")
