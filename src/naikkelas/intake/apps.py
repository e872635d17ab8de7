from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "naikkelas.intake"
    verbose_name = "Intake"
