from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    name = "naikkelas.programs"
    verbose_name = "Programmes"

    def ready(self) -> None:
        from naikkelas.graduation.signals import graduation_confirmed
        from naikkelas.programs import panels, receivers

        graduation_confirmed.connect(receivers.record_confirmed, dispatch_uid="programs")
        panels.register()
