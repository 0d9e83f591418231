"""pyHanko's blocking API must work where an event loop is already running (ASGI, async views)."""

import asyncio

from tinhso.signing.loops import outside_event_loop


@outside_event_loop
def _inner_asyncio_run():
    async def answer():
        return 42

    # What pyHanko does inside sign_pdf/validate: it would raise "asyncio.run() cannot be called
    # from a running event loop" without the wrapper.
    return asyncio.run(answer())


def test_runs_inline_without_a_loop():
    assert _inner_asyncio_run() == 42


def test_runs_inside_a_running_loop():
    async def caller():
        return _inner_asyncio_run()

    assert asyncio.run(caller()) == 42
