from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "tinhso.payments"
    label = "payments"
    verbose_name = "Phí, lệ phí"
