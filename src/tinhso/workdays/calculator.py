"""Working-time arithmetic on a calendar snapshot: pure Python, no database.

The services load a ``CalendarSnapshot`` once (and cache it); everything here is a function of that
snapshot and its arguments, so it can be property-tested and reused for thousands of due dates.
The conventions (what "N working days after T" means) are explained with examples in
``docs/workdays.md``; vn-standards §4.4 is the source of the rules.

Times are computed in Asia/Ho_Chi_Minh local time. Vietnam has no daylight saving time, so naive
local arithmetic is exact; aware datetimes go in and come out.
"""

from __future__ import annotations

import calendar as gregorian
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from types import MappingProxyType
from zoneinfo import ZoneInfo

from tinhso.core.errors import ValidationFailed
from tinhso.workdays.choices import DayKind, TimeUnit

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")

# A calendar whose next working moment is further away than this is misconfigured (every day marked
# off); stopping beats looping for ever.
MAX_IDLE_DAYS = 3660
# No legal deadline runs for centuries; this bounds the loop for absurd amounts.
MAX_SPAN_DAYS = 366 * 100

_WEEKDAY_MASK = re.compile(r"^[01]{7}$")
_HOUR = timedelta(hours=1)
_MINUTE = timedelta(minutes=1)


@dataclass(frozen=True)
class OfficeHours:
    """Two sessions per working day (vn-standards §4.4: hours differ by province and agency)."""

    morning_start: time = time(7, 30)
    morning_end: time = time(11, 30)
    afternoon_start: time = time(13, 30)
    afternoon_end: time = time(17, 0)

    def __post_init__(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationFailed(
                "Giờ làm việc không hợp lệ: buổi sáng phải bắt đầu trước khi kết thúc, "
                "buổi chiều bắt đầu sau buổi sáng và kết thúc sau khi bắt đầu.",
                code="invalid_office_hours",
            )

    @property
    def offsets(self) -> tuple[tuple[timedelta, timedelta], tuple[timedelta, timedelta]]:
        return (
            (_since_midnight(self.morning_start), _since_midnight(self.morning_end)),
            (_since_midnight(self.afternoon_start), _since_midnight(self.afternoon_end)),
        )

    @property
    def daily(self) -> timedelta:
        (ms, me), (as_, ae) = self.offsets
        return (me - ms) + (ae - as_)


DEFAULT_OFFICE_HOURS = OfficeHours()
DEFAULT_WEEKDAYS = "1111100"  # Monday … Sunday


def check_weekdays(mask: str) -> None:
    if not _WEEKDAY_MASK.match(mask) or "1" not in mask:
        raise ValidationFailed(
            "Ngày làm việc trong tuần phải gồm 7 ký tự 0/1 (từ thứ Hai đến Chủ nhật) "
            "và có ít nhất một ngày làm việc.",
            code="invalid_working_weekdays",
        )


@dataclass(frozen=True, eq=False)
class CalendarSnapshot:
    """Everything the arithmetic needs about one calendar, with inheritance already resolved.

    ``days`` maps a date to the ``DayKind`` that decides it (the nearest calendar in the chain with a
    row for that date); dates without a row follow ``weekdays``. ``seeded_years`` are the years for
    which the chain holds at least one holiday, so callers can tell when a computation runs past the
    seeded part of the calendar.
    """

    hours: OfficeHours = DEFAULT_OFFICE_HOURS
    weekdays: str = DEFAULT_WEEKDAYS
    days: Mapping[date, str] = field(default_factory=dict)
    receipt_cutoff: time | None = None
    seeded_years: frozenset[int] = frozenset()
    key: tuple = ()
    _offsets: tuple = field(init=False, repr=False, default=())
    _daily: timedelta = field(init=False, repr=False, default=timedelta())

    def __post_init__(self) -> None:
        check_weekdays(self.weekdays)
        object.__setattr__(self, "days", MappingProxyType(dict(self.days)))
        object.__setattr__(self, "_offsets", self.hours.offsets)
        object.__setattr__(self, "_daily", self.hours.daily)

    def is_working_day(self, day: date) -> bool:
        kind = self.days.get(day)
        if kind is None:
            return self.weekdays[day.weekday()] == "1"
        return kind == DayKind.WORKING_DAY

    def sessions(self, day: date) -> tuple[tuple[datetime, datetime], ...]:
        """The closed intervals [start, end] of work on ``day``, in naive local time."""
        if not self.is_working_day(day):
            return ()
        midnight = datetime.combine(day, time.min)
        return tuple((midnight + start, midnight + end) for start, end in self._offsets)

    @property
    def daily(self) -> timedelta:
        """Working time of one working day (7 h 30 min with the default hours)."""
        return self._daily


# --- conversions ---------------------------------------------------------------------------------


def to_local(moment: datetime) -> datetime:
    """Aware datetime → naive Vietnam local time."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationFailed(
            "Thời điểm phải kèm múi giờ, ví dụ 2026-02-13T09:00:00+07:00.", code="timezone_required"
        )
    return moment.astimezone(VIETNAM).replace(tzinfo=None)


def from_local(moment: datetime) -> datetime:
    return moment.replace(tzinfo=VIETNAM)


def _since_midnight(value: time) -> timedelta:
    return timedelta(hours=value.hour, minutes=value.minute, seconds=value.second)


def _as_amount(amount: int | Decimal) -> Decimal:
    if isinstance(amount, bool) or not isinstance(amount, int | Decimal | float):
        raise ValidationFailed("Thời hạn phải là một số.", code="invalid_time_amount")
    try:
        value = Decimal(str(amount)) if isinstance(amount, float) else Decimal(amount)
    except InvalidOperation as exc:  # pragma: no cover - Decimal(int) cannot fail
        raise ValidationFailed("Thời hạn phải là một số.", code="invalid_time_amount") from exc
    if not value.is_finite() or value < 0:
        raise ValidationFailed("Thời hạn phải là một số không âm.", code="invalid_time_amount")
    return value


def _seconds(amount: Decimal, per_unit: timedelta) -> timedelta:
    seconds = (amount * Decimal(int(per_unit.total_seconds()))).to_integral_value(rounding=ROUND_HALF_UP)
    if seconds > MAX_SPAN_DAYS * 86400:
        raise _too_large()
    return timedelta(seconds=int(seconds))


def _too_large() -> ValidationFailed:
    return ValidationFailed("Thời hạn quá lớn.", code="time_amount_too_large")


def _no_working_time() -> ValidationFailed:
    return ValidationFailed(
        "Lịch làm việc không còn ngày làm việc nào trong nhiều năm tới; hãy kiểm tra cấu hình lịch.",
        code="no_working_time",
    )


# --- local (naive) arithmetic ---------------------------------------------------------------------


def _next_moment(snapshot: CalendarSnapshot, at: datetime) -> datetime:
    """The earliest instant ≥ ``at`` inside a working session (session bounds included)."""
    day = at.date()
    for _ in range(MAX_IDLE_DAYS):
        for start, end in snapshot.sessions(day):
            if at <= end:
                return max(at, start)
        day += timedelta(days=1)
    raise _no_working_time()


def _add_working(snapshot: CalendarSnapshot, at: datetime, amount: timedelta) -> datetime:
    """Consume ``amount`` of working time from ``at``; the answer lies inside a session (bounds included).

    Ending exactly at a session's end is allowed (due 11:30, not 13:30): the work is done the moment
    the time is used up, and starting again from 11:30 skips the lunch break, so the arithmetic stays
    additive.
    """
    remaining = amount
    cursor = _next_moment(snapshot, at)
    day = cursor.date()
    daily = snapshot.daily
    idle = 0
    for _ in range(MAX_SPAN_DAYS):
        if not snapshot.is_working_day(day):
            idle += 1
            if idle > MAX_IDLE_DAYS:
                raise _no_working_time()
            day += timedelta(days=1)
            continue
        idle = 0
        # A whole working day still to be consumed after this one: skip it without building sessions.
        if day > cursor.date() and remaining > daily:
            remaining -= daily
            day += timedelta(days=1)
            continue
        for start, end in snapshot.sessions(day):
            if cursor > end:
                continue
            cursor = max(cursor, start)
            available = end - cursor
            if remaining <= available:
                return cursor + remaining
            remaining -= available
            cursor = end
        day += timedelta(days=1)
    raise _too_large()


def _add_months(at: datetime, months: int) -> datetime:
    # Civil-code style: the same day-of-month, or the month's last day when it has no such day.
    years, month_index = divmod(at.month - 1 + months, 12)
    year = at.year + years
    if year > date.max.year:
        raise _too_large()
    month = month_index + 1
    day = min(at.day, gregorian.monthrange(year, month)[1])
    return at.replace(year=year, month=month, day=day)


# --- public API -----------------------------------------------------------------------------------


def next_working_moment(snapshot: CalendarSnapshot, at: datetime) -> datetime:
    """``at`` itself if it lies inside a working session, otherwise the start of the next one."""
    return from_local(_next_moment(snapshot, to_local(at)))


def counting_start_at(snapshot: CalendarSnapshot, *, received_at: datetime) -> datetime:
    """When the deadline clock of a dossier received at ``received_at`` starts (vn-standards §4.4).

    Outside office hours the clock starts at the next working session. When the calendar has a
    ``receipt_cutoff`` (e.g. 15:00), a receipt *after* the cutoff on a working day counts from the
    first session of the next working day — "tiếp nhận sau 15 giờ thì trả trong ngày làm việc tiếp
    theo".
    """
    local = to_local(received_at)
    cutoff = snapshot.receipt_cutoff
    if cutoff is not None and snapshot.is_working_day(local.date()) and local.time() > cutoff:
        local = datetime.combine(local.date() + timedelta(days=1), time.min)
    return from_local(_next_moment(snapshot, local))


def due_at(snapshot: CalendarSnapshot, *, start: datetime, amount: int | Decimal, unit: str) -> datetime:
    """The moment ``amount`` ``unit``s after ``start``.

    * ``working_hours``: ``amount`` × 60 minutes of working time;
    * ``working_days``: ``amount`` × the working minutes of one day (07:30–11:30 + 13:30–17:00 =
      7 h 30 min by default), so a start inside a session gives the same clock time N working days
      later (receipt Mon 09:10 + 3 days → Thu 09:10);
    * ``days`` / ``hours`` / ``months``: calendar time added to the (working) start, then moved
      forward to the next working moment if it lands outside office hours.

    A start outside office hours counts from the next working session in every unit.
    """
    try:
        unit = TimeUnit(unit)
    except ValueError as exc:
        raise ValidationFailed(
            "Đơn vị thời hạn không hợp lệ; dùng một trong: "
            + ", ".join(f"{value} ({label})" for value, label in TimeUnit.choices)
            + ".",
            code="invalid_time_unit",
        ) from exc
    value = _as_amount(amount)
    begin = _next_moment(snapshot, to_local(start))

    if unit == TimeUnit.WORKING_HOURS:
        result = _add_working(snapshot, begin, _seconds(value, _HOUR))
    elif unit == TimeUnit.WORKING_DAYS:
        result = _add_working(snapshot, begin, _seconds(value, snapshot.daily))
    else:
        if unit == TimeUnit.MONTHS:
            if value != value.to_integral_value():
                raise ValidationFailed(
                    "Thời hạn tính theo tháng phải là số nguyên.", code="invalid_time_amount"
                )
            landed = _add_months(begin, int(value))
        else:
            per_unit = timedelta(days=1) if unit == TimeUnit.DAYS else _HOUR
            try:
                landed = begin + _seconds(value, per_unit)
            except OverflowError as exc:
                raise _too_large() from exc
        result = _next_moment(snapshot, landed)
    return from_local(result)


def working_time_between(snapshot: CalendarSnapshot, *, start: datetime, end: datetime) -> timedelta:
    """Working time inside [start, end]; zero when ``end`` is not after ``start``."""
    a, b = to_local(start), to_local(end)
    if b <= a:
        return timedelta()
    if a.date() == b.date():
        return _overlap(snapshot, a.date(), a, b)
    total = _overlap(snapshot, a.date(), a, b) + _overlap(snapshot, b.date(), a, b)
    day = a.date() + timedelta(days=1)
    # Days strictly inside the range are whole working days or none.
    while day < b.date():
        if snapshot.is_working_day(day):
            total += snapshot.daily
        day += timedelta(days=1)
    return total


def _overlap(snapshot: CalendarSnapshot, day: date, a: datetime, b: datetime) -> timedelta:
    total = timedelta()
    for s, e in snapshot.sessions(day):
        lo, hi = max(s, a), min(e, b)
        if hi > lo:
            total += hi - lo
    return total


def working_minutes_between(snapshot: CalendarSnapshot, *, start: datetime, end: datetime) -> int:
    """Whole working minutes between two moments (seconds are dropped)."""
    return working_time_between(snapshot, start=start, end=end) // _MINUTE


def working_days_from_minutes(snapshot: CalendarSnapshot, minutes: int | float) -> float:
    """Working minutes expressed in working days of this calendar (450 minutes = 1.0 by default)."""
    return minutes / (snapshot.daily / _MINUTE)
