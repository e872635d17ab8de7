from django.apps import AppConfig


class DedupConfig(AppConfig):
    name = "naikkelas.dedup"
    verbose_name = "Duplicates"
