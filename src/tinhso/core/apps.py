from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "tinhso.core"
    label = "core"
    verbose_name = "Lõi dùng chung"

    def ready(self):
        # Every app's handlers.py registers its @event_handler functions; importing them here
        # means a web process, a task worker and a management command all know the same handlers.
        autodiscover_modules("handlers")
        from tinhso.core import checks  # noqa: F401 - registers the system checks
