from django.apps import AppConfig


class GraduationConfig(AppConfig):
    name = "naikkelas.graduation"
    label = "graduation"

    def ready(self) -> None:
        from naikkelas.graduation import panels, receivers
        from naikkelas.registry.signals import businesses_changed

        businesses_changed.connect(receivers.recompute_changed, dispatch_uid="graduation")
        panels.register()
