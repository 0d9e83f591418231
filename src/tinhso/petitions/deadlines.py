"""The PAKN clock (vn-standards §6.2), counted on the handling agency's working calendar.

From receipt or transfer: refuse within 2 working days, first request for more information within 5,
handle (answer approved) within 15; then publish within 2 working days of the answer. Waiting for the
sender stops the clock: the working time spent waiting moves the handling deadline forward.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from tinhso.org.selectors import agency_calendar
from tinhso.workdays import services as workdays
from tinhso.workdays.choices import TimeUnit


def _days(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


@dataclass(frozen=True)
class Clock:
    started_at: datetime
    refuse_due_at: datetime
    info_due_at: datetime
    due_at: datetime


def clock_start(*, agency, at: datetime) -> Clock:
    """The deadlines of a petition that reached ``agency`` at ``at``."""
    calendar = agency_calendar(agency=agency)
    start = workdays.counting_start_at(calendar=calendar, received_at=at)

    def after(days: int) -> datetime:
        return workdays.due_at(calendar=calendar, start=start, amount=days, unit=TimeUnit.WORKING_DAYS)

    return Clock(started_at=start, refuse_due_at=after(_days("TINHSO_PETITION_REFUSE_DAYS", 2)),
                 info_due_at=after(_days("TINHSO_PETITION_INFO_DAYS", 5)),
                 due_at=after(_days("TINHSO_PETITION_HANDLE_DAYS", 15)))


def publish_due(*, agency, answered_at: datetime) -> datetime:
    calendar = agency_calendar(agency=agency)
    return workdays.due_at(calendar=calendar, start=answered_at,
                           amount=_days("TINHSO_PETITION_PUBLISH_DAYS", 2), unit=TimeUnit.WORKING_DAYS)


def paused_minutes(*, agency, since: datetime, until: datetime) -> int:
    return workdays.working_minutes_between(calendar=agency_calendar(agency=agency), start=since, end=until)


def shifted(*, agency, moment: datetime, minutes: int) -> datetime:
    if minutes <= 0:
        return moment
    return workdays.due_at(calendar=agency_calendar(agency=agency), start=moment, amount=Decimal(minutes) / 60,
                           unit=TimeUnit.WORKING_HOURS)


def at_risk_threshold(*, agency, now: datetime | None = None) -> datetime:
    """Due at or before this moment ⇒ at risk (less than one working day left by default)."""
    hours = Decimal(str(getattr(settings, "TINHSO_PETITION_AT_RISK_WORKING_HOURS", 8)))
    return workdays.due_at(calendar=agency_calendar(agency=agency), start=now or timezone.now(), amount=hours,
                           unit=TimeUnit.WORKING_HOURS)
