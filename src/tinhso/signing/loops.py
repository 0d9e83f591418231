"""Running pyHanko's synchronous entry points from code that already has an event loop.

pyHanko's blocking API calls ``asyncio.run`` inside, which refuses to start while an event loop is
running in the same thread — under an ASGI server, in async views, or next to Playwright's sync API in
the same test process. The library layer (no database access) therefore runs itself in a short-lived
worker thread when a loop is present; everywhere else it runs inline, at no cost.
"""

from __future__ import annotations

import asyncio
import functools
from concurrent.futures import ThreadPoolExecutor


def outside_event_loop(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            return fn(*args, **kwargs)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
            return pool.submit(fn, *args, **kwargs).result()

    return wrapper
