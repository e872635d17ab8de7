from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "naikkelas.core"
    label = "core"

    def ready(self) -> None:
        from naikkelas.core import checks  # noqa: F401  (registers the deploy checks)
