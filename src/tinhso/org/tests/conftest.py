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


@pytest.fixture
def province_calendar(db):
    """A province root agency (code = TINHSO_PROVINCE_CODE) with the calendar seeded for 2026."""
    from django.conf import settings as dj_settings

    from tinhso.org.tests.factories import AgencyFactory
    from tinhso.workdays.services import work_calendar_create, workdays_seed

    calendar = work_calendar_create(code="PT", name="Lịch làm việc tỉnh")
    workdays_seed(calendar=calendar, years=[2026])
    province = AgencyFactory(code=dj_settings.TINHSO_PROVINCE_CODE, name="Ủy ban nhân dân tỉnh",
                             kind="people_committee", work_calendar=calendar)
    return province
