"""The admin pages where the province keeps its calendar."""

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from tinhso.core.models import AuditEntry
from tinhso.core.testing import admin_form_data
from tinhso.workdays.choices import DayKind, DaySource
from tinhso.workdays.models import CalendarDay
from tinhso.workdays.services import workdays_seed
from tinhso.workdays.tests.factories import WorkCalendarFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar():
    calendar = WorkCalendarFactory(code="H44", name="Lịch tỉnh")
    workdays_seed(calendar=calendar, years=[timezone.localdate().year])
    return calendar


def test_pages_open(admin_client, calendar):
    day = CalendarDay.objects.filter(calendar=calendar).first()
    for url in (
        reverse("admin:workdays_workcalendar_changelist"),
        reverse("admin:workdays_workcalendar_change", args=[calendar.pk]),
        reverse("admin:workdays_calendarday_changelist") + f"?year={day.date.year}&kind=holiday",
        reverse("admin:workdays_calendarday_change", args=[day.pk]),
    ):
        assert admin_client.get(url).status_code == 200


def test_action_seeds_next_year(admin_client, calendar):
    next_year = timezone.localdate().year + 1
    response = admin_client.post(
        reverse("admin:workdays_workcalendar_changelist"),
        {"action": "seed_next_year", "_selected_action": [calendar.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert f"đã nạp năm {next_year}" in response.content.decode()
    assert CalendarDay.objects.filter(calendar=calendar, date__year=next_year, kind=DayKind.HOLIDAY).exists()


def test_editing_a_seeded_day_makes_it_the_provinces(admin_client, calendar):
    day = CalendarDay.objects.filter(calendar=calendar, source=DaySource.SEEDED).first()
    response = admin_client.post(
        reverse("admin:workdays_calendarday_change", args=[day.pk]),
        {
            "calendar": calendar.pk,
            "date": day.date.strftime("%d/%m/%Y"),
            "kind": DayKind.HOLIDAY,
            "name": "Tên đã sửa",
            "source": DaySource.SEEDED,
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    day.refresh_from_db()
    assert (day.name, day.source) == ("Tên đã sửa", DaySource.PROVINCE)
    # …and the next seed leaves it alone.
    workdays_seed(calendar=calendar, years=[day.date.year])
    day.refresh_from_db()
    assert day.name == "Tên đã sửa"


def test_inline_adds_a_province_day_off(admin_client, calendar):
    url = reverse("admin:workdays_workcalendar_change", args=[calendar.pk])
    page = admin_client.get(url)
    formset = page.context["inline_admin_formsets"][0].formset
    data = {
        "code": calendar.code,
        "name": calendar.name,
        "parent": "",
        "morning_start": "",
        "morning_end": "",
        "afternoon_start": "",
        "afternoon_end": "",
        "weekdays": "",
        "receipt_cutoff": "",
    }
    prefix = formset.prefix
    total = formset.total_form_count()
    initial = formset.initial_form_count()
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(total),
            f"{prefix}-INITIAL_FORMS": str(initial),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for index, form in enumerate(formset.forms):
        for name, field in form.fields.items():
            value = form.initial.get(name, field.initial)
            if name == "date" and value:
                value = value.strftime("%d/%m/%Y")
            if hasattr(value, "pk"):
                value = value.pk
            data[f"{prefix}-{index}-{name}"] = "" if value is None else value
    year = timezone.localdate().year
    new = initial  # the extra (empty) form
    data.update(
        {
            f"{prefix}-{new}-date": f"03/03/{year + 1}",
            f"{prefix}-{new}-kind": DayKind.DAY_OFF,
            f"{prefix}-{new}-name": "Nghỉ theo thông báo của UBND tỉnh",
            f"{prefix}-{new}-source": DaySource.PROVINCE,
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    added = CalendarDay.objects.get(calendar=calendar, date=date(year + 1, 3, 3))
    assert (added.kind, added.source) == (DayKind.DAY_OFF, DaySource.PROVINCE)
    # A day off moves legal deadlines: who added it is in the audit chain.
    entry = AuditEntry.objects.get(action="workdays.calendarday_admin_create")
    assert (entry.target_id, entry.actor.username) == (str(added.pk), "admin")


def test_editing_and_deleting_a_day_is_audited(admin_client, calendar):
    day = CalendarDay.objects.filter(calendar=calendar, source=DaySource.SEEDED).first()
    url = reverse("admin:workdays_calendarday_change", args=[day.pk])
    data = admin_form_data(admin_client.get(url))
    data["note"] = "Theo Thông báo số 12/TB-UBND"
    assert admin_client.post(url, data).status_code == 302
    admin_client.post(reverse("admin:workdays_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    entries = AuditEntry.objects.filter(target_type="workdays.calendarday", target_id=str(day.pk)).order_by("seq")
    assert [(e.action, e.data) for e in entries] == [
        ("workdays.calendarday_admin_update", {"fields": ["note"]}),
        ("workdays.calendarday_admin_delete", {"repr": str(day)}),
    ]
