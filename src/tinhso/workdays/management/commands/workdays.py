"""``tinhso workdays seed|show``: fill a working calendar from the ``holidays`` package, and look at it.

tinhso workdays seed --calendar H44 [--years 2024-2027] [--create "Lịch làm việc tỉnh"]
tinhso workdays show --calendar H44 --year 2026
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tinhso.core.errors import DomainError
from tinhso.workdays.models import WorkCalendar
from tinhso.workdays.seeding import WEEKDAY_NAMES
from tinhso.workdays.services import work_calendar_create, workdays_seed
from tinhso.workdays.snapshot import work_calendar_snapshot

FIRST_SEEDED_YEAR = 2018


def parse_years(text: str) -> list[int]:
    """``2026``, ``2024-2027`` or ``2024,2026`` → a list of years."""
    years: list[int] = []
    try:
        for part in text.split(","):
            part = part.strip()
            if "-" in part:
                first, last = (int(value) for value in part.split("-", 1))
                if last < first:
                    raise ValueError(part)
                years.extend(range(first, last + 1))
            else:
                years.append(int(part))
    except ValueError as exc:
        raise CommandError(f"Năm không hợp lệ: {text!r}; ví dụ 2026, 2024-2027 hoặc 2024,2026.") from exc
    return years


class Command(BaseCommand):
    help = "Lịch làm việc: nạp ngày lễ, Tết và ngày hoán đổi (seed), xem các ngày đặc biệt (show)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        seed = sub.add_parser("seed", help="nạp ngày lễ, Tết từ gói holidays và bảng hoán đổi chính thức")
        seed.add_argument("--calendar", required=True, help="mã lịch, ví dụ H44")
        seed.add_argument(
            "--years",
            help=f"ví dụ 2024-2027; mặc định {FIRST_SEEDED_YEAR} đến năm sau năm hiện tại",
        )
        seed.add_argument("--create", metavar="TÊN", help="tạo lịch gốc với tên này nếu chưa có")
        show = sub.add_parser("show", help="liệt kê các ngày đặc biệt đã áp dụng cho lịch trong một năm")
        show.add_argument("--calendar", required=True)
        show.add_argument("--year", type=int, default=None)

    def handle(self, *args, action: str, **options):
        try:
            if action == "seed":
                self._seed(options)
            else:
                self._show(options)
        except DomainError as exc:
            raise CommandError(exc.detail) from exc

    def _calendar(self, code: str, create_name: str | None = None) -> WorkCalendar:
        calendar = WorkCalendar.objects.filter(code=code).first()
        if calendar is None and create_name:
            calendar = work_calendar_create(code=code, name=create_name)
            self.stdout.write(f"Đã tạo lịch {calendar}.")
        if calendar is None:
            raise CommandError(f'Không có lịch làm việc mã {code}; thêm --create "Tên lịch" để tạo.')
        return calendar

    def _seed(self, options) -> None:
        calendar = self._calendar(options["calendar"], options.get("create"))
        if options.get("years"):
            years = parse_years(options["years"])
        else:
            years = list(range(FIRST_SEEDED_YEAR, timezone.localdate().year + 2))
        written = workdays_seed(calendar=calendar, years=years)
        self.stdout.write(
            self.style.SUCCESS(
                f"Lịch {calendar.code}, năm {min(years)}–{max(years)}: đã ghi {written} ngày."
                if written
                else f"Lịch {calendar.code}, năm {min(years)}–{max(years)}: không có gì thay đổi."
            )
        )

    def _show(self, options) -> None:
        calendar = self._calendar(options["calendar"])
        year = options["year"] or timezone.localdate().year
        snapshot = work_calendar_snapshot(calendar=calendar)
        names = {
            day.date: day.name
            for c in calendar.chain()[::-1]  # nearest calendar last, so its name wins
            for day in c.days.filter(date__year=year)
        }
        hours = snapshot.hours
        self.stdout.write(
            f"{calendar}: {hours.morning_start:%H:%M}–{hours.morning_end:%H:%M}, "
            f"{hours.afternoon_start:%H:%M}–{hours.afternoon_end:%H:%M}; "
            f"tuần: {snapshot.weekdays}; chốt tiếp nhận: "
            f"{snapshot.receipt_cutoff.strftime('%H:%M') if snapshot.receipt_cutoff else 'không'}"
        )
        for day in sorted(d for d in snapshot.days if d.year == year):
            state = "làm việc" if snapshot.is_working_day(day) else "nghỉ"
            self.stdout.write(
                f"{day:%d/%m/%Y} {WEEKDAY_NAMES[day.weekday()]:<8} {state:<9} {names.get(day, '')}"
            )
