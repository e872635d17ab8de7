from django.apps import AppConfig


class DedupConfig(AppConfig):
    name = "naikkelas.dedup"
    verbose_name = "Duplicates"

    def ready(self) -> None:
        from naikkelas.dedup import receivers
        from naikkelas.registry import panels
        from naikkelas.registry.signals import identity_changed

        # A merged record's page says where it went, with the undo for a curator.
        panels.register("top", "dedup/_merged_banner.html")
        identity_changed.connect(receivers.link_shared_nib, dispatch_uid="dedup")
