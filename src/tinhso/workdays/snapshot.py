"""Loading a calendar into an immutable ``CalendarSnapshot``, and keeping the loaded ones in memory.

The one-stop shop computes many due dates per request, so a snapshot is loaded once per calendar
and reused. Freshness: every change to a calendar or to one of its days bumps
``WorkCalendar.revision``; the process that made the change drops its cache at once (signals below),
and every other process re-reads the revisions of the chain at most every ``RECHECK_SECONDS``
(one small query) and reloads when one moved.
"""

from __future__ import annotations

import logging
import threading
import time as monotonic_clock
from dataclasses import dataclass
from datetime import time

from django.db import transaction
from django.db.models import F

from tinhso.workdays.calculator import (
    DEFAULT_OFFICE_HOURS,
    DEFAULT_WEEKDAYS,
    VIETNAM,
    CalendarSnapshot,
    OfficeHours,
    check_weekdays,
)
from tinhso.workdays.choices import DayKind
from tinhso.workdays.models import CalendarDay, WorkCalendar

logger = logging.getLogger("tinhso.workdays")

# How stale another process's edit may be seen here, at worst. Short enough for an administrator who
# just saved a province announcement; long enough that a busy list page costs no query per due date.
RECHECK_SECONDS = 30.0

_HOUR_FIELDS = ("morning_start", "morning_end", "afternoon_start", "afternoon_end")


@dataclass
class _Entry:
    snapshot: CalendarSnapshot
    revisions: tuple[tuple[int, int], ...]
    checked_at: float


_cache: dict[int, _Entry] = {}
_warned: set[tuple[tuple, int]] = set()
_lock = threading.Lock()


def effective_settings(chain: list[WorkCalendar]) -> tuple[OfficeHours, str, time | None]:
    """Office hours, weekday mask and receipt cutoff after inheritance (nearest non-empty value wins)."""

    def nearest(field: str, default):
        for calendar in chain:
            value = getattr(calendar, field)
            if value not in (None, ""):
                return value
        return default

    hours = OfficeHours(
        **{field: nearest(field, getattr(DEFAULT_OFFICE_HOURS, field)) for field in _HOUR_FIELDS}
    )
    weekdays = nearest("weekdays", DEFAULT_WEEKDAYS)
    check_weekdays(weekdays)
    return hours, weekdays, nearest("receipt_cutoff", None)


def snapshot_load(*, calendar: WorkCalendar) -> CalendarSnapshot:
    """Read the calendar, its ancestors and all their days from the database (no cache)."""
    chain = WorkCalendar.objects.get(pk=calendar.pk).chain()
    hours, weekdays, cutoff = effective_settings(chain)
    distance = {c.pk: index for index, c in enumerate(chain)}
    decided: dict = {}
    seeded_years: set[int] = set()
    rows = CalendarDay.objects.filter(calendar_id__in=distance).values_list("calendar_id", "date", "kind")
    for calendar_id, day, kind in rows:
        if kind == DayKind.HOLIDAY:
            seeded_years.add(day.year)
        # The nearest calendar with a row for the date decides it (an agency overrides its province).
        current = decided.get(day)
        if current is None or distance[calendar_id] < current[0]:
            decided[day] = (distance[calendar_id], kind)
    return CalendarSnapshot(
        hours=hours,
        weekdays=weekdays,
        days={day: kind for day, (_, kind) in decided.items()},
        receipt_cutoff=cutoff,
        seeded_years=frozenset(seeded_years),
        key=tuple((c.pk, c.revision) for c in chain),
    )


def work_calendar_snapshot(*, calendar: WorkCalendar) -> CalendarSnapshot:
    """The snapshot of ``calendar``, from the in-process cache when it is still current."""
    now = monotonic_clock.monotonic()
    entry = _cache.get(calendar.pk)
    if entry is not None:
        if now - entry.checked_at < RECHECK_SECONDS:
            return entry.snapshot
        ids = [pk for pk, _ in entry.revisions]
        current = dict(WorkCalendar.objects.filter(pk__in=ids).values_list("pk", "revision"))
        if all(current.get(pk) == revision for pk, revision in entry.revisions):
            entry.checked_at = now
            return entry.snapshot
    snapshot = snapshot_load(calendar=calendar)
    with _lock:
        _cache[calendar.pk] = _Entry(snapshot=snapshot, revisions=snapshot.key, checked_at=now)
    return snapshot


def cache_clear() -> None:
    with _lock:
        _cache.clear()
        _warned.clear()


def calendar_touch(*, calendar_ids) -> None:
    """Mark calendars as changed: bump their revision and forget every snapshot cached here.

    The cache is cleared once more after commit: another thread of this process may have loaded the
    old days in between, and should not wait for the revision check to drop them.
    """
    WorkCalendar.objects.filter(pk__in=list(calendar_ids)).update(revision=F("revision") + 1)
    cache_clear()
    transaction.on_commit(cache_clear)


def warn_if_unseeded(*, calendar: WorkCalendar, snapshot: CalendarSnapshot, start, end) -> None:
    """Log once per calendar state and year when a computation runs through a year without holidays.

    Past the seeded years the calendar knows only weekends, so a Tết there would count as work.
    """
    first = start.astimezone(VIETNAM).year
    last = end.astimezone(VIETNAM).year
    for year in range(first, last + 1):
        if year not in snapshot.seeded_years and (snapshot.key, year) not in _warned:
            _warned.add((snapshot.key, year))
            logger.warning(
                "workdays: calendar %s has no holidays for %d; run `tinhso workdays seed --calendar %s "
                "--years %d` and enter the official announcements",
                calendar.code,
                year,
                calendar.code,
                year,
            )


# --- signal receivers (connected in apps.py) --------------------------------------------------------


def on_day_changed(sender, instance: CalendarDay, **kwargs) -> None:
    calendar_touch(calendar_ids=[instance.calendar_id])


def on_calendar_saved(sender, instance: WorkCalendar, **kwargs) -> None:
    # A parent or office-hours change alters the snapshots of this calendar and of its descendants;
    # descendants carry this calendar's revision in their key, so bumping this one is enough.
    calendar_touch(calendar_ids=[instance.pk])


def on_calendar_deleted(sender, instance: WorkCalendar, **kwargs) -> None:
    cache_clear()
    transaction.on_commit(cache_clear)
