"""Properties of the arithmetic that every deadline in the system relies on (hypothesis, DESIGN §5.3).

The snapshot is the real Vietnamese calendar 2024–2028 (Tết, swaps, 24/11), with several office-hour
settings, so the properties are exercised across holidays, worked Saturdays and lunch breaks.
"""

from datetime import date, datetime, time, timedelta
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from tinhso.workdays import calculator
from tinhso.workdays.calculator import VIETNAM, CalendarSnapshot, OfficeHours
from tinhso.workdays.seeding import seed_days

PROPERTY_SETTINGS = settings(max_examples=200, derandomize=True, deadline=None, database=None)

HOURS = (
    OfficeHours(),  # 07:30–11:30, 13:30–17:00
    OfficeHours(time(7), time(11, 30), time(13, 30), time(17)),
    OfficeHours(time(8), time(12), time(12), time(16)),  # no lunch break
)


@cache
def snapshot(hours_index: int) -> CalendarSnapshot:
    days = {day.date: day.kind for day in seed_days(range(2024, 2029))}
    return CalendarSnapshot(hours=HOURS[hours_index], days=days)


snapshots = st.integers(min_value=0, max_value=len(HOURS) - 1).map(snapshot)
moments = st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2026, 12, 31, 23, 59)).map(
    lambda moment: moment.replace(second=0, microsecond=0, tzinfo=VIETNAM)
)
working_units = st.sampled_from(["working_hours", "working_days"])
all_units = st.sampled_from(["working_hours", "working_days", "days", "hours", "months"])
amounts = st.integers(min_value=0, max_value=40)


def due(snap, start, amount, unit):
    return calculator.due_at(snap, start=start, amount=amount, unit=unit)


def inside_office_hours(snap: CalendarSnapshot, moment: datetime) -> bool:
    local = moment.astimezone(VIETNAM).replace(tzinfo=None)
    return any(start <= local <= end for start, end in snap.sessions(local.date()))


@st.composite
def session_moments(draw):
    """A start inside a working session of the drawn snapshot."""
    snap = draw(snapshots)
    moment = draw(moments)
    start = calculator.next_working_moment(snap, moment)
    sessions = snap.sessions(start.date())
    low, high = next((s, e) for s, e in sessions if s <= start.replace(tzinfo=None) <= e)
    length = int((high - low) / timedelta(minutes=1))
    # Session bounds are where off-by-one mistakes live, so they are drawn on purpose.
    minutes = draw(st.one_of(st.sampled_from([0, length]), st.integers(min_value=0, max_value=length)))
    return snap, (low + timedelta(minutes=minutes)).replace(tzinfo=VIETNAM)


@PROPERTY_SETTINGS
@given(snap=snapshots, first=moments, second=moments, amount=amounts, unit=all_units)
def test_later_start_never_gives_earlier_due(snap, first, second, amount, unit):
    early, late = sorted((first, second))
    assert due(snap, early, amount, unit) <= due(snap, late, amount, unit)


@PROPERTY_SETTINGS
@given(snap=snapshots, start=moments, first=amounts, second=amounts, unit=all_units)
def test_more_time_never_gives_earlier_due(snap, start, first, second, unit):
    small, large = sorted((first, second))
    assert due(snap, start, small, unit) <= due(snap, start, large, unit)


@PROPERTY_SETTINGS
@given(drawn=session_moments(), first=amounts, second=amounts, unit=working_units)
def test_working_time_is_additive(drawn, first, second, unit):
    snap, start = drawn
    assert due(snap, due(snap, start, first, unit), second, unit) == due(snap, start, first + second, unit)


@PROPERTY_SETTINGS
@given(snap=snapshots, start=moments, amount=amounts, unit=all_units)
def test_due_is_inside_office_hours_on_a_working_day(snap, start, amount, unit):
    result = due(snap, start, amount, unit)
    assert result.utcoffset() == timedelta(hours=7)
    assert snap.is_working_day(result.date())
    assert inside_office_hours(snap, result)
    assert result >= start


@PROPERTY_SETTINGS
@given(drawn=session_moments(), amount=st.integers(min_value=0, max_value=300))
def test_between_measures_what_due_at_added(drawn, amount):
    snap, start = drawn
    end = due(snap, start, amount, "working_hours")
    assert calculator.working_minutes_between(snap, start=start, end=end) == amount * 60
    # …and it is the earliest such moment: a minute before, the time is not yet used up.
    if amount:
        assert (
            calculator.working_minutes_between(snap, start=start, end=end - timedelta(minutes=1))
            < amount * 60
        )


@PROPERTY_SETTINGS
@given(drawn=session_moments(), amount=st.integers(min_value=0, max_value=60))
def test_working_days_are_days_of_working_minutes(drawn, amount):
    snap, start = drawn
    end = due(snap, start, amount, "working_days")
    minutes = calculator.working_minutes_between(snap, start=start, end=end)
    assert calculator.working_days_from_minutes(snap, minutes) == amount
    # Strictly inside a session, N working days later is the same clock time. (At a boundary the
    # clock may show the equivalent boundary instead: 13:30 + 1 day = 11:30 of the next working day.)
    local = start.replace(tzinfo=None)
    if any(s < local < e for s, e in snap.sessions(local.date())):
        assert end.time() == start.time()


@settings(max_examples=80, derandomize=True, deadline=None, database=None)
@given(snap=snapshots, start=moments, length=st.integers(min_value=0, max_value=3 * 24 * 60))
def test_between_matches_a_minute_by_minute_count(snap, start, length):
    end = start + timedelta(minutes=length)
    counted = 0
    for minute in range(length):
        local = (start + timedelta(minutes=minute)).replace(tzinfo=None)
        # A minute counts when it lies within a session: [start, end) by its beginning.
        counted += any(s <= local < e for s, e in snap.sessions(local.date()))
    assert calculator.working_minutes_between(snap, start=start, end=end) == counted


def test_properties_see_real_holidays():
    # Guard against a vacuous snapshot: the property calendar must contain Tết 2026 and the swap.
    snap = snapshot(0)
    assert not snap.is_working_day(date(2026, 2, 17))
    assert snap.is_working_day(date(2026, 8, 22))
