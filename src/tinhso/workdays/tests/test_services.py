"""The service functions other apps call, on calendars stored in the database."""

import logging
from datetime import date, datetime, time
from decimal import Decimal

import pytest

from tinhso.core.errors import Conflict, ValidationFailed
from tinhso.workdays.calculator import VIETNAM
from tinhso.workdays.choices import DayKind
from tinhso.workdays.services import (
    counting_start_at,
    due_at,
    is_working_day,
    work_calendar_create,
    workdays_seed,
    working_days_from_minutes,
    working_minutes_between,
)
from tinhso.workdays.tests.factories import CalendarDayFactory, WorkCalendarFactory

pytestmark = pytest.mark.django_db


def vn(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VIETNAM)


@pytest.fixture
def province():
    calendar = work_calendar_create(code="H44", name="Lịch làm việc tỉnh Phú Thọ")
    workdays_seed(calendar=calendar, years=range(2025, 2028))
    return calendar


@pytest.fixture
def agency(province):
    # Sở Tư pháp works 07:00–11:30 / 13:30–17:00 and announced its own day off on Wed 11/03/2026.
    calendar = WorkCalendarFactory(
        code="H44.10", name="Lịch Sở Tư pháp", parent=province, morning_start=time(7, 0)
    )
    CalendarDayFactory(calendar=calendar, date=date(2026, 3, 11), name="Nghỉ theo thông báo của Sở")
    return calendar


def test_tet_2026_receipt(province):
    assert due_at(calendar=province, start=vn(2026, 2, 13, 9), amount=3, unit="working_days") == vn(
        2026, 2, 25, 9
    )
    for day in range(14, 23):
        assert not is_working_day(calendar=province, day=date(2026, 2, day))


def test_national_day_2026(province):
    assert is_working_day(calendar=province, day=date(2026, 8, 22))
    assert due_at(calendar=province, start=vn(2026, 8, 27, 9), amount=2, unit="working_days") == vn(
        2026, 9, 3, 9
    )
    assert due_at(calendar=province, start=vn(2026, 8, 21, 9), amount=1, unit="working_days") == vn(
        2026, 8, 22, 9
    )


def test_culture_day_2026(province):
    assert not is_working_day(calendar=province, day=date(2026, 11, 24))


def test_agency_inherits_province_tet_and_uses_its_own_hours(agency):
    # 8 working hours a day: 07:00–11:30 + 13:30–17:00.
    assert due_at(calendar=agency, start=vn(2026, 2, 13, 8), amount=1, unit="working_days") == vn(
        2026, 2, 23, 8
    )
    assert due_at(calendar=agency, start=vn(2026, 3, 9, 6, 0), amount=0, unit="working_hours") == vn(
        2026, 3, 9, 7
    )
    assert working_days_from_minutes(calendar=agency, minutes=240) == 0.5


def test_agency_day_off_applies_to_the_agency_only(province, agency):
    assert not is_working_day(calendar=agency, day=date(2026, 3, 11))
    assert is_working_day(calendar=province, day=date(2026, 3, 11))
    assert due_at(calendar=agency, start=vn(2026, 3, 10, 9), amount=1, unit="working_days") == vn(
        2026, 3, 12, 9
    )
    assert due_at(calendar=province, start=vn(2026, 3, 10, 9), amount=1, unit="working_days") == vn(
        2026, 3, 11, 9
    )


def test_nearest_calendar_decides_a_date(province, agency):
    # The agency's duty office works on 24/11/2026 although the province has a holiday.
    CalendarDayFactory(calendar=agency, date=date(2026, 11, 24), kind=DayKind.WORKING_DAY, name="Trực")
    assert is_working_day(calendar=agency, day=date(2026, 11, 24))
    assert not is_working_day(calendar=province, day=date(2026, 11, 24))


def test_receipt_cutoff_is_inherited(province, agency):
    province.receipt_cutoff = time(15, 0)
    province.save()
    received = vn(2026, 3, 9, 15, 20)
    assert counting_start_at(calendar=agency, received_at=received) == vn(2026, 3, 10, 7, 0)
    assert counting_start_at(calendar=province, received_at=received) == vn(2026, 3, 10, 7, 30)
    # The appointment of a procedure of 4 working hours received after the cutoff.
    start = counting_start_at(calendar=province, received_at=received)
    assert due_at(calendar=province, start=start, amount=4, unit="working_hours") == vn(2026, 3, 10, 11, 30)
    start = counting_start_at(calendar=province, received_at=vn(2026, 3, 9, 14, 0))
    assert due_at(calendar=province, start=start, amount=4, unit="working_hours") == vn(2026, 3, 10, 8, 30)


def test_working_minutes_between(province):
    # Fri 13/02/2026 09:00 → Wed 25/02/2026 09:00: three working days across Tết.
    minutes = working_minutes_between(calendar=province, start=vn(2026, 2, 13, 9), end=vn(2026, 2, 25, 9))
    assert minutes == 3 * 450
    assert working_days_from_minutes(calendar=province, minutes=minutes) == 3.0


def test_decimal_amounts(province):
    assert due_at(
        calendar=province, start=vn(2026, 3, 9, 7, 30), amount=Decimal("1.5"), unit="working_hours"
    ) == vn(2026, 3, 9, 9, 0)


def test_errors_carry_codes(province):
    with pytest.raises(ValidationFailed) as exc:
        due_at(calendar=province, start=datetime(2026, 3, 9, 9), amount=1, unit="working_days")
    assert exc.value.code == "timezone_required"


def test_unseeded_year_is_logged_once(province, caplog):
    caplog.set_level(logging.WARNING, logger="tinhso.workdays")
    for _ in range(3):
        due_at(calendar=province, start=vn(2028, 3, 9, 9), amount=1, unit="working_days")
    warnings = [r for r in caplog.records if "no holidays for 2028" in r.getMessage()]
    assert len(warnings) == 1
    caplog.clear()
    due_at(calendar=province, start=vn(2027, 3, 9, 9), amount=1, unit="working_days")
    assert not caplog.records


def test_calendar_code_is_unique(province):
    with pytest.raises(Conflict) as exc:
        work_calendar_create(code="H44", name="Trùng mã")
    assert exc.value.code == "calendar_code_taken"


def test_calendar_create_validates(province):
    with pytest.raises(ValidationFailed) as exc:
        work_calendar_create(code="", name="Không mã")
    assert exc.value.code == "invalid_calendar"
    child = work_calendar_create(code="H44.01", name="Lịch con", parent=province)
    assert child.parent == province
