from django.apps import AppConfig


class DedupConfig(AppConfig):
    name = "naikkelas.dedup"
    verbose_name = "Duplicates"

    def ready(self) -> None:
        from naikkelas.registry import panels

        # A merged record's page says where it went, with the undo for a curator.
        panels.register("top", "dedup/_merged_banner.html")
