"""Seeding from the ``holidays`` package and the official swap table (vn-standards §11)."""

import re
from datetime import date, timedelta

import holidays
import pytest

from tinhso.core.errors import ValidationFailed
from tinhso.workdays.choices import DayKind, DaySource
from tinhso.workdays.models import CalendarDay
from tinhso.workdays.seeding import seed_days
from tinhso.workdays.services import workdays_seed
from tinhso.workdays.swaps import OFFICIAL_SWAPS
from tinhso.workdays.tests.factories import CalendarDayFactory, WorkCalendarFactory


def by_date(years):
    return {day.date: day for day in seed_days(years)}


def test_2026_official_days_off():
    days = by_date([2026])
    # Tết Bính Ngọ: the weekdays 16–20/02 are statutory; with the weekends that is 14–22/02 (§11.2).
    for offset in range(5):
        day = days[date(2026, 2, 16) + timedelta(days=offset)]
        assert day.kind == DayKind.HOLIDAY and day.source == DaySource.SEEDED
    assert days[date(2026, 2, 17)].name == "Tết Nguyên Đán"
    assert days[date(2026, 4, 27)].name == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert days[date(2026, 11, 24)].name == "Ngày Văn hóa Việt Nam"
    assert {date(2026, 9, 1), date(2026, 9, 2)} <= days.keys()


def test_2026_national_day_swap_has_both_sides():
    days = by_date([2026])
    off, worked = days[date(2026, 8, 31)], days[date(2026, 8, 22)]
    assert (off.kind, off.source) == (DayKind.DAY_OFF, DaySource.GOVERNMENT)
    assert (worked.kind, worked.source) == (DayKind.WORKING_DAY, DaySource.GOVERNMENT)
    assert worked.name == "Làm việc bù cho ngày nghỉ thứ Hai 31/08/2026"
    assert off.name == "Nghỉ hoán đổi (làm bù thứ Bảy 22/08/2026)"


def test_2025_swap_of_2_may():
    days = by_date([2025])
    assert days[date(2025, 5, 2)].kind == DayKind.DAY_OFF
    assert days[date(2025, 4, 26)].kind == DayKind.WORKING_DAY


def test_swap_worked_in_the_next_year_is_seeded_with_its_day_off():
    days = by_date([2018])
    assert days[date(2019, 1, 5)].kind == DayKind.WORKING_DAY


def test_every_swap_the_package_knows_is_in_the_table():
    # The package names the worked day only inside the label; the table must carry each of them.
    table = {(swap.day_off, swap.worked) for swap in OFFICIAL_SWAPS}
    for year in range(2018, 2028):
        for day, name in holidays.VN(years=year, language="vi").items():
            match = re.search(r"thay cho ngày (\d{2})/(\d{2})/(\d{4})", name)
            if match:
                worked = date(int(match[3]), int(match[2]), int(match[1]))
                assert (day, worked) in table, f"{day}: {name} is missing from OFFICIAL_SWAPS"


def test_names_are_nfc_vietnamese():
    import unicodedata

    for day in seed_days(range(2018, 2028)):
        assert unicodedata.is_normalized("NFC", day.name)


@pytest.mark.parametrize("years", [[], [1990], [2200]])
def test_impossible_years_are_refused(years):
    with pytest.raises(ValidationFailed) as exc:
        seed_days(years)
    assert exc.value.code == "invalid_seed_years"


# --- merging into a calendar -------------------------------------------------------------------------


@pytest.mark.django_db
def test_seed_is_idempotent():
    calendar = WorkCalendarFactory()
    written = workdays_seed(calendar=calendar, years=range(2018, 2028))
    assert written == CalendarDay.objects.filter(calendar=calendar).count() > 100
    assert workdays_seed(calendar=calendar, years=range(2018, 2028)) == 0


@pytest.mark.django_db
def test_seed_never_overwrites_days_people_entered():
    calendar = WorkCalendarFactory()
    # The province decided Giỗ Tổ 2026 differently, and announced an extra day off.
    CalendarDayFactory(
        calendar=calendar,
        date=date(2026, 4, 27),
        kind=DayKind.WORKING_DAY,
        name="Làm việc",
        source=DaySource.PROVINCE,
    )
    CalendarDayFactory(calendar=calendar, date=date(2026, 4, 29), source=DaySource.PROVINCE)
    workdays_seed(calendar=calendar, years=[2026])
    kept = CalendarDay.objects.get(calendar=calendar, date=date(2026, 4, 27))
    assert (kept.kind, kept.name, kept.source) == (DayKind.WORKING_DAY, "Làm việc", DaySource.PROVINCE)
    assert CalendarDay.objects.filter(calendar=calendar, date=date(2026, 4, 29)).exists()


@pytest.mark.django_db
def test_seed_corrects_and_removes_its_own_rows():
    calendar = WorkCalendarFactory()
    workdays_seed(calendar=calendar, years=[2026])
    CalendarDay.objects.filter(calendar=calendar, date=date(2026, 2, 17)).update(name="sai")
    stale = CalendarDayFactory(calendar=calendar, date=date(2026, 3, 3), source=DaySource.SEEDED)
    other_year = CalendarDayFactory(calendar=calendar, date=date(2027, 3, 3), source=DaySource.SEEDED)
    assert workdays_seed(calendar=calendar, years=[2026]) == 2
    assert CalendarDay.objects.get(calendar=calendar, date=date(2026, 2, 17)).name == "Tết Nguyên Đán"
    assert not CalendarDay.objects.filter(pk=stale.pk).exists()
    assert CalendarDay.objects.filter(pk=other_year.pk).exists()


@pytest.mark.django_db
def test_seed_replaces_a_seeded_row_with_an_official_swap():
    calendar = WorkCalendarFactory()
    CalendarDayFactory(
        calendar=calendar, date=date(2026, 8, 31), kind=DayKind.HOLIDAY, name="cũ", source=DaySource.SEEDED
    )
    workdays_seed(calendar=calendar, years=[2026])
    row = CalendarDay.objects.get(calendar=calendar, date=date(2026, 8, 31))
    assert (row.kind, row.source) == (DayKind.DAY_OFF, DaySource.GOVERNMENT)
