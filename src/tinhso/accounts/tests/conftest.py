import pytest

from tinhso.workdays.snapshot import cache_clear


@pytest.fixture(autouse=True)
def _fast_passwords_and_fresh_calendars(settings):
    # Login tests hash passwords; PBKDF2 at full strength would make them seconds each.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # SQLite reuses primary keys after a rollback: a calendar snapshot cached by an earlier test must
    # not answer for a new calendar with the same id.
    cache_clear()
    yield
    cache_clear()
