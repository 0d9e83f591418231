"""Loading, inheritance and caching of calendar snapshots."""

from datetime import date, datetime, time

import pytest

from tinhso.workdays import snapshot as snapshots
from tinhso.workdays.calculator import VIETNAM
from tinhso.workdays.choices import DayKind
from tinhso.workdays.models import CalendarDay, WorkCalendar
from tinhso.workdays.services import due_at, is_working_day
from tinhso.workdays.tests.factories import CalendarDayFactory, WorkCalendarFactory

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 3, 9, 9, tzinfo=VIETNAM)


def test_defaults_for_a_bare_root_calendar():
    snap = snapshots.snapshot_load(calendar=WorkCalendarFactory())
    assert (snap.hours.morning_start, snap.hours.afternoon_end) == (time(7, 30), time(17, 0))
    assert snap.weekdays == "1111100"
    assert snap.receipt_cutoff is None


def test_each_setting_comes_from_the_nearest_calendar_that_sets_it():
    root = WorkCalendarFactory(morning_start=time(7), weekdays="1111110", receipt_cutoff=time(15))
    middle = WorkCalendarFactory(parent=root, afternoon_end=time(16, 30))
    leaf = WorkCalendarFactory(parent=middle, morning_start=time(8))
    snap = snapshots.snapshot_load(calendar=leaf)
    assert snap.hours.morning_start == time(8)
    assert snap.hours.afternoon_end == time(16, 30)
    assert snap.hours.morning_end == time(11, 30)
    assert snap.weekdays == "1111110"
    assert snap.receipt_cutoff == time(15)


def test_snapshot_is_cached_without_queries(django_assert_num_queries):
    calendar = WorkCalendarFactory()
    due_at(calendar=calendar, start=MONDAY, amount=1, unit="working_days")
    with django_assert_num_queries(0):
        for amount in range(100):
            due_at(calendar=calendar, start=MONDAY, amount=amount, unit="working_days")


def test_a_new_day_is_seen_at_once_in_this_process():
    calendar = WorkCalendarFactory()
    assert is_working_day(calendar=calendar, day=date(2026, 3, 10))
    day = CalendarDayFactory(calendar=calendar, date=date(2026, 3, 10))
    assert not is_working_day(calendar=calendar, day=date(2026, 3, 10))
    day.delete()
    assert is_working_day(calendar=calendar, day=date(2026, 3, 10))


def test_a_parent_change_reaches_the_child():
    root = WorkCalendarFactory()
    child = WorkCalendarFactory(parent=root)
    assert due_at(calendar=child, start=MONDAY, amount=0, unit="working_hours") == MONDAY
    root.morning_start = time(9, 30)
    root.save()
    assert due_at(calendar=child, start=MONDAY, amount=0, unit="working_hours") == MONDAY.replace(
        hour=9, minute=30
    )
    CalendarDayFactory(calendar=root, date=date(2026, 3, 9))
    assert due_at(calendar=child, start=MONDAY, amount=0, unit="working_hours") == MONDAY.replace(
        day=10, minute=30
    )


def test_another_process_edit_is_seen_after_the_recheck(monkeypatch, django_assert_num_queries):
    calendar = WorkCalendarFactory()
    assert is_working_day(calendar=calendar, day=date(2026, 3, 10))
    # What another process does: rows written and the revision bumped, no signal here.
    CalendarDay.objects.bulk_create(
        [CalendarDay(calendar=calendar, date=date(2026, 3, 10), kind=DayKind.DAY_OFF, name="Nghỉ")]
    )
    WorkCalendar.objects.filter(pk=calendar.pk).update(revision=calendar.revision + 100)
    assert is_working_day(calendar=calendar, day=date(2026, 3, 10))  # still within the recheck window
    monkeypatch.setattr(snapshots, "RECHECK_SECONDS", 0.0)
    assert not is_working_day(calendar=calendar, day=date(2026, 3, 10))
    # An unchanged calendar costs one revision query per recheck, not a reload.
    with django_assert_num_queries(1):
        assert not is_working_day(calendar=calendar, day=date(2026, 3, 10))


def test_seeding_invalidates_the_cache():
    from tinhso.workdays.services import workdays_seed

    calendar = WorkCalendarFactory()
    assert is_working_day(calendar=calendar, day=date(2026, 2, 17))
    workdays_seed(calendar=calendar, years=[2026])
    assert not is_working_day(calendar=calendar, day=date(2026, 2, 17))
    assert 2026 in snapshots.work_calendar_snapshot(calendar=calendar).seeded_years
