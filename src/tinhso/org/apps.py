from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "tinhso.org"
    label = "org"
    verbose_name = "Tổ chức, đơn vị"
