"""Entry points of the working calendar.

Writes: ``work_calendar_create``, ``workdays_seed``. Time arithmetic (read-only): ``due_at``,
``counting_start_at``, ``working_minutes_between``, ``working_days_from_minutes``,
``is_working_day`` — each loads the cached snapshot of the calendar and asks ``calculator``.

They take a ``WorkCalendar``, not an agency: ``org`` sits above this app and resolves an agency to its
calendar (its own, or the province's).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from tinhso.core.errors import Conflict, ValidationFailed
from tinhso.workdays import calculator
from tinhso.workdays.choices import DaySource
from tinhso.workdays.models import CalendarDay, WorkCalendar
from tinhso.workdays.seeding import seed_days, seed_years
from tinhso.workdays.snapshot import calendar_touch, warn_if_unseeded, work_calendar_snapshot

logger = logging.getLogger(__name__)

_SEED_FIELDS = ("kind", "name", "source", "note")


# --- writes -----------------------------------------------------------------------------------------


@transaction.atomic
def work_calendar_create(*, code: str, name: str, parent: WorkCalendar | None = None) -> WorkCalendar:
    """A new calendar; office hours and weekdays are inherited (or the defaults for a root)."""
    calendar = WorkCalendar(code=code.strip(), name=name.strip(), parent=parent)
    try:
        calendar.full_clean()
    except ValidationError as exc:
        if "code" in exc.message_dict and WorkCalendar.objects.filter(code=calendar.code).exists():
            raise Conflict(f"Đã có lịch làm việc mã {calendar.code}.", code="calendar_code_taken") from exc
        raise ValidationFailed(
            "Thông tin lịch làm việc không hợp lệ.",
            code="invalid_calendar",
            errors=[{"field": field, "messages": messages} for field, messages in exc.message_dict.items()],
        ) from exc
    try:
        with transaction.atomic():
            calendar.save()
    except IntegrityError as exc:  # a concurrent create with the same code
        raise Conflict(f"Đã có lịch làm việc mã {calendar.code}.", code="calendar_code_taken") from exc
    return calendar


@transaction.atomic
def workdays_seed(*, calendar: WorkCalendar, years: Iterable[int]) -> int:
    """Merge the holidays and official swaps of ``years`` into ``calendar``; return the rows written.

    Idempotent: a second run writes nothing. Rows a person entered or edited (source ``government`` or
    ``province``) are never touched; ``seeded`` rows are updated, and removed when the package no
    longer lists them (e.g. a heuristic Tết replaced by the official decision in a newer release).
    """
    wanted_years = seed_years(years)
    wanted = {day.date: day for day in seed_days(wanted_years)}
    existing = {
        row.date: row
        for row in CalendarDay.objects.select_for_update().filter(
            Q(date__year__in=wanted_years) | Q(date__in=list(wanted)), calendar=calendar
        )
    }
    to_create: list[CalendarDay] = []
    to_update: list[CalendarDay] = []
    for day, seed in wanted.items():
        row = existing.get(day)
        if row is None:
            to_create.append(
                CalendarDay(
                    calendar=calendar, date=day, **{field: getattr(seed, field) for field in _SEED_FIELDS}
                )
            )
        elif row.source == DaySource.SEEDED and any(
            getattr(row, field) != getattr(seed, field) for field in _SEED_FIELDS
        ):
            for field in _SEED_FIELDS:
                setattr(row, field, getattr(seed, field))
            to_update.append(row)
    stale = [
        row.pk
        for day, row in existing.items()
        if row.source == DaySource.SEEDED and day not in wanted and day.year in wanted_years
    ]
    CalendarDay.objects.bulk_create(to_create)
    CalendarDay.objects.bulk_update(to_update, list(_SEED_FIELDS))
    CalendarDay.objects.filter(pk__in=stale).delete()
    written = len(to_create) + len(to_update) + len(stale)
    if written:
        # Bulk writes send no signals; tell the snapshot cache ourselves.
        calendar_touch(calendar_ids=[calendar.pk])
    logger.info(
        "workdays: seeded calendar %s for %s..%s: %d created, %d updated, %d removed",
        calendar.code,
        wanted_years[0],
        wanted_years[-1],
        len(to_create),
        len(to_update),
        len(stale),
    )
    return written


# --- time arithmetic --------------------------------------------------------------------------------


def due_at(*, calendar: WorkCalendar, start: datetime, amount: int | Decimal, unit: str) -> datetime:
    """The moment ``amount`` ``unit``s after ``start`` (aware, Asia/Ho_Chi_Minh).

    ``unit`` is a ``TimeUnit`` value: ``working_days``, ``working_hours``, ``days``, ``hours``,
    ``months``. Conventions and examples: docs/workdays.md.
    """
    snapshot = work_calendar_snapshot(calendar=calendar)
    result = calculator.due_at(snapshot, start=start, amount=amount, unit=unit)
    warn_if_unseeded(calendar=calendar, snapshot=snapshot, start=start, end=result)
    return result


def counting_start_at(*, calendar: WorkCalendar, received_at: datetime) -> datetime:
    """When the deadline clock of a dossier received at ``received_at`` starts (next working moment,
    or the next working day when received after the calendar's ``receipt_cutoff``)."""
    snapshot = work_calendar_snapshot(calendar=calendar)
    return calculator.counting_start_at(snapshot, received_at=received_at)


def working_minutes_between(*, calendar: WorkCalendar, start: datetime, end: datetime) -> int:
    """Whole working minutes between ``start`` and ``end``; 0 when ``end`` ≤ ``start``."""
    snapshot = work_calendar_snapshot(calendar=calendar)
    return calculator.working_minutes_between(snapshot, start=start, end=end)


def working_days_from_minutes(*, calendar: WorkCalendar, minutes: int | float) -> float:
    """Working minutes in working days of this calendar (reports: "chậm 1,5 ngày làm việc")."""
    return calculator.working_days_from_minutes(work_calendar_snapshot(calendar=calendar), minutes)


def is_working_day(*, calendar: WorkCalendar, day: date) -> bool:
    return work_calendar_snapshot(calendar=calendar).is_working_day(day)
