from django.apps import AppConfig


class SigningConfig(AppConfig):
    name = "tinhso.signing"
    label = "signing"
    verbose_name = "Chữ ký số"
