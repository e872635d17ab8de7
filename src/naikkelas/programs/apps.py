from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "naikkelas.programs"
    verbose_name = "Programmes"
