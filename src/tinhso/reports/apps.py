from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "tinhso.reports"
    label = "reports"
    verbose_name = "Báo cáo, thống kê"
