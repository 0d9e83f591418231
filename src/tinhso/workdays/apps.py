from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class WorkdaysConfig(AppConfig):
    name = "tinhso.workdays"
    label = "workdays"
    verbose_name = "Lịch làm việc"

    def ready(self) -> None:
        # Cache invalidation only (snapshot.py); no business rule hangs on these signals.
        from tinhso.workdays import snapshot
        from tinhso.workdays.models import CalendarDay, WorkCalendar

        post_save.connect(snapshot.on_day_changed, sender=CalendarDay, dispatch_uid="workdays_day_saved")
        post_delete.connect(snapshot.on_day_changed, sender=CalendarDay, dispatch_uid="workdays_day_deleted")
        post_save.connect(
            snapshot.on_calendar_saved, sender=WorkCalendar, dispatch_uid="workdays_calendar_saved"
        )
        post_delete.connect(
            snapshot.on_calendar_deleted, sender=WorkCalendar, dispatch_uid="workdays_calendar_deleted"
        )
