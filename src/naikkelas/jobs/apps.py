from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "naikkelas.jobs"
    verbose_name = "Jobs"
