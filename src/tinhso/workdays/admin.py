"""Admin of the working calendar: the province edits announcements here (docs/workdays.md).

Every edit is audited: a day off added or removed moves the legal deadlines of every dossier after it.
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone

from tinhso.core.admin_mixins import AuditedAdminMixin
from tinhso.core.errors import DomainError
from tinhso.workdays.choices import DaySource
from tinhso.workdays.models import CalendarDay, WorkCalendar
from tinhso.workdays.seeding import WEEKDAY_NAMES
from tinhso.workdays.services import workdays_seed


def _mark_edited_by_person(day: CalendarDay, changed_fields: list[str]) -> None:
    # A seeded row a person corrected must survive the next seed, so it becomes the province's —
    # unless the person set the source on purpose (choosing "seeded" hands the row back to seeding).
    if changed_fields and "source" not in changed_fields and day.source == DaySource.SEEDED:
        day.source = DaySource.PROVINCE


class CalendarDayInline(admin.TabularInline):
    model = CalendarDay
    fields = ("date", "kind", "name", "source", "note")
    extra = 1
    ordering = ("date",)
    verbose_name_plural = "ngày đặc biệt từ năm trước trở đi (các năm cũ hơn: mục “Ngày đặc biệt”)"

    def get_queryset(self, request):
        # Years of history make the inline unusable; older days stay reachable in CalendarDayAdmin.
        return super().get_queryset(request).filter(date__year__gte=timezone.localdate().year - 1)


class YearFilter(admin.SimpleListFilter):
    title = "năm"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = model_admin.get_queryset(request).dates("date", "year", order="DESC")
        return [(str(day.year), str(day.year)) for day in years]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(WorkCalendar)
class WorkCalendarAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "parent", "office_hours", "weekdays", "receipt_cutoff")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    fieldsets = (
        (None, {"fields": ("code", "name", "parent")}),
        (
            "Giờ làm việc (để trống: theo lịch cha)",
            {
                "fields": (
                    "morning_start",
                    "morning_end",
                    "afternoon_start",
                    "afternoon_end",
                    "weekdays",
                    "receipt_cutoff",
                )
            },
        ),
    )
    inlines = [CalendarDayInline]
    actions = ["seed_next_year"]

    @admin.display(description="giờ làm việc")
    def office_hours(self, calendar: WorkCalendar) -> str:
        values = [
            calendar.morning_start,
            calendar.morning_end,
            calendar.afternoon_start,
            calendar.afternoon_end,
        ]
        if not any(values):
            return "theo lịch cha" if calendar.parent_id else "mặc định"
        return ", ".join(value.strftime("%H:%M") if value else "—" for value in values)

    def save_formset(self, request, form, formset, change):
        for day_form in formset.forms:
            if day_form.instance.pk is not None and day_form.has_changed():
                _mark_edited_by_person(day_form.instance, day_form.changed_data)
        super().save_formset(request, form, formset, change)

    @admin.action(description="Nạp ngày lễ, Tết năm sau từ gói holidays")
    def seed_next_year(self, request, queryset):
        year = timezone.localdate().year + 1
        for calendar in queryset:
            try:
                written = workdays_seed(calendar=calendar, years=[year])
            except DomainError as exc:
                self.message_user(request, f"{calendar}: {exc.detail}", messages.ERROR)
                continue
            self.message_user(
                request,
                f"{calendar}: đã nạp năm {year}, ghi {written} ngày. Hãy đối chiếu với thông báo chính thức "
                "về lịch nghỉ Tết và các ngày hoán đổi.",
                messages.SUCCESS,
            )


@admin.register(CalendarDay)
class CalendarDayAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("date", "weekday", "calendar", "kind", "name", "source")
    list_filter = (YearFilter, "kind", "source", "calendar")
    search_fields = ("name", "note", "calendar__code")
    date_hierarchy = "date"
    list_select_related = ("calendar",)
    ordering = ("-date",)

    @admin.display(description="thứ", ordering="date")
    def weekday(self, day: CalendarDay) -> str:
        return WEEKDAY_NAMES[day.date.weekday()]

    def save_model(self, request, obj, form, change):
        if change:
            _mark_edited_by_person(obj, form.changed_data)
        super().save_model(request, obj, form, change)
