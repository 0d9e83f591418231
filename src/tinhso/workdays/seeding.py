"""What seeding writes for given years: the ``holidays`` package's Vietnamese holidays plus the swaps.

Pure (no database), so the list can be checked against the official schedules in tests; the service
``workdays_seed`` merges it into a calendar.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import holidays

from tinhso.core.errors import ValidationFailed
from tinhso.workdays.choices import DayKind, DaySource
from tinhso.workdays.swaps import OFFICIAL_SWAPS

# The package applies Vietnam's observed-day rules from 1995; far-future years are pure guesses.
FIRST_YEAR = 1995
LAST_YEAR = 2100

WEEKDAY_NAMES = ("thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật")


@dataclass(frozen=True)
class SeedDay:
    date: date
    kind: str
    name: str
    source: str
    note: str = ""


def seed_years(years: Iterable[int]) -> list[int]:
    result = sorted({int(year) for year in years})
    if not result:
        raise ValidationFailed("Cần ít nhất một năm để nạp lịch.", code="invalid_seed_years")
    if result[0] < FIRST_YEAR or result[-1] > LAST_YEAR:
        raise ValidationFailed(
            f"Chỉ nạp được lịch các năm từ {FIRST_YEAR} đến {LAST_YEAR}.", code="invalid_seed_years"
        )
    return result


def seed_days(years: Iterable[int]) -> list[SeedDay]:
    """The rows seeding wants for ``years``, sorted by date.

    A swap belongs to the year of its day off; its worked Saturday may fall in the next year
    (31/12/2018 off, Saturday 05/01/2019 worked) and is seeded with it.
    """
    wanted_years = seed_years(years)
    swaps = [swap for swap in OFFICIAL_SWAPS if swap.day_off.year in wanted_years]
    swap_dates = {swap.day_off for swap in swaps} | {swap.worked for swap in swaps}
    days: dict[date, SeedDay] = {}
    for day, name in holidays.VN(years=wanted_years, language="vi").items():
        if day not in swap_dates:
            days[day] = SeedDay(day, DayKind.HOLIDAY, unicodedata.normalize("NFC", name), DaySource.SEEDED)
    for swap in swaps:
        days[swap.day_off] = SeedDay(
            swap.day_off,
            DayKind.DAY_OFF,
            f"Nghỉ hoán đổi (làm bù {WEEKDAY_NAMES[swap.worked.weekday()]} {swap.worked:%d/%m/%Y})",
            DaySource.GOVERNMENT,
            swap.reference,
        )
        days[swap.worked] = SeedDay(
            swap.worked,
            DayKind.WORKING_DAY,
            f"Làm việc bù cho ngày nghỉ {WEEKDAY_NAMES[swap.day_off.weekday()]} {swap.day_off:%d/%m/%Y}",
            DaySource.GOVERNMENT,
            swap.reference,
        )
    return [days[day] for day in sorted(days)]
