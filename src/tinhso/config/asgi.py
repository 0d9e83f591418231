import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tinhso.config.settings")
from tinhso.core.checks import refuse_misconfigured_start  # noqa: E402 - needs the settings module

application = get_asgi_application()
refuse_misconfigured_start()
