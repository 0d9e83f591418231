import pytest


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
