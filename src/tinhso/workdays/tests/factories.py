from datetime import date

import factory

from tinhso.workdays.choices import DayKind, DaySource
from tinhso.workdays.models import CalendarDay, WorkCalendar


class WorkCalendarFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkCalendar

    code = factory.Sequence(lambda n: f"L{n:03d}")
    name = factory.Sequence(lambda n: f"Lịch làm việc {n}")


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay

    calendar = factory.SubFactory(WorkCalendarFactory)
    date = date(2026, 3, 11)
    kind = DayKind.DAY_OFF
    name = "Nghỉ theo thông báo của tỉnh"
    source = DaySource.PROVINCE
