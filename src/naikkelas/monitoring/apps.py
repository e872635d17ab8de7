from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "naikkelas.monitoring"
    verbose_name = "Monitoring"

    def ready(self) -> None:
        from naikkelas.jobs import periodic
        from naikkelas.monitoring import tallies

        # The job worker keeps the leadership figures within a minute of the writes.
        periodic.register("leadership figures", tallies.refresh_when_due)
