import pytest

from tinhso.workdays.snapshot import cache_clear


@pytest.fixture(autouse=True)
def _fresh_snapshot_cache():
    # SQLite reuses primary keys after a test's rollback; a snapshot cached by an earlier test must
    # not answer for a new calendar with the same id.
    cache_clear()
    yield
    cache_clear()
