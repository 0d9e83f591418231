"""The working-time arithmetic on snapshots built in memory (no database)."""

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache

import pytest

from tinhso.core.errors import ValidationFailed
from tinhso.workdays import calculator
from tinhso.workdays.calculator import VIETNAM, CalendarSnapshot, OfficeHours
from tinhso.workdays.choices import DayKind
from tinhso.workdays.seeding import seed_days


@cache
def vietnam_days() -> dict:
    return {day.date: day.kind for day in seed_days(range(2024, 2029))}


def snapshot(**kwargs) -> CalendarSnapshot:
    return CalendarSnapshot(days=vietnam_days(), **kwargs)


def vn(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=VIETNAM)


def due(snap, start, amount, unit):
    return calculator.due_at(snap, start=start, amount=amount, unit=unit)


# --- the official 2026 calendar (vn-standards §11.2) ------------------------------------------------


def test_tet_2026_days_are_all_off():
    snap = snapshot()
    for offset in range(9):  # Saturday 14/02 – Sunday 22/02/2026
        assert not snap.is_working_day(date(2026, 2, 14) + timedelta(days=offset))
    assert snap.is_working_day(date(2026, 2, 13))
    assert snap.is_working_day(date(2026, 2, 23))


def test_three_working_days_across_tet_2026():
    # Fri 13/02 09:00 + 3 working days: Mon 23, Tue 24, Wed 25 → Wed 25/02 09:00.
    assert due(snapshot(), vn(2026, 2, 13, 9), 3, "working_days") == vn(2026, 2, 25, 9)


def test_national_day_2026_swap():
    snap = snapshot()
    assert snap.is_working_day(date(2026, 8, 22))  # Saturday worked in exchange
    for day in (date(2026, 8, 31), date(2026, 9, 1), date(2026, 9, 2)):
        assert not snap.is_working_day(day)
    # Thu 27/08 09:00: Fri 28 is day 1; 29/08–02/09 are off; Thu 03/09 is day 2.
    assert due(snap, vn(2026, 8, 27, 9), 2, "working_days") == vn(2026, 9, 3, 9)
    # Fri 21/08 09:00 + 1 working day is the worked Saturday.
    assert due(snap, vn(2026, 8, 21, 9), 1, "working_days") == vn(2026, 8, 22, 9)


def test_vietnam_culture_day_2026_is_off():
    snap = snapshot()
    assert not snap.is_working_day(date(2026, 11, 24))
    assert due(snap, vn(2026, 11, 23, 10), 1, "working_days") == vn(2026, 11, 25, 10)


# --- office hours ----------------------------------------------------------------------------------


def test_after_hours_receipt_counts_from_next_morning():
    snap = snapshot()
    monday_evening = vn(2026, 3, 9, 17, 30)
    assert due(snap, monday_evening, 0, "working_hours") == vn(2026, 3, 10, 7, 30)
    assert due(snap, monday_evening, 2, "working_hours") == vn(2026, 3, 10, 9, 30)
    # A whole working day from the start of Tuesday ends when Tuesday's work ends.
    assert due(snap, monday_evening, 1, "working_days") == vn(2026, 3, 10, 17, 0)


def test_late_afternoon_receipt_uses_the_rest_of_the_day():
    # 16:45 → 15 minutes on Monday, 45 on Tuesday.
    assert due(snapshot(), vn(2026, 3, 9, 16, 45), 1, "working_hours") == vn(2026, 3, 10, 8, 15)


def test_lunch_break_counts_from_the_afternoon_session():
    snap = snapshot()
    assert due(snap, vn(2026, 3, 9, 12, 0), 0, "working_hours") == vn(2026, 3, 9, 13, 30)
    assert due(snap, vn(2026, 3, 9, 12, 0), 1, "working_hours") == vn(2026, 3, 9, 14, 30)
    # The end of a session still belongs to it: nothing moves a moment at 11:30 or 17:00.
    assert due(snap, vn(2026, 3, 9, 11, 30), 0, "working_hours") == vn(2026, 3, 9, 11, 30)
    assert due(snap, vn(2026, 3, 9, 17, 0), 0, "working_days") == vn(2026, 3, 9, 17, 0)
    # Work that runs out at 11:30 is due at 11:30, not after lunch.
    assert due(snap, vn(2026, 3, 9, 10, 30), 1, "working_hours") == vn(2026, 3, 9, 11, 30)
    assert due(snap, vn(2026, 3, 9, 10, 30), 2, "working_hours") == vn(2026, 3, 9, 14, 30)


def test_working_days_keep_the_clock_time():
    snap = snapshot()
    assert due(snap, vn(2026, 3, 9, 9, 10), 3, "working_days") == vn(2026, 3, 12, 9, 10)
    assert due(snap, vn(2026, 3, 9, 15, 0), 1, "working_days") == vn(2026, 3, 10, 15, 0)
    # Whole days from the start of a day end when the last day's work ends, not the next morning.
    assert due(snap, vn(2026, 3, 9, 7, 30), 2, "working_days") == vn(2026, 3, 10, 17, 0)
    assert due(snap, vn(2026, 3, 9, 17, 0), 1, "working_days") == vn(2026, 3, 10, 17, 0)
    assert due(snap, vn(2026, 3, 13, 17, 0), 1, "working_days") == vn(2026, 3, 16, 17, 0)
    # Half a working day is 3 h 45 min of working time.
    assert due(snap, vn(2026, 3, 9, 7, 30), Decimal("0.5"), "working_days") == vn(2026, 3, 9, 11, 15)


def test_working_hours_across_a_weekend():
    # Fri 16:00: one hour on Friday, three on Monday.
    assert due(snapshot(), vn(2026, 3, 13, 16), 4, "working_hours") == vn(2026, 3, 16, 10, 30)


def test_weekend_start_counts_from_monday_morning():
    assert due(snapshot(), vn(2026, 3, 14, 10), 8, "working_hours") == vn(2026, 3, 17, 8, 0)


def test_other_office_hours():
    snap = snapshot(hours=OfficeHours(time(7), time(11, 30), time(13, 30), time(17)))
    assert snap.daily == timedelta(hours=8)
    assert due(snap, vn(2026, 3, 9, 6, 50), 0, "working_hours") == vn(2026, 3, 9, 7, 0)
    assert due(snap, vn(2026, 3, 9, 9), 1, "working_days") == vn(2026, 3, 10, 9)


def test_six_day_week():
    snap = snapshot(weekdays="1111110")
    assert due(snap, vn(2026, 3, 13, 9), 1, "working_days") == vn(2026, 3, 14, 9)


# --- calendar units --------------------------------------------------------------------------------


def test_calendar_days():
    snap = snapshot()
    assert due(snap, vn(2026, 3, 9, 9), 2, "days") == vn(2026, 3, 11, 9)
    # Lands on Saturday → next working moment.
    assert due(snap, vn(2026, 3, 12, 9), 2, "days") == vn(2026, 3, 16, 7, 30)
    # Lands on a Tết day → first session after Tết.
    assert due(snap, vn(2026, 2, 13, 9), 3, "days") == vn(2026, 2, 23, 7, 30)
    # Lands in the lunch break → afternoon session.
    assert due(snap, vn(2026, 3, 9, 12, 0), 1, "days") == vn(2026, 3, 10, 13, 30)


def test_calendar_hours():
    snap = snapshot()
    assert due(snap, vn(2026, 3, 9, 9), 5, "hours") == vn(2026, 3, 9, 14)
    assert due(snap, vn(2026, 3, 9, 9), 3, "hours") == vn(2026, 3, 9, 13, 30)  # 12:00 is lunch


def test_calendar_months():
    snap = snapshot()
    assert due(snap, vn(2026, 3, 17, 10), 1, "months") == vn(2026, 4, 17, 10)
    # 30/01 + 1 month → 28/02 (a Saturday) → Monday 02/03 07:30.
    assert due(snap, vn(2026, 1, 30, 10), 1, "months") == vn(2026, 3, 2, 7, 30)
    # A month without the 31st ends on its last day: 31/03 + 1 month → 30/04 10:00, a holiday,
    # followed by 01/05 and a weekend → Monday 04/05 07:30.
    assert due(snap, vn(2026, 3, 31, 10), 1, "months") == vn(2026, 5, 4, 7, 30)
    assert due(snap, vn(2026, 12, 31, 10), 2, "months") == vn(2027, 3, 1, 7, 30)  # 28/02/2027 is a Sunday
    # A start on a day off counts from the next session: Mon 31/08/2026 (swap) → Thu 03/09 07:30,
    # + 1 month → Sat 03/10 → Mon 05/10 07:30.
    assert due(snap, vn(2026, 8, 31, 10), 1, "months") == vn(2026, 10, 5, 7, 30)
    assert due(snap, vn(2026, 3, 17, 10), 12, "months") == vn(2027, 3, 17, 10)


# --- receipt cutoff --------------------------------------------------------------------------------


def test_receipt_cutoff_moves_late_receipts_to_next_working_day():
    snap = snapshot(receipt_cutoff=time(15))
    assert calculator.counting_start_at(snap, received_at=vn(2026, 3, 9, 15, 30)) == vn(2026, 3, 10, 7, 30)
    assert calculator.counting_start_at(snap, received_at=vn(2026, 3, 9, 15, 0)) == vn(2026, 3, 9, 15, 0)
    assert calculator.counting_start_at(snap, received_at=vn(2026, 3, 9, 12, 0)) == vn(2026, 3, 9, 13, 30)
    # Friday after the cutoff → Monday.
    assert calculator.counting_start_at(snap, received_at=vn(2026, 3, 13, 16)) == vn(2026, 3, 16, 7, 30)
    # Without a cutoff only office hours matter.
    assert calculator.counting_start_at(snapshot(), received_at=vn(2026, 3, 9, 15, 30)) == vn(
        2026, 3, 9, 15, 30
    )


# --- time zones and errors ---------------------------------------------------------------------------


def test_any_offset_in_vietnam_time_out():
    start = datetime(2026, 2, 13, 2, 0, tzinfo=UTC)  # 09:00 in Hà Nội
    result = due(snapshot(), start, 3, "working_days")
    assert result == vn(2026, 2, 25, 9)
    assert result.utcoffset() == timedelta(hours=7)
    assert result.isoformat() == "2026-02-25T09:00:00+07:00"


@pytest.mark.parametrize(
    ("start", "amount", "unit", "code"),
    [
        (datetime(2026, 3, 9, 9), 1, "working_days", "timezone_required"),
        (vn(2026, 3, 9, 9), 1, "weeks", "invalid_time_unit"),
        (vn(2026, 3, 9, 9), -1, "working_days", "invalid_time_amount"),
        (vn(2026, 3, 9, 9), Decimal("NaN"), "working_hours", "invalid_time_amount"),
        (vn(2026, 3, 9, 9), True, "working_hours", "invalid_time_amount"),
        (vn(2026, 3, 9, 9), Decimal("1.5"), "months", "invalid_time_amount"),
        (vn(2026, 3, 9, 9), 10**9, "working_hours", "time_amount_too_large"),
        (vn(2026, 3, 9, 9), 10**6, "months", "time_amount_too_large"),
    ],
)
def test_bad_input_is_refused_with_a_code(start, amount, unit, code):
    with pytest.raises(ValidationFailed) as exc:
        due(snapshot(), start, amount, unit)
    assert exc.value.code == code


def test_invalid_configuration_is_refused():
    with pytest.raises(ValidationFailed) as exc:
        OfficeHours(time(11, 30), time(7, 30), time(13, 30), time(17))
    assert exc.value.code == "invalid_office_hours"
    for mask in ("0000000", "11111", "1111102"):
        with pytest.raises(ValidationFailed) as exc:
            CalendarSnapshot(weekdays=mask)
        assert exc.value.code == "invalid_working_weekdays"


def test_calendar_without_any_working_day_stops_with_an_error():
    every_day_off = {date(2026, 1, 1) + timedelta(days=n): DayKind.DAY_OFF for n in range(4000)}
    snap = CalendarSnapshot(days=every_day_off)
    with pytest.raises(ValidationFailed) as exc:
        due(snap, vn(2026, 1, 1, 9), 1, "working_hours")
    assert exc.value.code == "no_working_time"


# --- measuring -------------------------------------------------------------------------------------


def test_working_minutes_between():
    snap = snapshot()
    between = calculator.working_minutes_between
    assert between(snap, start=vn(2026, 3, 9, 9), end=vn(2026, 3, 9, 9)) == 0
    assert between(snap, start=vn(2026, 3, 10, 9), end=vn(2026, 3, 9, 9)) == 0
    assert between(snap, start=vn(2026, 3, 9, 11), end=vn(2026, 3, 9, 14)) == 30 + 30
    assert between(snap, start=vn(2026, 3, 13, 16), end=vn(2026, 3, 16, 8)) == 60 + 30
    # A whole Tết-free week = 5 × 450 minutes; the Tết week 16–20/02/2026 has none.
    assert between(snap, start=vn(2026, 3, 9), end=vn(2026, 3, 16)) == 5 * 450
    assert between(snap, start=vn(2026, 2, 14), end=vn(2026, 2, 23)) == 0
    assert calculator.working_days_from_minutes(snap, 675) == 1.5
