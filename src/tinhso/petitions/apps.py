from django.apps import AppConfig


class PetitionsConfig(AppConfig):
    name = "tinhso.petitions"
    label = "petitions"
    verbose_name = "Phản ánh kiến nghị"
