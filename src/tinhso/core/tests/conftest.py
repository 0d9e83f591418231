"""Fixtures of the core tests."""

from __future__ import annotations

import pytest
from django.db import connection


@pytest.fixture
def threads_share_database():
    """Skip where threads cannot write the test database concurrently.

    pytest-django's default SQLite test database is in memory with a shared cache, where a second
    writer gets "database table is locked" at once instead of waiting (the busy timeout does not
    apply to shared-cache locks). A file database (TINHSO_TEST_SQLITE_NAME=/tmp/t.sqlite3) works.
    """
    if connection.vendor == "sqlite" and connection.is_in_memory_db():
        pytest.skip("SQLite in-memory test database: set TINHSO_TEST_SQLITE_NAME to a file to run this")
