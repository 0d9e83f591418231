"""Test set-up shared by the whole suite (pytest-django, Playwright with the system Chromium)."""

from __future__ import annotations

import os
import shutil

import pytest

# Playwright's sync API runs an event loop; live_server tests touch the ORM from it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("TINHSO_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("TINHSO_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Browser tests are required but Chromium is missing at {CHROMIUM}")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt install chromium); .ci/run installs it")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Never `playwright install`: it downloads a browser build. Debian's Chromium is used instead.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}
