"""The period of a report: a month, a quarter, a year or two dates, in Vietnam days (docs/reports.md)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from tinhso.core.errors import ValidationFailed
from tinhso.reports.errors import ReportError

KINDS = ("month", "quarter", "year", "custom")
MAX_DAYS = 3 * 366  # a longer custom period is refused: the roll-ups answer years, not decades


@dataclass(frozen=True)
class Period:
    kind: str
    first: date
    last: date

    @property
    def label(self) -> str:
        if self.kind == "month":
            return f"Tháng {self.first:%m/%Y}"
        if self.kind == "quarter":
            return f"Quý {(self.first.month - 1) // 3 + 1}/{self.first.year}"
        if self.kind == "year":
            return f"Năm {self.first.year}"
        return f"Từ {self.first:%d/%m/%Y} đến {self.last:%d/%m/%Y}"

    @property
    def year(self) -> int:
        return self.first.year

    @property
    def quarter(self) -> int | None:
        return (self.first.month - 1) // 3 + 1 if self.kind == "quarter" else None

    @property
    def month(self) -> int | None:
        return self.first.month if self.kind == "month" else None

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes: 00:00 of the first day to 00:00 after the last (Vietnam time)."""
        tz = timezone.get_current_timezone()
        return (timezone.make_aware(datetime.combine(self.first, time.min), tz),
                timezone.make_aware(datetime.combine(self.last + timedelta(days=1), time.min), tz))

    def query(self) -> dict[str, str]:
        """The GET parameters that name this period (links of the drill-down)."""
        if self.kind == "custom":
            return {"period": "custom", "from": self.first.isoformat(), "to": self.last.isoformat()}
        out = {"period": self.kind, "year": str(self.year)}
        if self.kind == "quarter":
            out["quarter"] = str(self.quarter)
        if self.kind == "month":
            out["month"] = str(self.month)
        return out


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, code=ReportError.INVALID_PERIOD)


def period_make(*, kind: str, year: int | None = None, quarter: int | None = None, month: int | None = None,
                first: date | None = None, last: date | None = None) -> Period:
    """A period from its parts, or ``invalid_period`` naming what is wrong."""
    if kind not in KINDS:
        raise _invalid("Kỳ báo cáo phải là tháng, quý, năm hoặc khoảng ngày (month, quarter, year, custom).")
    if kind == "custom":
        if first is None or last is None:
            raise _invalid("Khoảng ngày cần cả ngày bắt đầu và ngày kết thúc.")
        if first > last:
            raise _invalid("Ngày bắt đầu phải trước ngày kết thúc.")
        if (last - first).days > MAX_DAYS:
            raise _invalid("Khoảng ngày dài tối đa 3 năm.")
        return Period("custom", first, last)
    if year is None or not 2000 <= year <= 2100:
        raise _invalid("Năm của kỳ báo cáo không hợp lệ.")
    if kind == "year":
        return Period("year", date(year, 1, 1), date(year, 12, 31))
    if kind == "quarter":
        if quarter is None or not 1 <= quarter <= 4:
            raise _invalid("Quý phải từ 1 đến 4.")
        start_month = 3 * (quarter - 1) + 1
        return Period("quarter", date(year, start_month, 1),
                      date(year, start_month + 2, calendar.monthrange(year, start_month + 2)[1]))
    if month is None or not 1 <= month <= 12:
        raise _invalid("Tháng phải từ 1 đến 12.")
    return Period("month", date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]))


def _int(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _invalid(f"“{value}” không phải là số.") from None


def _date(value) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(str(value).strip(), fmt).date()
        except ValueError:
            continue
    raise _invalid(f"Ngày “{value}” không đúng dạng dd/mm/yyyy.")


def period_from_query(params, *, today: date | None = None) -> Period:
    """From GET parameters (``period``, ``year``, ``quarter``, ``month``, ``from``, ``to``); without
    them, the current quarter."""
    today = today or timezone.localdate()
    kind = (params.get("period") or "").strip() or "quarter"
    year = _int(params.get("year")) or today.year
    quarter = _int(params.get("quarter"))
    month = _int(params.get("month"))
    if kind == "quarter" and quarter is None:
        quarter = (today.month - 1) // 3 + 1
    if kind == "month" and month is None:
        month = today.month
    return period_make(kind=kind, year=year, quarter=quarter, month=month,
                       first=_date(params.get("from")), last=_date(params.get("to")))
