from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "naikkelas.monitoring"
    verbose_name = "Monitoring"
