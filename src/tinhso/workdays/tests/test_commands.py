"""``tinhso workdays seed|show``."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tinhso.workdays.management.commands.workdays import parse_years
from tinhso.workdays.models import CalendarDay, WorkCalendar
from tinhso.workdays.tests.factories import WorkCalendarFactory

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue()


def test_parse_years():
    assert parse_years("2026") == [2026]
    assert parse_years("2024-2027") == [2024, 2025, 2026, 2027]
    assert parse_years("2024, 2026") == [2024, 2026]
    for bad in ("20x6", "2027-2024", ""):
        with pytest.raises(CommandError):
            parse_years(bad)


def test_seed_creates_and_fills_a_calendar_once():
    output = run("seed", "--calendar", "H44", "--years", "2026-2027", "--create", "Lịch làm việc tỉnh")
    assert "Đã tạo lịch" in output
    calendar = WorkCalendar.objects.get(code="H44")
    assert CalendarDay.objects.filter(calendar=calendar, date=date(2026, 8, 22)).exists()
    assert "không có gì thay đổi" in run("seed", "--calendar", "H44", "--years", "2026-2027")


def test_seed_defaults_to_2018_through_next_year():
    calendar = WorkCalendarFactory(code="H01")
    run("seed", "--calendar", "H01")
    years = {d.year for d in CalendarDay.objects.filter(calendar=calendar).dates("date", "year")}
    assert min(years) == 2018
    assert max(years) == timezone.localdate().year + 1


def test_unknown_calendar_is_an_error():
    with pytest.raises(CommandError, match="Không có lịch làm việc mã KHONG"):
        run("seed", "--calendar", "KHONG")
    WorkCalendarFactory(code="H02")
    with pytest.raises(CommandError, match="từ 1995"):
        run("seed", "--calendar", "H02", "--years", "1980")


def test_show_lists_the_effective_days():
    run("seed", "--calendar", "H44", "--years", "2026", "--create", "Lịch làm việc tỉnh")
    lines = [
        " ".join(line.split()) for line in run("show", "--calendar", "H44", "--year", "2026").splitlines()
    ]
    assert "07:30–11:30, 13:30–17:00" in lines[0]
    assert "22/08/2026 thứ Bảy làm việc Làm việc bù cho ngày nghỉ thứ Hai 31/08/2026" in lines
    assert "24/11/2026 thứ Ba nghỉ Ngày Văn hóa Việt Nam" in lines
    assert "17/02/2026 thứ Ba nghỉ Tết Nguyên Đán" in lines
