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
    # Browser tests last: they are the slowest, and the fast suite should fail first.
    items.sort(key=lambda item: "browser" in item.keywords)
    if os.path.exists(CHROMIUM):
        return
    if os.environ.get("TINHSO_REQUIRE_BROWSER"):
        raise pytest.UsageError(f"Browser tests are required but Chromium is missing at {CHROMIUM}")
    skip = pytest.mark.skip(reason="Chromium is not installed (apt install chromium); .ci/run installs it")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session", autouse=True)
def _tasks_run_immediately():
    """django-tasks run in-process when enqueued, so outbox events are delivered at commit in tests.

    Inside a ``django_db`` test nothing commits: use ``tinhso.core.testing.captured_events()``
    (or pytest-django's ``django_capture_on_commit_callbacks``) to run the commit callbacks.
    """
    from django.test import override_settings

    with override_settings(
        TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        # PBKDF2 with production iterations costs 1–2 s per password on this machine; tests do not
        # test the hasher, so they use a fast one.
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        yield


@pytest.fixture(autouse=True)
def _reference_rows_after_flush(request):
    """Transactional tests (``transaction=True``, ``live_server``) run on a database that the previous
    transactional test flushed, which also removed the rows data migrations seed: put those back
    (the rule sets in force, the rating questionnaire), exactly as the migrations do."""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and (marker.kwargs.get("transaction") or (marker.args and marker.args[0])))
    if not (transactional or {"transactional_db", "live_server"} & set(request.fixturenames)):
        return
    request.getfixturevalue("_django_db_helper" if transactional else "transactional_db")
    import importlib

    from django.apps import apps

    importlib.import_module("tinhso.dossiers.migrations.0002_seed_regulations").seed(apps, None)
    importlib.import_module("tinhso.ratings.migrations.0002_seed_questionnaire").seed(apps, None)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Never `playwright install`: it downloads a browser build. Debian's Chromium is used instead.
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "vi-VN"}


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    """What one test leaves behind must not reach the next: uploads and PDFs go to the test's own
    folder (not ``var/``), no virus scanner is asked, and the caches start empty — rate-limit
    counters (login, tracking) would otherwise carry over with the same user names and the test
    client's 127.0.0.1, and SQLite reuses primary keys after a rollback, so a working-calendar
    snapshot cached by an earlier test could answer for a new calendar with the same id."""
    from django.core.cache import cache

    from tinhso.workdays.snapshot import cache_clear

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path / "files")}}}
    settings.TINHSO_CLAMAV_SOCKET = ""
    cache_clear()
    cache.clear()
    yield
    cache_clear()
