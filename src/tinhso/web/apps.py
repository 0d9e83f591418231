from django.apps import AppConfig


class WebConfig(AppConfig):
    # An app only so that Django finds the ``web_ui`` template tags; it has no models.
    name = "tinhso.web"
    label = "web"
    verbose_name = "Giao diện web dùng chung"
