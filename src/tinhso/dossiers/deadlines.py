"""The dossier clock (vn-standards §4.4, DESIGN §5.3): appointment, step deadlines, pauses, verdicts.

All arithmetic goes through ``workdays.services`` on the calendar of the agency concerned
(``org.selectors.agency_calendar``): one calendar service, no second implementation.

* The appointment (``due_at``, NgayHenTra) counts the procedure's processing time from the valid
  receipt (NgayTiepNhan), after the calendar's receipt cutoff (``counting_start_at``).
* A pause (supplement during processing, payment) stops the clock; on resume the working time
  spent waiting is added to ``paused_minutes`` and every running deadline moves forward by it.
* On time ⇔ resolved ≤ the legal appointment (766 rule 2.1), and more than one supplement
  request makes a dossier late whatever the dates.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from tinhso.dossiers.status import Verdict
from tinhso.org.selectors import agency_calendar
from tinhso.workdays import services as workdays
from tinhso.workdays.choices import TimeUnit


def calendar_of(agency):
    return agency_calendar(agency=agency)


def appointment_at(*, agency, version, received_at: datetime) -> datetime:
    """Ngày hẹn trả: the version's processing time after the receipt, on the agency's calendar."""
    calendar = calendar_of(agency)
    start = workdays.counting_start_at(calendar=calendar, received_at=received_at)
    return workdays.due_at(
        calendar=calendar, start=start, amount=version.processing_time_value or 0,
        unit=version.processing_time_unit or TimeUnit.WORKING_DAYS,
    )


def apology_latest_at(*, agency, now: datetime) -> datetime:
    """The latest appointment an apology may still be issued for: one working day after ``now`` on
    the agency's calendar ("ít nhất 01 ngày trước ngày hẹn trả", vn-standards corrections)."""
    return workdays.due_at(calendar=calendar_of(agency), start=now, amount=1, unit=TimeUnit.WORKING_DAYS)


def apology_new_due_limit(*, agency, version, old_due: datetime) -> datetime | None:
    """The furthest new appointment of an apology: ``TINHSO_APOLOGY_MAX_EXTENSION_WORKING_DAYS`` working
    days after the current one, or (0, the default) the procedure's own processing time once more.
    ``None`` when the procedure states no processing time and no number is set: nothing to bound by."""
    days = int(getattr(settings, "TINHSO_APOLOGY_MAX_EXTENSION_WORKING_DAYS", 0) or 0)
    calendar = calendar_of(agency)
    if days > 0:
        return workdays.due_at(calendar=calendar, start=old_due, amount=days, unit=TimeUnit.WORKING_DAYS)
    if not version.processing_time_value:
        return None
    return workdays.due_at(calendar=calendar, start=old_due, amount=version.processing_time_value,
                           unit=version.processing_time_unit or TimeUnit.WORKING_DAYS)


def step_due_at(*, agency, step, start: datetime) -> datetime | None:
    """The deadline of a process step started at ``start`` in ``agency``; None when it has no duration."""
    if step is None or not step.duration_value:
        return None
    return workdays.due_at(calendar=calendar_of(agency), start=start, amount=step.duration_value,
                           unit=step.duration_unit)


def shift(*, agency, moment: datetime | None, minutes: int) -> datetime | None:
    """``moment`` moved forward by ``minutes`` of working time of the agency's calendar."""
    if moment is None or minutes <= 0:
        return moment
    return workdays.due_at(calendar=calendar_of(agency), start=moment, amount=Decimal(minutes) / 60,
                           unit=TimeUnit.WORKING_HOURS)


def paused_working_minutes(*, agency, since: datetime, until: datetime) -> int:
    return workdays.working_minutes_between(calendar=calendar_of(agency), start=since, end=until)


def at_risk_threshold(*, agency, now: datetime | None = None) -> datetime:
    """Dossiers due at or before this moment are "at risk" (sắp đến hạn): less than
    ``TINHSO_DOSSIER_AT_RISK_WORKING_HOURS`` (default one working day) of working time is left."""
    hours = Decimal(str(getattr(settings, "TINHSO_DOSSIER_AT_RISK_WORKING_HOURS", 7.5)))
    return workdays.due_at(calendar=calendar_of(agency), start=now or timezone.now(), amount=hours,
                           unit=TimeUnit.WORKING_HOURS)


def deadline_flags(dossier, *, now: datetime, threshold: datetime | None) -> tuple[bool, bool]:
    """``(overdue, at_risk)`` as the work queue and the dossier page flag it.

    A resolved dossier (waiting to be handed over) is judged by its resolution, never "sắp đến
    hạn": its clock stopped when the result was issued, and the desk must not rush a done file.
    """
    if dossier.due_at is None:
        return False, False
    if dossier.resolved_at is not None:
        return dossier.resolved_at > dossier.due_at, False
    clock = dossier.paused_since or now
    overdue = dossier.due_at < clock
    at_risk = (not overdue and dossier.paused_since is None and threshold is not None
               and dossier.due_at <= threshold)
    return overdue, at_risk


def verdict_for(*, finished_at: datetime, due: datetime | None, supplement_count: int = 0) -> str:
    """Trước hạn / Đúng hạn / Quá hạn of Mẫu 05/06 and of the 766 on-time rate.

    Early when finished on an earlier (Vietnam) day than the deadline, on time when finished by the
    deadline, late after it — or when more than one supplement was requested (vn-standards §4.4).
    Without a deadline (a step without duration) the work is on time.
    """
    if supplement_count > 1:
        return Verdict.LATE
    if due is None:
        return Verdict.ON_TIME
    if finished_at > due:
        return Verdict.LATE
    if timezone.localdate(finished_at) < timezone.localdate(due):
        return Verdict.EARLY
    return Verdict.ON_TIME
