from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "tinhso.exchange"
    label = "exchange"
    verbose_name = "Liên thông"
